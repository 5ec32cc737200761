/**
 * Bot replies are HTML [PROTOCOL §1]: they pass DOMPurify with a small allowlist and come
 * back as a DocumentFragment, so no HTML string is ever assigned to innerHTML here (the
 * page may enforce `require-trusted-types-for 'script'`; DOMPurify parses through its
 * own Trusted Types policy).
 */
import DOMPurify from 'dompurify';

const SAFE_LINK = /^(?:https?|mailto|tel):/i;

const config = {
  ALLOWED_TAGS: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote', 'h3', 'h4', 'h5', 'h6', 'hr', 'span'],
  ALLOWED_ATTR: ['href'],
  ALLOWED_URI_REGEXP: SAFE_LINK,
  RETURN_DOM_FRAGMENT: true as const,
};

/** Links open in a new tab and give the target page no handle on this one. */
function hardenLink(node: Element): void {
  if (node.tagName !== 'A') return;
  const href = node.getAttribute('href');
  if (href && SAFE_LINK.test(href.trim())) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  } else {
    node.removeAttribute('href');
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
