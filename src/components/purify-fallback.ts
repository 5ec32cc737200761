/**
 * The sanitiser for engines without the HTML Sanitizer API: DOMPurify with the allowlist.
 * Loaded only there (sanitize.ts): the ES build imports it as a chunk of its own, the
 * script-tag build as `webchat-agent.purify.js` beside itself. DOMPurify parses through its
 * own Trusted Types policy, `dompurify`.
 */
import DOMPurify from 'dompurify';
import { ALLOWED_TAGS } from './reduce-markup.ts';

const config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: ['href'],
  ALLOWED_URI_REGEXP: /^(?:https?|mailto|tel):/i,
  RETURN_DOM_FRAGMENT: true as const,
};

export function purify(markup: string): DocumentFragment {
  return DOMPurify.sanitize(markup, config);
}
