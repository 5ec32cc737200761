/**
 * Bot replies are HTML [PROTOCOL §1]: they pass DOMPurify with a small allowlist and come
 * back as a DocumentFragment, so no HTML string is ever assigned to innerHTML here (the
 * page may enforce `require-trusted-types-for 'script'`; DOMPurify parses through its
 * own Trusted Types policy).
 */
import DOMPurify from 'dompurify';

const SAFE_LINK = /^(?:https?|mailto|tel):/i;

const config = {
  ALLOWED_TAGS: ['p', 'br', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote', 'h3', 'h4'],
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
    return DOMPurify.sanitize(html, config);
  } finally {
    DOMPurify.removeHook('afterSanitizeAttributes', hardenLink);
  }
}
