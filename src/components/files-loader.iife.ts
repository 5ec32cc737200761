// The script-tag build's way to the file UI: `webchat-agent.files.js` beside the script
// (part-url.ts). A browser keeps a failed module fetch for the page's life under its URL,
// so a later try (`attempt` > 0) asks for `?retry=<attempt>`.
import { partUrl } from '../core/part-url.ts';

export const loadFilesPart = (attempt = 0): Promise<typeof import('./files/index.ts')> =>
  import(/* @vite-ignore */ partUrl('files', attempt));
