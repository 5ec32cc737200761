// The script-tag build's way to what sending a file needs: `webchat-agent.uploads.js` beside
// the script, a build of its own handed what it shares with the main bundle (upload-shared.ts).
import { partUrl } from './part-url.ts';
import * as shared from './upload-shared.ts';

/** Failed loads so far: the next one asks for another URL (part-url.ts). */
let failed = 0;

export const loadUploadParts = async (): Promise<typeof import('./upload-parts.ts')> => {
  const part = (await import(/* @vite-ignore */ partUrl('uploads', failed)).catch((error: unknown) => {
    failed++;
    throw error;
  })) as typeof import('./upload-parts.ts') & { provide(given: typeof shared): void };
  part.provide(shared);
  return part;
};
