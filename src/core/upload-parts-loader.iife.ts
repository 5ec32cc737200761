// The script-tag build's way to what sending a file needs: `webchat-agent.uploads.js` beside
// the script itself, found from the script's own URL (read while it runs: later,
// document.currentScript is another script or none). A same-origin module import needs
// nothing more than the strict CSP's `script-src 'self'`. Typed without the DOM's types:
// this is the core.
interface ScriptLike {
  src?: string;
}
const page = (globalThis as { document?: { currentScript?: ScriptLike | null; baseURI?: string; querySelector?(selector: string): ScriptLike | null } }).document;
const base = page?.currentScript?.src || page?.querySelector?.('script[src*="webchat-agent"]')?.src || page?.baseURI || '';

export const loadUploadParts = (): Promise<typeof import('./upload-parts.ts')> =>
  import(/* @vite-ignore */ new URL('webchat-agent.uploads.js', base).href);
