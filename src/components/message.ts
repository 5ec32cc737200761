/**
 * One message of the conversation: who wrote it, the text (bot replies: sanitised HTML),
 * its sources as links, and for the visitor's own messages the delivery with a Retry.
 */
import { css, html, nothing } from 'lit';
import type { ChatMessage, Source } from '../core/index.ts';
import { botHtml } from './bot-html.ts';
import { renderFiles } from './files-hook.ts';
import { linkify } from './links.ts';
import type { WebchatStrings } from './strings.ts';
import { dateOf, formatDate } from './times.ts';

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
  const name = data['name'] || (source as { title?: unknown }).title;
  const label = typeof name === 'string' && name ? name : url.host + url.pathname.replace(/\/$/, '');
  return { href: url.href, label };
}

/**
 * `lang` formats the time; `day`, when given, is the day this message starts (the
 * conversation's first, or a new day): it heads the row, inside it, so the log still
 * gains one node per message.
 */
export function renderMessage(message: ChatMessage, strings: WebchatStrings, retry: (id: string) => void, lang = 'en', day?: string) {
  const kind = kinds[message.sender];
  const links = message.sources.map(sourceLink).filter((link) => link !== null);
  const delivery = message.delivery;
  const date = dateOf(message.createdAt);
  return html`<div class="message ${kind}" part="message message-${kind}">
    ${day ? html`<p class="day" part="day">${day}</p>` : nothing}
    <span class="sender">${senderName(message, strings)}</span>
    <div class="bubble" part="bubble">${message.html ? botHtml(message.content) : message.sender === 'admin' ? linkify(message.content) : message.content}</div>
    ${renderFiles(message, strings, lang)}
    ${message.original
      ? html`<details class="original" part="original"><summary>${strings.showOriginal}</summary><div>${message.original}</div></details>`
      : nothing}
    ${date ? html`<time part="time" datetime=${date.toISOString()} aria-label=${formatDate(date, lang, 'full')}>${formatDate(date, lang, 'time')}</time>` : nothing}
    ${links.length
      ? html`<ul class="sources" part="sources" aria-label=${strings.sources}>
          ${links.map((link) => html`<li><a href=${link.href} target="_blank" rel="noopener noreferrer">${link.label}</a></li>`)}
        </ul>`
      : nothing}
    ${delivery
      ? html`<div class="delivery ${delivery}" part="delivery">
          ${strings[delivery]}${delivery === 'failed'
            ? html` <button part="retry" @click=${() => retry(message.id)}>${strings.retry}</button>`
            : nothing}
        </div>`
      : nothing}
  </div>`;
}

export const messageStyles = css`
  .message {
    display: flex;
    flex-direction: column;
    align-items: start;
    gap: 0.2rem;
  }
  .user {
    align-items: end;
  }
  .system {
    align-items: center;
  }
  .bubble,
  .hello,
  .sources {
    max-inline-size: 85%;
  }
  .bubble,
  .hello {
    overflow-wrap: anywhere;
    padding: 0.5rem 0.75rem;
    border-radius: var(--_r);
    background: var(--_bb);
    white-space: pre-wrap;
  }
  .bot .bubble {
    white-space: normal;
  }
  .agent .bubble {
    border-inline-start: 3px solid var(--_ac);
  }
  .user .bubble {
    background: var(--_ac);
    color: var(--_on);
  }
  p {
    margin: 0.4em 0;
  }
  .sources {
    margin: 0;
    padding-inline-start: 1.2em;
  }
  time,
  .day,
  summary {
    font-size: 0.8em;
    color: var(--_mut);
  }
  .day {
    align-self: stretch;
    text-align: center;
  }
  .original {
    max-inline-size: 85%;
    white-space: pre-wrap;
  }
`;
