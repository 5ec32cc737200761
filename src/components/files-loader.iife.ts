// The script-tag build's way to the file UI: `webchat-agent.files.js` beside the script
// itself, found from the script's own URL (read while it runs: later, document.currentScript
// is another script or none). A same-origin module import needs nothing more than the
// strict CSP's `script-src 'self'`.
const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src || document.querySelector<HTMLScriptElement>('script[src*="webchat-agent"]')?.src || document.baseURI;

export const loadFilesPart = (): Promise<typeof import('./files/index.ts')> =>
  import(/* @vite-ignore */ new URL('webchat-agent.files.js', base).href);
