/**
 * Links in the conversation: the agent's URLs as links, and one click handler for every
 * link of the log (reply HTML, sources, agent text). Before a link opens, a cancelable
 * `webchat-link` event lets the page (or a native app) take it; `link-target` decides how
 * an untaken link opens. One delegated handler, so sanitised reply HTML needs no listeners.
 */
export type LinkTarget = '_blank' | '_self' | 'bridge';
export type LinkSource = 'reply' | 'source' | 'agent' | 'file';

export interface LinkDetail {
  readonly url: string;
  readonly text: string;
  readonly source: LinkSource;
}

/** http(s) URLs in plain text, up to whitespace; trailing punctuation stays text. */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'’”]/g;

/** An agent's plain text with its http(s) URLs as links; the rest stays text (no HTML). */
export function linkify(text: string): (string | HTMLAnchorElement)[] {
  const parts: (string | HTMLAnchorElement)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const link = document.createElement('a');
    link.href = match[0];
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.append(match[0]);
    parts.push(link);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Where a clicked link sits, from the row it is in. */
function sourceOf(link: Element): LinkSource {
  if (link.closest('.files')) return 'file';
  if (link.closest('.sources')) return 'source';
  return link.closest('.agent') ? 'agent' : 'reply';
}

/**
 * Handles a click inside the panel: a link of the log fires `webchat-link` on `host`
 * (bubbling, composed, cancelable). Canceled, nothing opens; else `_blank` and `_self`
 * open it there, and `bridge` never navigates the webview: the app has the URL from the event.
 */
export function onLinkClick(host: HTMLElement, event: MouseEvent, target: LinkTarget): void {
  const link = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement && node.hasAttribute('href'));
  if (!link || !link.closest('[role=log]')) return;
  const detail: LinkDetail = { url: link.href, text: (link.textContent ?? '').trim(), source: sourceOf(link) };
  const allowed = host.dispatchEvent(new CustomEvent('webchat-link', { bubbles: true, composed: true, cancelable: true, detail }));
  if (!allowed || target === 'bridge') {
    event.preventDefault();
    return;
  }
  // Set at the click, not at render: the reply's HTML is sanitised once, whatever the mode.
  link.target = target === '_self' ? '_self' : '_blank';
}
