/**
 * The conversation log. Rows are keyed by the message's stable id, and a row's template is
 * kept for as long as its message object (and the strings) stay the same: Lit then finds
 * every value unchanged and touches no DOM, so appending one message to 5,000 renders one
 * row, and bot HTML is sanitised once per DOM instance. A row moving to another block is
 * rendered again into new DOM from the same template: its bot HTML is then sanitised
 * anew for that DOM (bot-html.ts), never the fragment the first DOM consumed. Rows go in
 * blocks of BLOCK_SIZE, and a block off screen skips style, layout and paint
 * (`content-visibility: auto`): the browser then places and watches a hundred boxes for
 * 5,000 messages, not 5,000 (per row, its viewport checks alone cost ~8 ms a frame).
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from '../core/index.ts';
import { renderMessage } from './message.ts';
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

const rows = new WeakMap<ChatMessage, [WebchatStrings, string, TemplateResult]>();

/** `day`: the day the row starts, when it starts one. The strings' object is new whenever
 * the language is (the element makes it so), so it keys the time formats too. */
function row(message: ChatMessage, strings: WebchatStrings, retry: (id: string) => void, lang: string, day: string | undefined): TemplateResult {
  let kept = rows.get(message);
  if (kept?.[0] !== strings || kept[1] !== (day ?? '')) rows.set(message, (kept = [strings, day ?? '', renderMessage(message, strings, retry, lang, day)]));
  return kept[2];
}

/** The start of a conversation: the greeting (never a message: it is not sent, nor kept),
 * and while nothing has been said, the suggested questions, which send on click. */
export interface Start {
  greeting: string;
  suggestions: readonly string[];
  suggest(text: string): void;
}

/** The day each message starts, for those that start one (the first, and on a change). */
function daysOf(messages: readonly ChatMessage[], lang: string): Map<ChatMessage, string> {
  const days = new Map<ChatMessage, string>();
  const year = new Date().getFullYear();
  let last = '';
  for (const message of messages) {
    const date = dateOf(message.createdAt);
    // The visitor's calendar day (local time zone), named with its year when not this year's.
    const day = date && formatDate(date, lang, date.getFullYear() === year ? 'day' : 'year');
    if (day && day !== last) days.set(message, day);
    last = day || last;
  }
  return days;
}

export function renderMessageList(
  messages: readonly ChatMessage[],
  strings: WebchatStrings,
  retry: (id: string) => void,
  follower: StickToBottom,
  lang = 'en',
  start?: Start,
) {
  const blocks: (readonly ChatMessage[])[] = [];
  for (let i = 0; i < messages.length; i += BLOCK_SIZE) blocks.push(messages.slice(i, i + BLOCK_SIZE));
  const days = daysOf(messages, lang);
  // A block whose messages (and the days they start) are all as last time is not looked into.
  const block = (group: readonly ChatMessage[]) =>
    guard([strings, ...group, ...group.map((m) => days.get(m))], () => html`<div class="block">${repeat(group, (m) => m.id, (m) => row(m, strings, retry, lang, days.get(m)))}</div>`);
  const suggestions = messages.length === 0 ? start?.suggestions ?? [] : [];
  // Only new rows are announced: a delivery changing (Sending… → Sent) is read when browsing.
  return html`<div class="log" part="log" role="log" aria-live="polite" aria-relevant="additions" aria-label=${strings.conversation} tabindex="0">
      <div class="rows">${start?.greeting
        ? html`<div class="message bot" part="greeting"><span class="sender">${strings.bot}</span><div class="hello">${start.greeting}</div></div>`
        : nothing}${suggestions.length
        ? html`<div class="suggestions" part="suggestions" role="group" aria-label=${strings.suggestionsLabel}>${suggestions.map(
            (text) => html`<button type="button" part="suggestion" @click=${() => start!.suggest(text)}>${text}</button>`,
          )}</div>`
        : nothing}${blocks.map(block)}</div>
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
