/**
 * One message of the conversation: who wrote it, the text (bot replies: sanitised HTML),
 * its sources as links, and for the visitor's own messages the delivery with a Retry.
 */
import { css, html, nothing } from 'lit';
import type { ChatMessage, Source } from '../core/index.ts';
import { sanitizeHtml } from './sanitize.ts';
import type { WebchatStrings } from './strings.ts';

const kinds = { user: 'user', bot: 'bot', admin: 'agent', system: 'system' } as const;

export function senderName(message: ChatMessage, strings: WebchatStrings): string {
  if (message.sender === 'admin') return message.agent?.name || strings.agent;
  return strings[message.sender === 'user' ? 'you' : message.sender];
}

/** A source as a link (only http/https), or null when there is nothing safe to show. */
export function sourceLink(source: Source): { href: string; label: string } | null {
  const data = (source as { data?: Record<string, unknown> | null }).data ?? {};
  const href = String(source.type === 'web' ? source.source : data['url'] ?? '');
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(url.protocol)) return null;
  const name = data['name'] ?? data['title'];
  const label = typeof name === 'string' && name ? name : url.host + url.pathname.replace(/\/$/, '');
  return { href: url.href, label };
}

export function renderMessage(message: ChatMessage, strings: WebchatStrings, retry: (id: string) => void) {
  const kind = kinds[message.sender];
  const links = message.sources.map(sourceLink).filter((link) => link !== null);
  const delivery = message.delivery;
  return html`<div class="message ${kind}" part="message message-${kind}" data-id=${message.id}>
    <span class="sender ${kind === 'bot' || kind === 'agent' ? '' : 'sr-only'}">${senderName(message, strings)}</span>
    <div class="bubble" part="bubble">${message.html ? sanitizeHtml(message.content) : message.content}</div>
    ${links.length
      ? html`<ul class="sources" part="sources" aria-label=${strings.sources}>
          ${links.map((link) => html`<li><a href=${link.href} target="_blank" rel="noopener noreferrer">${link.label}</a></li>`)}
        </ul>`
      : nothing}
    ${delivery
      ? html`<div class="delivery ${delivery}" part="delivery">
          ${strings[delivery]}${delivery === 'failed'
            ? html` <button type="button" part="retry" @click=${() => retry(message.id)}>${strings.retry}</button>`
            : nothing}
        </div>`
      : nothing}
  </div>`;
}

export const messageStyles = css`
  .message {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.2rem;
  }
  .message.user {
    align-items: flex-end;
  }
  .message.system {
    align-items: center;
  }
  .sender {
    font-size: 0.75em;
    color: var(--_muted);
  }
  .bubble {
    max-inline-size: 85%;
    padding: 0.5rem 0.75rem;
    border-radius: var(--_radius);
    background: var(--_bubble);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .bot .bubble {
    white-space: normal;
    border-end-start-radius: 4px;
  }
  .agent .bubble {
    border-end-start-radius: 4px;
    border-inline-start: 3px solid var(--_accent);
  }
  .user .bubble {
    background: var(--_accent);
    color: var(--_on-accent);
    border-end-end-radius: 4px;
  }
  .system .bubble {
    background: none;
    color: var(--_muted);
    font-size: 0.85em;
    text-align: center;
  }
  .bubble > :first-child {
    margin-block-start: 0;
  }
  .bubble > :last-child {
    margin-block-end: 0;
  }
  .bubble a,
  .sources a {
    color: var(--_link);
  }
  .user .bubble a {
    color: inherit;
  }
  .bubble pre {
    overflow-x: auto;
  }
  .sources {
    max-inline-size: 85%;
    margin: 0;
    padding: 0;
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: 0.2rem 0.6rem;
    font-size: 0.8em;
  }
  .delivery {
    font-size: 0.75em;
    color: var(--_muted);
  }
  .delivery.failed {
    color: var(--_danger);
  }
  .delivery button {
    padding: 0.1rem 0.5rem;
    margin-inline-start: 0.3rem;
  }
`;
