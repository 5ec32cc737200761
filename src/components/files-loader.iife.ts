// The script-tag build's way to the file UI: `webchat-agent.files.js` beside the script
// (part-url.ts); a later try after a failed one asks for another URL (parts.ts).
import { partUrl } from '../core/part-url.ts';
import { lazyPart } from '../core/parts.ts';

export const filesLoader = lazyPart('files', (attempt): Promise<typeof import('./files/index.ts')> => import(/* @vite-ignore */ partUrl('files', attempt)));
