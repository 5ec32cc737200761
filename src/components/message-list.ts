/**
 * The conversation log. Rows are DOM built by message.ts and kept by message id
 * (MessageRows): appending one message to 5,000 builds one row and looks at no other. Rows
 * go in blocks of BLOCK_SIZE, and a block off screen skips style, layout and paint
 * (`content-visibility: auto`): the browser then places and watches a hundred boxes for
 * 5,000 messages, not 5,000 (per row, its viewport checks alone cost ~8 ms a frame).
 *
 * A long restored conversation shows its last RESTORE_ROWS or so first: building and
 * sanitising 5,000 rows nobody sees yet would keep the panel from painting for a second.
 * The older blocks follow as the reader scrolls toward them (or activates "Show earlier
 * messages", for the keyboard and screen readers), and all of them before printing.
 */
import { css, type ReactiveController, type ReactiveControllerHost } from '@lit/reactive-element';
import { html, nothing } from 'lit-html';
import type { ChatMessage } from '../core/index.ts';
import { onRetryClick, refreshMessage, renderMessage, sameShape } from './message.ts';
import type { WebchatStrings } from './strings.ts';
import { dateOf, formatDate, timesReady, whenTimesReady } from './times.ts';

/** Rows per block: the unit that skips rendering off screen. */
const BLOCK_SIZE = 50;

/** A restored conversation longer than RESTORE_AT shows about its last RESTORE_ROWS (whole
 * blocks) at first; each reveal adds REVEAL_BLOCKS older blocks. */
const RESTORE_AT = 200;
const RESTORE_ROWS = 50;
const REVEAL_BLOCKS = 2;

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
      this.sticking = this.stick;
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
    this.sticking = true;
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

  /** While pinned, the browser's scroll anchoring stays off: a row above shrinking (its
   * "Sent" line leaving) would otherwise scroll the log up, which reads as the reader's
   * scroll and un-sticks it. Once the reader scrolls up, anchoring keeps their place. */
  private set sticking(on: boolean) {
    this.stick = on;
    this.log?.classList.toggle('pinned', on);
  }

  private onScroll = (): void => {
    const { scrollTop, scrollHeight, clientHeight } = this.log!;
    if (scrollHeight - scrollTop - clientHeight <= BOTTOM_SLACK) {
      this.sticking = true;
      if (this.unseen) {
        this.unseen = false;
        this.host.requestUpdate();
      }
    } else if (scrollTop < this.lastTop) {
      // Only the reader scrolling up un-sticks: content growing below never does.
      this.sticking = false;
    }
    this.lastTop = scrollTop;
  };
}

/** What a row was last built or refreshed for. Thousands of them: the strings and the
 * language every row was built with are the list's (MessageRows), not a row's. */
interface Shown {
  message: ChatMessage;
  day: string | undefined;
  /** RowPlace.lead and RowPlace.sent, as LEAD | SENT. */
  place: number;
  /** The visitor's calendar day of the message (local time zone), null for no valid time. */
  dayKey: number | null;
  row: HTMLElement;
}

