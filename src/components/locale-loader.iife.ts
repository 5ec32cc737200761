// The script-tag build's way to a locale: `webchat-agent.locale-<tag>.js` beside the script
// itself, found from the script's own URL (read while it runs: later, document.currentScript
// is another script or none). A same-origin module import is all the strict CSP allows, and
// all this needs.
import type { Translation } from './strings.ts';

const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src || document.querySelector<HTMLScriptElement>('script[src*="webchat-agent"]')?.src || document.baseURI;

export const loadLocale = (locale: string): Promise<{ default: Translation }> =>
  import(/* @vite-ignore */ new URL(`webchat-agent.locale-${locale}.js`, base).href);
