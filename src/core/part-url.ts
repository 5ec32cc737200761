// Where the script-tag build's parts are: beside the script itself, found from the script's
// own URL (read while it runs: later, document.currentScript is another script or none). A
// same-origin module import needs nothing more than the strict CSP's `script-src 'self'`.
// Typed without the DOM's types: this is the core.
interface ScriptLike {
  src?: string;
}
const page = (globalThis as { document?: { currentScript?: ScriptLike | null; baseURI?: string; querySelector?(selector: string): ScriptLike | null } }).document;
const base = page?.currentScript?.src || page?.querySelector?.('script[src*="webchat-agent"]')?.src || page?.baseURI || '';

/** `webchat-agent.<name>.js` beside the script; after `attempt` failed loads, with
 * `?retry=<attempt>`: a browser may keep a failed module fetch under its URL for the page's life. */
export const partUrl = (name: string, attempt = 0): string => new URL(`webchat-agent.${name}.js${attempt ? `?retry=${attempt}` : ''}`, base).href;
