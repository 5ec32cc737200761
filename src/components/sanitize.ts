/**
 * Bot replies are HTML [PROTOCOL §1]. They come back as a DocumentFragment, so no HTML
 * string is ever assigned to innerHTML here (the page may enforce
 * `require-trusted-types-for 'script'`). Two steps:
 * 1. reduceMarkup() rewrites the reply to the allowed tags and text, bounded in depth and
 *    length. Every parser of the page checks inline handlers and styles against its CSP as
 *    it parses, the Sanitizer API's included, so a strict page would report each one as a
 *    violation before any sanitiser could remove it (reduce-markup.ts).
 * 2. A sanitiser parses that with the same allowlist: the engine's HTML Sanitizer API
 *    (`setHTML`) where it exists, which needs no Trusted Types policy; DOMPurify where it
 *    does not (it parses through its own policy). Only those engines load DOMPurify
 *    (purify-fallback.ts): until it has loaded, sanitizeHtml() answers null.
 * Links then keep only an http, https, mailto or tel href (the Sanitizer API keeps data:
 * and relative ones), and open in a new tab that gets no handle on this page.
 */
import { loadPurify } from './purify-loader.ts';
import { ALLOWED_TAGS, reduceMarkup } from './reduce-markup.ts';

const SAFE_LINK = /^(?:https?|mailto|tel):/i;
/** What DOMPurify takes out of a URL before it tests the scheme (browsers ignore them). */
const URL_SPACE = /[\u0000-\u0020\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000]/g;

const nativeConfig: SanitizerConfig = { elements: ALLOWED_TAGS, attributes: ['href'], comments: false, dataAttributes: false };

type SanitizingTemplate = HTMLTemplateElement & { setHTML?(html: string, options: { sanitizer: SanitizerConfig }): void };

/** An engine whose `setHTML` refused this configuration (an older draft of the API). */
let nativeRefused = false;

/** Read at each call: an engine (or a test) may lack the API. */
const hasSanitizerApi = () => !nativeRefused && typeof (HTMLTemplateElement.prototype as SanitizingTemplate).setHTML === 'function';

function parseNatively(markup: string): DocumentFragment {
  const template: SanitizingTemplate = document.createElement('template');
  template.setHTML!(markup, { sanitizer: nativeConfig });
  return template.content;
}

let purify: ((markup: string) => DocumentFragment) | undefined;
let loading: Promise<void> | undefined;

/** Settles once sanitizeHtml() can answer: at once with the Sanitizer API, else when
 * DOMPurify has loaded (a failed load may be tried again later). */
export function sanitizerReady(): Promise<void> {
  if (hasSanitizerApi() || purify) return Promise.resolve();
  loading ??= loadPurify().then(
    (module) => void (purify = module.purify),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The reply's text alone, for when no sanitiser could be had: the reduced markup holds
 * only allowed tags and text, so dropping the tags and decoding entities leaves the text. */
export function textOf(html: string): string {
  return reduceMarkup(html)
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:#(\d+)|#x([\da-f]+)|(lt|gt|amp|quot|apos|nbsp));/gi, (entity, dec?: string, hex?: string, name?: string) => {
      if (name) return NAMED[name.toLowerCase()]!;
      const code = dec ? Number(dec) : parseInt(hex!, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The reply as safe nodes, or null while the sanitiser is still loading (sanitizerReady). */
export function sanitizeHtml(html: string): DocumentFragment | null {
  const parse = hasSanitizerApi() ? parseNatively : purify;
  if (!parse) {
    sanitizerReady().catch(() => {});
    return null;
  }
  let fragment: DocumentFragment;
  try {
    fragment = parse(reduceMarkup(html));
  } catch (error) {
    if (parse !== parseNatively) throw error;
    nativeRefused = true;
    return sanitizeHtml(html);
  }
  for (const link of fragment.querySelectorAll('a[href]')) {
    if (SAFE_LINK.test(link.getAttribute('href')!.replace(URL_SPACE, ''))) {
      link.setAttribute('target', '_blank');
      link.setAttribute('rel', 'noopener noreferrer');
    } else {
      link.removeAttribute('href');
    }
  }
  return fragment;
}
