/**
 * Drives the fake service (fake-service.ts) from a test, in a browser or in Node: scripts
 * replies, acts as the agent, reads what the client sent. See README.md.
 */
import type { Action, BotLog, BotOptions, ScriptedReply } from './fake-service.ts';

export type { Action, BotLog, BotOptions, ScriptedReply };

export interface ServiceControl {
  readonly url: string;
  configure(chatbotId: string, options: BotOptions): Promise<void>;
  script(chatbotId: string, ...replies: ScriptedReply[]): Promise<void>;
  act(chatbotId: string, sessionId: string, action: Action): Promise<void>;
  log(chatbotId: string): Promise<BotLog>;
  /** Sends the answers held by `hold`. */
  release(chatbotId: string): Promise<void>;
}

export function serviceControl(url: string): ServiceControl {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}/__control/${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`fake service: ${path} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  return {
    url,
    configure: async (chatbotId, options) => void (await post('configure', { chatbotId, options })),
    script: async (chatbotId, ...replies) => void (await post('script', { chatbotId, replies })),
    act: async (chatbotId, sessionId, action) => void (await post('act', { chatbotId, sessionId, action })),
    log: async (chatbotId) => (await post('log', { chatbotId })) as BotLog,
    release: async (chatbotId) => void (await post('release', { chatbotId })),
  };
}

/** A chatbot id no other test uses: the fake service keeps state per chatbot. */
export function freshChatbotId(): string {
  return `bot-${crypto.randomUUID()}`;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls until `probe` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}
