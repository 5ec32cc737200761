/**
 * The conversation log. Rows are DOM built by message.ts and kept by message id
 * (MessageRows): appending one message to 5,000 builds one row and looks at no other. Rows
 * go in blocks of BLOCK_SIZE, and a block off screen skips style, layout and paint
 * (`content-visibility: auto`): the browser then places and watches a hundred boxes for
 * 5,000 messages, not 5,000 (per row, its viewport checks alone cost ~8 ms a frame).
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ChatMessage } from '../core/index.ts';
import { onRetryClick, refreshMessage, renderMessage, sameShape } from './message.ts';
import type { WebchatStrings } from './strings.ts';
import { dateOf, formatDate } from './times.ts';

/** Rows per block: the unit that skips rendering off screen. */
const BLOCK_SIZE = 50;

/** How close to the end (px) still counts as "at the bottom". */
const BOTTOM_SLACK = 24;

/**
 * Keeps the log pinned to the newest message while the reader is at the bottom; once they
 * scroll up it stays put and counts the arrival as unseen (the "New messages" button).
 */
export class StickToBottom implements ReactiveController {
  stick = true;
  unseen = false;
  private log: HTMLElement | null = null;
  private lastTop = 0;
  private lastId: string | undefined;
  // Rows growing (a new message, a row leaving `content-visibility` estimates, the panel
  // opening) re-pin while sticking, after layout and before paint: no forced layout per
  // update, which matters with thousands of rows.
  private readonly resize = new ResizeObserver(() => this.stick && this.pin());

  constructor(
    private readonly host: ReactiveControllerHost & { renderRoot: ParentNode },
    private readonly newestId: () => string | undefined,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    // Read the position now rather than trust the last scroll event: a scroll the reader
    // just made may not have been dispatched yet.
    if (this.log) this.onScroll();
    const id = this.newestId();
    if (id !== this.lastId && !this.stick) this.unseen = true;
    this.lastId = id;
  }

  hostUpdated(): void {
    if (!this.log) {
      this.log = this.host.renderRoot.querySelector('[role=log]');
      if (!this.log) return;
      this.log.addEventListener('scroll', this.onScroll, { passive: true });
      this.resize.observe(this.log);
      this.resize.observe(this.log.firstElementChild!);
    }
  }

  hostDisconnected(): void {
    this.resize.disconnect();
    this.log?.removeEventListener('scroll', this.onScroll);
    this.log = null;
  }

  /**
   * Scrolls to the newest message and sticks there (the visitor sending, or the button:
   * that one disappears, so focus moves to the log rather than being lost).
   */
  jump(focusLog = false): void {
    this.stick = true;
    this.pin();
    if (focusLog) this.log?.focus({ preventScroll: true });
    if (this.unseen) {
      this.unseen = false;
      this.host.requestUpdate();
    }
  }

  private pin(): void {
    if (this.log) this.log.scrollTop = this.log.scrollHeight;
  }

  private onScroll = (): void => {
    const { scrollTop, scrollHeight, clientHeight } = this.log!;
    if (scrollHeight - scrollTop - clientHeight <= BOTTOM_SLACK) {
      this.stick = true;
      if (this.unseen) {
        this.unseen = false;
        this.host.requestUpdate();
      }
    } else if (scrollTop < this.lastTop) {
      // Only the reader scrolling up un-sticks: content growing below never does.
      this.stick = false;
    }
    this.lastTop = scrollTop;
  };
}

/** What a row was last built or refreshed for. */
interface Shown {
  message: ChatMessage;
  strings: WebchatStrings;
  lang: string;
  day: string | undefined;
  lead: boolean;
  /** The visitor's calendar day of the message (local time zone), null for no valid time. */
  dayKey: number | null;
  row: HTMLElement;
}

function dayKeyOf(iso: string): number | null {
  const date = dateOf(iso);
  return date && date.getFullYear() * 10_000 + date.getMonth() * 100 + date.getDate();
}

/**
 * The log's rows, kept by message id from one render to the next: a row is built once
 * (renderMessage), brought up to date in place when its message, the strings, the language
 * or its place change (refreshMessage), and otherwise not looked at again. Rows go in blocks
 * of BLOCK_SIZE, whose elements Lit places in the log; each block's children are this
 * class's own, so a row carries no Lit marker or part. A row that moves to another block (a
 * message landing earlier) is the same DOM moved, its bot HTML not sanitised again.
 */
export class MessageRows {
  private readonly shown = new Map<string, Shown>();
  private readonly blocks: { element: HTMLElement; rows: readonly HTMLElement[] }[] = [];

  constructor(private readonly retry: (id: string) => void) {}

  /** The log's one listener for the rows' Retry buttons. */
  readonly onClick = (event: Event): void => onRetryClick(event, this.retry);

