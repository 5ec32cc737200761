// The script-tag build's way to the DOMPurify fallback: `webchat-agent.purify.js` beside the
// script itself (part-url.ts). A same-origin module import needs nothing more than the strict
// CSP's `script-src 'self'`.
import { partUrl } from '../core/part-url.ts';

export const loadPurify = (): Promise<typeof import('./purify-fallback.ts')> => import(/* @vite-ignore */ partUrl('purify'));
