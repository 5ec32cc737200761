// The script-tag build's way to the file UI: `webchat-agent.files.js` beside the script
// itself, found from the script's own URL (read while it runs: later, document.currentScript
// is another script or none). A same-origin module import needs nothing more than the
// strict CSP's `script-src 'self'`. A browser keeps a failed module fetch for the page's
// life under its URL, so a later try (`attempt` > 0) asks for `?retry=<attempt>`.
const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src || document.querySelector<HTMLScriptElement>('script[src*="webchat-agent"]')?.src || document.baseURI;

export const loadFilesPart = (attempt = 0): Promise<typeof import('./files/index.ts')> =>
  import(/* @vite-ignore */ new URL(`webchat-agent.files.js${attempt ? `?retry=${attempt}` : ''}`, base).href);
