// Plain ChatState / ChatMessage snapshots: the parts' input, as the core would hand it over.
import { initialModel } from '../../src/core/conversation.ts';
import type { ChatMessage, ChatState } from '../../src/core/index.ts';

export function snapshot(overrides: Partial<ChatState> = {}): ChatState {
  return { ...initialModel(), sessionId: 's-1', conversation: 'bot', ...overrides };
}

let counter = 0;
export function message(overrides: Partial<ChatMessage> = {}): ChatMessage {
  counter += 1;
  return {
    id: `m-${counter}`,
    sender: 'bot',
    content: `Message ${counter}`,
    html: false,
    sources: [],
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString(),
    ...overrides,
  };
}