  /** The blocks of rows showing `messages`, in order. */
  update(messages: readonly ChatMessage[], strings: WebchatStrings, lang: string): HTMLElement[] {
    const year = new Date().getFullYear();
    const wanted: HTMLElement[] = new Array<HTMLElement>(messages.length);
    let lastDay: number | null = null;
    // Who the run of rows is from: a change of sender, or of agent, starts a new one.
    let lastSender: string | undefined;
    let lastAgent: string | undefined;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      let shown = this.shown.get(message.id);
      const dayKey = shown && shown.message.createdAt === message.createdAt ? shown.dayKey : dayKeyOf(message.createdAt);
      let day: string | undefined;
      if (dayKey !== null && dayKey !== lastDay) {
        // The day's name, with its year when not this year's.
        if (shown?.day && shown.dayKey === dayKey && shown.lang === lang) day = shown.day;
        else {
          const date = dateOf(message.createdAt)!;
          day = formatDate(date, lang, date.getFullYear() === year ? 'day' : 'year');
        }
        lastDay = dayKey;
      }
      const agent = message.agent?.name;
      const lead = day !== undefined || message.sender !== lastSender || (message.sender === 'admin' && agent !== lastAgent);
      lastSender = message.sender;
      lastAgent = agent;
      if (!shown) {
        shown = { message, strings, lang, day, lead, dayKey, row: renderMessage(message, strings, lang, { day, lead }) };
        this.shown.set(message.id, shown);
      } else if (shown.message !== message || shown.strings !== strings || shown.lang !== lang || shown.day !== day || shown.lead !== lead) {
        // A row whose content changed is built anew; its old DOM leaves with the block's update below.
        if (sameShape(shown.message, message)) refreshMessage(shown.row, message, strings, lang, { day, lead });
        else shown.row = renderMessage(message, strings, lang, { day, lead });
        Object.assign(shown, { message, strings, lang, day, lead, dayKey });
      }
      wanted[i] = shown.row;
    }
    if (this.shown.size > messages.length) {
      const ids = new Set(messages.map((message) => message.id));
      for (const id of this.shown.keys()) if (!ids.has(id)) this.shown.delete(id);
    }

    const count = Math.ceil(messages.length / BLOCK_SIZE);
    this.blocks.length = Math.min(this.blocks.length, count);
    for (let b = 0; b < count; b++) {
      const from = b * BLOCK_SIZE;
      const to = Math.min(from + BLOCK_SIZE, wanted.length);
      let block = this.blocks[b];
      if (!block) {
        const element = document.createElement('div');
        element.className = 'block';
        this.blocks.push((block = { element, rows: [] }));
      } else if (block.rows.length === to - from && block.rows.every((row, i) => row === wanted[from + i])) continue;
      const rows = wanted.slice(from, to);
      // Rows in order; one wanted elsewhere moves (insertBefore), one no longer wanted goes.
      let cursor = block.element.firstChild;
      for (const row of rows) {
        if (row === cursor) cursor = cursor.nextSibling;
        else block.element.insertBefore(row, cursor);
      }
      while (cursor) {
        const next: ChildNode | null = cursor.nextSibling;
        cursor.remove();
        cursor = next;
      }
      block.rows = rows;
    }
    return this.blocks.map((block) => block.element);
  }
}

/** The start of a conversation: the greeting (never a message: it is not sent, nor kept),
 * and while nothing has been said, the suggested questions, which send on click. */
export interface Start {
  greeting: string;
  suggestions: readonly string[];
  suggest(text: string): void;
}

export function renderMessageList(
  rows: MessageRows,
  messages: readonly ChatMessage[],
  strings: WebchatStrings,
  follower: StickToBottom,
  lang = 'en',
  start?: Start,
) {
  const suggestions = messages.length === 0 ? start?.suggestions ?? [] : [];
  // Only new rows are announced: a delivery changing (Sending… → Sent) is read when browsing.
  return html`<div class="log" part="log" role="log" aria-live="polite" aria-relevant="additions" aria-label=${strings.conversation} tabindex="0"
      @click=${rows.onClick}>
      <div class="rows">${start?.greeting
        ? html`<div class="message bot" part="greeting"><span class="sender">${strings.bot}</span><div class="hello">${start.greeting}</div></div>`
        : nothing}${suggestions.length
        ? html`<div class="suggestions" part="suggestions" role="group" aria-label=${strings.suggestionsLabel}>${suggestions.map(
            (text) => html`<button type="button" part="suggestion" @click=${() => start!.suggest(text)}>${text}</button>`,
          )}</div>`
        : nothing}${rows.update(messages, strings, lang)}</div>
    </div>
    ${follower.unseen
      ? html`<button class="new-messages" part="new-messages" @click=${() => follower.jump(true)}>${strings.newMessages}</button>`
      : nothing}`;
}

export const messageListStyles = css`
  .log {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    padding: 0.8rem 0.9rem;
    border-block: 1px solid var(--_line);
  }
  .log:focus-visible {
    outline-offset: -2px;
  }
  .rows > * + *,
  .block > * + * {
    margin-block-start: 0.6rem;
  }
  .block {
    /* Off screen, a block skips rendering; its last size is remembered. */
    content-visibility: auto;
    contain-intrinsic-block-size: auto 150rem;
  }
  .suggestions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
  }
  .suggestions button {
    border-radius: 1rem;
  }
  .new-messages {
    align-self: center;
    margin-block: -2.6rem 0.6rem;
    position: relative;
    border-radius: 1rem;
  }
`;
