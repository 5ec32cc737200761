/**
 * Bot replies are HTML [PROTOCOL §1]: reduced to the allowed tags and bounded in depth and
 * length first (reduce-markup.ts), they pass DOMPurify with the same allowlist and come
 * back as a DocumentFragment, so no HTML string is ever assigned to innerHTML here (the
 * page may enforce `require-trusted-types-for 'script'`; DOMPurify parses through its
 * own Trusted Types policy).
 */
import DOMPurify from 'dompurify';
import { ALLOWED_TAGS, reduceMarkup } from './reduce-markup.ts';

const SAFE_LINK = /^(?:https?|mailto|tel):/i;

const config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: ['href'],
  ALLOWED_URI_REGEXP: SAFE_LINK,
  RETURN_DOM_FRAGMENT: true as const,
};

/**
 * Links open in a new tab and give the target page no handle on this one. Any href left
 * has passed ALLOWED_URI_REGEXP (DOMPurify drops the others, relative ones included).
 */
function hardenLink(node: Element): void {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
}

export function sanitizeHtml(html: string): DocumentFragment {
  // The hook is scoped to this call so a DOMPurify shared with the host page is left as it was.
  DOMPurify.addHook('afterSanitizeAttributes', hardenLink);
  try {
    return DOMPurify.sanitize(reduceMarkup(html), config);
  } finally {
    DOMPurify.removeHook('afterSanitizeAttributes', hardenLink);
  }
}
