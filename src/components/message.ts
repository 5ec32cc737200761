/**
 * One message of the conversation: who wrote it, the text (bot replies: sanitised HTML),
 * its sources as links, and for the visitor's own messages the delivery with a Retry.
 */
import { css } from '@lit/reactive-element';
import { html, nothing, render } from 'lit-html';
import type { ChatMessage, Source } from '../core/index.ts';
import { fillBotHtml } from './bot-html.ts';
import { element, setAttr } from './dom.ts';
import { renderFiles } from './files-hook.ts';
import { linkify } from './links.ts';
import type { WebchatStrings } from './strings.ts';
import { dateOf, formatDate } from './times.ts';

const kinds = { user: 'user', bot: 'bot', admin: 'agent', system: 'system' } as const;

export function senderName(message: ChatMessage, strings: WebchatStrings): string {
  if (message.sender === 'admin') return message.agent?.name || strings.agent;
  return strings[message.sender === 'user' ? 'you' : message.sender];
}

/** Sources' URLs as parsed (href, short label), or null for unsafe ones: replies cite the
 * same few pages again and again, and parsing thousands of URLs on a restore costs. Bounded. */
const parsedUrls = new Map<string, readonly [string, string] | null>();

function parseUrl(href: string): readonly [string, string] | null {
  let parsed = parsedUrls.get(href);
  if (parsed !== undefined) return parsed;
  parsed = null;
  try {
    const url = new URL(href);
    if (/^https?:$/.test(url.protocol)) parsed = [url.href, url.host + url.pathname.replace(/\/$/, '')];
  } catch {
    // Not a URL: nothing to link.
  }
  if (parsedUrls.size >= 256) parsedUrls.clear();
  parsedUrls.set(href, parsed);
  return parsed;
}

/** A source as a link (only http/https), or null when there is nothing safe to show. */
export function sourceLink(source: Source): { href: string; label: string } | null {
  const data = (source as { data?: Record<string, unknown> | null }).data ?? {};
  const parsed = parseUrl(String(source.type === 'web' ? source.source : data['url'] ?? ''));
  if (!parsed) return null;
  const name = data['name'] || (source as { title?: unknown }).title;
  return { href: parsed[0], label: typeof name === 'string' && name ? name : parsed[1] };
}

/** Where a row sits in the conversation, which decides what heads it. */
export interface RowPlace {
  /** The day this message starts (the conversation's first, or a new day): it heads the
   * row, inside it, so the log still gains one node per message. */
  readonly day?: string | undefined;
  /** Whether the row starts a run of one sender's messages: only then does it show the
   * name, and the others say it in their time's accessible name instead. */
  readonly lead?: boolean | undefined;
  /** Whether a sent message says "Sent": only the visitor's newest sent one does (the ones
   * before it are sent too), so a settled row has no delivery line. */
  readonly sent?: boolean | undefined;
  /** Whether times format at once (times.ts): until then the row keeps its time's room,
   * a no-break space, and the list fills it in when they do. */
  readonly timed?: boolean | undefined;
}

/** Messages whose rows differ in what is built, not only in texts: such a row is built anew. */
export function sameShape(a: ChatMessage, b: ChatMessage): boolean {
  return a.content === b.content && a.html === b.html && a.sources === b.sources && a.sender === b.sender && !dateOf(a.createdAt) === !dateOf(b.createdAt);
}

/** Sets an element's only text without replacing its text node (a live log would read a new one as an addition). */
function setText(node: Element, text: string): void {
  const first = node.firstChild;
  if (first instanceof Text) {
    if (first.data !== text) first.data = text;
  } else node.prepend(text);
}

/** Each kind's empty row (row, bubble, time), cloned for every message: one clone instead
 * of three elements and their attributes made one by one, and clones share their
 * attributes' storage. */
const skeletons = new Map<string, HTMLElement>();

function skeleton(kind: string): HTMLElement {
  let row = skeletons.get(kind);
  if (!row) {
    row = element('div', `message message-${kind}`, `message ${kind}`);
    const bubble = element('div', 'bubble', 'bubble');
    // Each message reads in its own text's direction: a Latin message in a right-to-left
    // panel keeps its punctuation at its end. An attribute, not a node.
    bubble.dir = 'auto';
    row.append(bubble, element('time', 'time'));
    skeletons.set(kind, row);
  }
  return row.cloneNode(true) as HTMLElement;
}

/** A row's parts that texts are set on. */
interface Parts {
  row: HTMLElement;
  bubble: HTMLElement;
  time: Element | null;
  sources: Element | null;
}

/**
 * A message's row, built as DOM rather than as a Lit template: a template's comment markers
 * and parts cost nodes and heap per row, thousands of times over. A plain row is the row, the
 * sender's name (a text node of the row itself, where a run of that sender starts), the
 * bubble and its text, and the `<time>` and its text: at most 6 nodes. The rest is there only
 * when the message has it; a delivery line only while sending, when not sent, and "Sent" on
 * the visitor's newest sent message. Clicks on Retry are the log's (onRetryClick); `lang` formats the time.
 */
