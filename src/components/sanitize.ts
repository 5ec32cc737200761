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
 *    does not (it parses through its own policy).
 * Links then keep only an http, https, mailto or tel href (the Sanitizer API keeps data:
 * and relative ones), and open in a new tab that gets no handle on this page.
 */
import DOMPurify from 'dompurify';
import { ALLOWED_TAGS, reduceMarkup } from './reduce-markup.ts';

const SAFE_LINK = /^(?:https?|mailto|tel):/i;
/** What DOMPurify takes out of a URL before it tests the scheme (browsers ignore them). */
const URL_SPACE = /[\u0000-\u0020\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000]/g;

const nativeConfig: SanitizerConfig = { elements: ALLOWED_TAGS, attributes: ['href'], comments: false, dataAttributes: false };

const purifyConfig = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: ['href'],
  ALLOWED_URI_REGEXP: SAFE_LINK,
  RETURN_DOM_FRAGMENT: true as const,
};

type SanitizingTemplate = HTMLTemplateElement & { setHTML?(html: string, options: { sanitizer: SanitizerConfig }): void };

function parse(markup: string): DocumentFragment {
  const template: SanitizingTemplate = document.createElement('template');
  if (!template.setHTML) return DOMPurify.sanitize(markup, purifyConfig);
  template.setHTML(markup, { sanitizer: nativeConfig });
  return template.content;
}

export function sanitizeHtml(html: string): DocumentFragment {
  const fragment = parse(reduceMarkup(html));
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