const LEAD = 1;
const SENT = 2;

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
export class MessageRows implements ReactiveController {
  private readonly shown = new Map<string, Shown>();
  /** What every row was built with: the strings, and the language of the times (null while
   * they wait: RowPlace.timed). Every shown row is visited on every update, so a change
   * refreshes them all at once. */
  private rowStrings: WebchatStrings | null = null;
  private rowLang: string | null | undefined;
  /** Waiting for the page's first times (one wait per list, whatever the updates meanwhile). */
  private timesPending = false;
  private connected = false;
  /** By block number; the blocks of the oldest `hidden` messages are not built yet. */
  private readonly blocks: ({ element: HTMLElement; rows: readonly HTMLElement[] } | undefined)[] = [];
  /** How many of the oldest messages have no row yet: a multiple of BLOCK_SIZE. */
  hidden = 0;
  /** Set once a conversation has been shown: only the first, restored one is windowed. */
  private windowed = false;
  /** What a reveal keeps in place: the reader's distance from the log's end (scrolling up),
   * or the log's top, where the control is (the control activated). */
  private keep: { fromBottom: number } | { top: number } | undefined;
  /** Counts quiet passes (quiet()): only the latest one's frames give the log its announcements back. */
  private reveals = 0;
  /** Whether the control had the focus when a reveal began (it may be gone after it). */
  private controlFocused = false;
  /** Every block in order, in one element of this class's own: Lit would move a list of
   * blocks by position, taking out and putting back every block (and the focus in it)
   * whenever older ones go in first. */
  private readonly container = Object.assign(document.createElement('div'), { className: 'blocks' });
  /** Blocks a reveal built, rendered in full until the reader's place is kept: off screen,
   * a block's size would be an estimate that changes under the reader once it renders. */
  private readonly fresh: HTMLElement[] = [];
  private earlier: Element | null = null;
  private log: HTMLElement | null = null;
  /** Watches "Show earlier messages": older blocks go in a viewport before the reader gets there. */
  private near: IntersectionObserver | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & { renderRoot: ParentNode },
    private readonly retry: (id: string) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    addEventListener('beforeprint', this.revealAll);
  }

  hostDisconnected(): void {
    this.connected = false;
    removeEventListener('beforeprint', this.revealAll);
    this.near?.disconnect();
    this.near = undefined;
    // A reveal's frames may never come: the log announces again whatever happens.
    this.log?.setAttribute('aria-live', 'polite');
    this.earlier = this.log = null;
  }

  hostUpdated(): void {
    this.log ??= this.host.renderRoot.querySelector('[role=log]');
    const log = this.log;
    if (!log) return;
    const control = log.querySelector('.earlier');
    if (this.keep) {
      log.scrollTop = 'top' in this.keep ? this.keep.top : log.scrollHeight - this.keep.fromBottom;
      this.keep = undefined;
      const fresh = this.fresh.splice(0);
      // After a frame has rendered them: only then does a block remember its size
      // (contain-intrinsic-size: auto), which it keeps once off screen.
      requestAnimationFrame(() => requestAnimationFrame(() => fresh.forEach((block) => block.classList.remove('fresh'))));
      // Rows shown again are not news: the log announces only what arrives.
      this.quiet();
      // The last reveal takes the control away: its focus goes to the log, not the page.
      if (!control && this.controlFocused) log.focus({ preventScroll: true });
      this.controlFocused = false;
      // Observed anew, the control reports where it is now (it may still be near).
      if (this.earlier) this.near?.unobserve(this.earlier);
      this.earlier = null;
    }
    if (control !== this.earlier) {
      // What the observer says is checked again a frame later, once the log has settled
      // (pinned to its end): see isNear().
      this.near ??= new IntersectionObserver(
        (entries) => entries.some((entry) => entry.isIntersecting) && requestAnimationFrame(() => this.isNear() && this.reveal()),
        { root: log, rootMargin: '100% 0px 0px 0px' },
      );
      if (this.earlier) this.near.unobserve(this.earlier);
      if (control) this.near.observe(control);
      this.earlier = control;
    }
  }

  private controlHasFocus(): boolean {
    return !!this.earlier && this.earlier === (this.host.renderRoot as ShadowRoot).activeElement;
  }

  /** Whether the control is within a viewport above what the log shows. Not while it has
   * the focus: a keyboard user tabbing to it would see it scroll away as the rows went in;
   * they activate it instead. */
  private isNear(): boolean {
    const control = this.earlier;
    if (!control || !this.log || this.controlHasFocus()) return false;
    const at = control.getBoundingClientRect();
    const view = this.log.getBoundingClientRect();
    return view.height > 0 && at.bottom >= view.top - view.height && at.top <= view.bottom;
  }

  /** The log's one listener for the rows' Retry buttons. */
  readonly onClick = (event: Event): void => onRetryClick(event, this.retry);

  /** Builds the next older blocks, keeping what the reader sees where it is: the rows they
   * were reading (scrolling up), or the control and the rows now below it (activated). */
  readonly reveal = (blocks = REVEAL_BLOCKS, atControl = false): void => {
    if (!this.hidden) return;
    this.hidden = Math.max(0, this.hidden - blocks * BLOCK_SIZE);
    if (this.log) {
      this.controlFocused ||= this.controlHasFocus();
      this.keep ??= atControl ? { top: this.log.scrollTop } : { fromBottom: this.log.scrollHeight - this.log.scrollTop };
      this.log.setAttribute('aria-live', 'off');
    }
    this.host.requestUpdate();
  };

  readonly showEarlier = (): void => this.reveal(REVEAL_BLOCKS, true);

  /** The log announces nothing for two frames from now (rows shown again or changing, not arriving). */
  private quiet(): void {
    const log = this.log;
    if (!log) return;
    log.setAttribute('aria-live', 'off');
    const quiet = ++this.reveals;
    requestAnimationFrame(() => requestAnimationFrame(() => quiet === this.reveals && log.setAttribute('aria-live', 'polite')));
  }
  /** Before printing, every row, where the log shows (a closed panel prints none). */
  private readonly revealAll = (): void => {
    if (this.log?.checkVisibility?.() !== false) this.reveal(Infinity);
  };

  /** Another conversation (another chatbot, storage or visitor): windowed anew if long. */
  restart(): void {
    this.windowed = false;
    this.hidden = 0;
    this.shown.clear();
    this.blocks.length = 0;
  }

  /** The element holding the blocks of rows showing `messages`, in order (see `hidden`). */
  update(messages: readonly ChatMessage[], strings: WebchatStrings, lang: string): HTMLElement {
    if (!messages.length) this.windowed = false;
    else if (!this.windowed) {
      this.windowed = true;
      if (messages.length > RESTORE_AT) this.hidden = Math.floor((messages.length - RESTORE_ROWS) / BLOCK_SIZE) * BLOCK_SIZE;
    }
    this.hidden = Math.min(this.hidden, Math.floor(Math.max(0, messages.length - 1) / BLOCK_SIZE) * BLOCK_SIZE);
    const first = this.hidden;
    const year = new Date().getFullYear();
    // The page's first formatter waits for the first frame (times.ts); the rows then refresh.
    const timed = timesReady();
    if (!timed && messages.length && !this.timesPending) {
      this.timesPending = true;
      whenTimesReady(lang, () => {
        this.timesPending = false;
        // A list taken off the page fills its times when it is back (the host updates then).
        if (this.connected) this.host.requestUpdate();
      });
    }
    const timesLang = timed ? lang : null;
    // The rows' times arriving: texts of rows the log has shown change, which is no news.
    if (timed && this.rowLang === null && this.shown.size) this.quiet();
    const restring = strings !== this.rowStrings || timesLang !== this.rowLang;
    this.rowStrings = strings;
    this.rowLang = timesLang;
    const wanted: HTMLElement[] = new Array<HTMLElement>(messages.length);
    // A row's day line and sender line depend on the message before it alone.
    let lastDay: number | null = null;
    for (let i = first - 1; i >= 0 && lastDay === null; i--) lastDay = dayKeyOf(messages[i]!.createdAt);
    // Who the run of rows is from: a change of sender, or of agent, starts a new one.
    let lastSender: string | undefined = messages[first - 1]?.sender;
    let lastAgent: string | undefined = messages[first - 1]?.agent?.name;
    let newestSent = messages.length - 1;
    while (newestSent >= 0 && messages[newestSent]!.delivery !== 'sent') newestSent--;
    for (let i = first; i < messages.length; i++) {
      const message = messages[i]!;
      let shown = this.shown.get(message.id);
      const dayKey = shown && shown.message.createdAt === message.createdAt ? shown.dayKey : dayKeyOf(message.createdAt);
      let day: string | undefined;
      if (dayKey !== null && dayKey !== lastDay) {
        // The day's name, with its year when not this year's.
        if (shown?.day && shown.dayKey === dayKey && !restring) day = shown.day;
        // Its room only, until times format (a no-break space: the line is there already).
        else if (!timed) day = '\u00a0';
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
      const sent = i === newestSent;
      const place = (lead ? LEAD : 0) | (sent ? SENT : 0);
      if (!shown) {
        shown = { message, day, place, dayKey, row: renderMessage(message, strings, lang, { day, lead, sent, timed }) };
        this.shown.set(message.id, shown);
      } else if (restring || shown.message !== message || shown.day !== day || shown.place !== place) {
        // A row whose content changed is built anew; its old DOM leaves with the block's update below.
        if (sameShape(shown.message, message)) refreshMessage(shown.row, message, strings, lang, { day, lead, sent, timed });
        else shown.row = renderMessage(message, strings, lang, { day, lead, sent, timed });
        Object.assign(shown, { message, day, place, dayKey });
      }
      wanted[i] = shown.row;
    }
    if (this.shown.size > messages.length - first) {
      const ids = new Set(messages.slice(first).map((message) => message.id));
      for (const id of this.shown.keys()) if (!ids.has(id)) this.shown.delete(id);
    }

    const count = Math.ceil(messages.length / BLOCK_SIZE);
    this.blocks.length = Math.min(this.blocks.length, count);
    for (let b = first / BLOCK_SIZE; b < count; b++) {
      const from = b * BLOCK_SIZE;
      const to = Math.min(from + BLOCK_SIZE, wanted.length);
      let block = this.blocks[b];
      if (!block) {
        const element = document.createElement('div');
        element.className = 'block';
        if (this.keep) {
          element.classList.add('fresh');
          this.fresh.push(element);
        }
        this.blocks[b] = block = { element, rows: [] };
      } else if (block.rows.length === to - from && block.rows.every((row, i) => row === wanted[from + i])) continue;
      placeInOrder(block.element, (block.rows = wanted.slice(from, to)));
    }
    placeInOrder(this.container, this.blocks.slice(first / BLOCK_SIZE).map((block) => block!.element));
    return this.container;
  }
}

