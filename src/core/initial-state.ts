/**
 * A new conversation's public state, for code that has no client yet: the element before
 * the conversation's code is here (the script-tag build loads it when the chat is first
 * needed). A module of its own, so the element's shell need not import the core's model;
 * `test/core/initial-state.test.ts` checks it is what a new client's state is.
 */
import type { ChatState } from './types.ts';

export const INITIAL_STATE: ChatState = Object.freeze({
  sessionId: null,
  conversation: 'new',
  mode: 'bot',
  status: null,
  connection: Object.freeze({ state: 'idle' }),
  messages: Object.freeze([]),
  typing: false,
  agent: null,
  error: null,
  ended: false,
  unread: 0,
  files: null,
});
