// The script-tag build's way to the conversation: `webchat-agent.chat.js` beside the script,
// a build of its own that carries none of what the main bundle has (Lit, the strings, the
// launcher): it takes those from chat-shared.ts. Its modules use them as they are
// evaluated (styles, icons), so they are there before it runs: under a key of the page's
// global object for the length of the import (vite.config.ts, `sharedWithMain`).
import { lazyPart } from '../core/parts.ts';
import { partUrl } from '../core/part-url.ts';
import * as shared from './chat-shared.ts';

type ChatPart = typeof import('./chat-view.ts');

const SHARES = Symbol.for('webchat-agent:chat');

export const chatViewPart = lazyPart('chat', async (attempt) => {
  const scope = globalThis as { [SHARES]?: typeof shared };
  scope[SHARES] = shared;
  try {
    return (await import(/* @vite-ignore */ partUrl('chat', attempt))) as ChatPart;
  } finally {
    delete scope[SHARES];
  }
});
