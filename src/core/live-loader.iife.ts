// The script-tag build's way to the live part: `webchat-agent.live.js` beside the script, a
// build of its own that carries none of what the main bundle has (lit, zod, the transcript's
// rules): it is handed those through `provide` (live-shared.ts).
import type { LivePart } from './live.ts';
import * as shared from './live-shared.ts';
import { partUrl } from './part-url.ts';
import { lazyPart } from './parts.ts';

export const livePart = lazyPart('live', async (attempt) => {
  const part = (await import(/* @vite-ignore */ partUrl('live', attempt))) as LivePart & { provide(given: typeof shared): void };
  part.provide(shared);
  return part;
});