/** Makes `nodes` the children of `parent`, in order, moving only what is out of place: one
 * wanted elsewhere moves (insertBefore), one no longer wanted goes, the others stay put. */
function placeInOrder(parent: HTMLElement, nodes: readonly HTMLElement[]): void {
  let cursor = parent.firstChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextSibling;
    else parent.insertBefore(node, cursor);
  }
  while (cursor) {
    const next: ChildNode | null = cursor.nextSibling;
    cursor.remove();
    cursor = next;
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
  const blocks = rows.update(messages, strings, lang);
  // Only new rows are announced: a delivery changing (Sending… → Sent) is read when browsing.
  return html`<div class="log" part="log" role="log" aria-live="polite" aria-relevant="additions" aria-label=${strings.conversation} tabindex="0"
      @click=${rows.onClick}>
      <div class="rows">${start?.greeting
        ? html`<div class="message bot" part="greeting"><span class="sender">${strings.bot}</span><div class="hello">${start.greeting}</div></div>`
        : nothing}${suggestions.length
        ? html`<div class="suggestions" part="suggestions" role="group" aria-label=${strings.suggestionsLabel}>${suggestions.map(
            (text) => html`<button type="button" part="suggestion" @click=${() => start!.suggest(text)}>${text}</button>`,
          )}</div>`
        : nothing}${rows.hidden
        ? html`<button type="button" class="earlier" part="show-earlier" @click=${rows.showEarlier}>${strings.showEarlier}</button>`
        : nothing}${blocks}</div>
    </div>
    ${follower.unseen
      ? html`<button class="new-messages" part="new-messages" @click=${() => follower.jump(true)}>${strings.newMessages}</button>`
      : nothing}`;
}

// The log's box is the shell's (panelStyles, webchat-agent.styles.ts): the early panel has it too.
export const messageListStyles = css`
  .log.pinned {
    overflow-anchor: none;
  }
  .log:focus-visible {
    outline-offset: -2px;
  }
  .rows > * + *,
  .blocks > * + *,
  .block > * + * {
    margin-block-start: 0.6rem;
  }
  .blocks:empty {
    display: none;
  }
  .block {
    /* Off screen, a block skips rendering; its last size is remembered. */
    content-visibility: auto;
    contain-intrinsic-block-size: auto 150rem;
  }
  .block.fresh {
    content-visibility: visible;
  }
  .earlier {
    display: block;
    margin-inline: auto;
    border-radius: 1rem;
    /* Never the scroll anchor: the rows the reader sees are, as older ones go in above. */
    overflow-anchor: none;
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