export function renderMessage(message: ChatMessage, strings: WebchatStrings, lang = 'en', place: RowPlace = {}): HTMLElement {
  const row = skeleton(kinds[message.sender]);
  const bubble = row.firstChild as HTMLElement;
  let time = row.lastChild as Element | null;
  if (message.html) fillBotHtml(bubble, message.content);
  else if (message.sender === 'admin') bubble.append(...linkify(message.content));
  else bubble.append(message.content);
  if (!dateOf(message.createdAt)) {
    time!.remove();
    time = null;
  }
  let sources: HTMLElement | null = null;
  const links = message.sources.map(sourceLink).filter((link) => link !== null);
  if (links.length) {
    sources = element('ul', 'sources', 'sources');
    for (const link of links) {
      const anchor = document.createElement('a');
      anchor.href = link.href;
      anchor.target = '_blank';
      anchor.rel = 'noopener noreferrer';
      anchor.append(link.label);
      const item = document.createElement('li');
      item.append(anchor);
      sources.append(item);
    }
    row.append(sources);
  }
  fill({ row, bubble, time, sources }, message, strings, lang, place);
  return row;
}

/** Rows that have had a rare part rendered into them by Lit (rare()), and the node it was
 * rendered before: Lit keeps the part on that node, so every render must name the same one. */
const rareBefore = new WeakMap<Element, ChildNode | null>();

/**
 * What a row shows between its bubble and its time only when the message has it, built by
 * Lit into the row (its markers then cost only those rows): a message's files
 * (files-hook.ts), and the translated original.
 */
function rare(message: ChatMessage, strings: WebchatStrings, lang: string): unknown[] {
  const parts: unknown[] = [renderFiles(message, strings, lang)];
  if (message.original) parts.push(html`<details class="original" part="original"><summary>${strings.showOriginal}</summary><div>${message.original}</div></details>`);
  // Absent parts leave no marker in the row.
  return parts.filter((part) => part !== nothing);
}

/**
 * Brings a row built by renderMessage() up to `message` (of the same shape: sameShape()), the
 * strings, language and place, changing only what differs and in place: a delivery going
 * from Sending… to Sent is a text that changes, never a row the log announces again.
 */
export function refreshMessage(row: HTMLElement, message: ChatMessage, strings: WebchatStrings, lang: string, place: RowPlace): void {
  const parts: Parts = { row, bubble: row, time: null, sources: null };
  for (const child of row.children) {
    if (child.classList.contains('bubble')) parts.bubble = child as HTMLElement;
    else if (child.localName === 'time') parts.time = child;
    else if (child.classList.contains('sources')) parts.sources = child;
  }
  fill(parts, message, strings, lang, place);
}

function fill({ row, bubble, time, sources }: Parts, message: ChatMessage, strings: WebchatStrings, lang: string, { day, lead = true, sent = true, timed = true }: RowPlace): void {
  let heading = row.firstElementChild?.localName === 'p' ? row.firstElementChild : null;
  if (day) {
    heading ??= row.insertAdjacentElement('afterbegin', element('p', 'day', 'day'));
    setText(heading!, day);
  } else heading?.remove();

  const name = senderName(message, strings);
  const sender = bubble.previousSibling instanceof Text ? bubble.previousSibling : null;
  if (!lead) sender?.remove();
  else if (!sender) bubble.before(name);
  else if (sender.data !== name) sender.data = name;

  const extra = rare(message, strings, lang);
  if (extra.length || rareBefore.has(row)) {
    if (!rareBefore.has(row)) rareBefore.set(row, bubble.nextSibling);
    render(extra.length ? extra : nothing, row, { renderBefore: rareBefore.get(row)! });
  }

  const date = dateOf(message.createdAt);
  if (date && time) {
    setAttr(time, 'datetime', date.toISOString());
    if (timed) {
      const full = formatDate(date, lang, 'full');
      setAttr(time, 'aria-label', lead ? full : `${name}, ${full}`);
    }
    setText(time, timed ? formatDate(date, lang, 'time') : '\u00a0');
  }
  if (sources) setAttr(sources, 'aria-label', strings.sources);

  const { delivery } = message;
  let box = row.lastElementChild?.classList.contains('delivery') ? row.lastElementChild : null;
  if (!delivery || (delivery === 'sent' && !sent)) {
    box?.remove();
    return;
  }
  if (!box) row.append((box = element('div', 'delivery')));
  box.className = `delivery ${delivery}`;
  setText(box, delivery === 'failed' ? `${strings.failed} ` : strings[delivery]);
  let retry = box.querySelector('button');
  if (delivery !== 'failed') {
    retry?.remove();
    return;
  }
  if (!retry) {
    box.append((retry = element('button', 'retry')));
    retry.type = 'button';
  }
  retry.dataset['retry'] = message.id;
  setText(retry, strings.retry);
}

/** The log's one click handler for every row's Retry. */
export function onRetryClick(event: Event, retry: (id: string) => void): void {
  const button = event.target instanceof Element ? event.target.closest<HTMLElement>('button[data-retry]') : null;
  if (button) retry(button.dataset['retry']!);
}

/* A row's own text (the sender's name) and its small parts (day, time, sources, delivery)
   are the row's small muted type; the bubble and the original are read at full size again
   (1 / 0.8 = 1.25). The name is a text node of the row, not an element of its own, to keep
   rows small. */
export const messageStyles = css`
  .message {
    display: flex;
    flex-direction: column;
    align-items: start;
    gap: 0.2rem;
    font-size: 0.8em;
    color: var(--_mut);
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
  .hello,
  .original,
  .message > .files,
  .message > .upload,
  .message > .file-names {
    font-size: 1.25em;
    color: var(--_fg);
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
