/**
 * The conversation inside <webchat-agent>: the headless client and all the panel shows of it
 * (status, rows, typing, the error, the composer, the phone sheet, the file UI). The element
 * (webchat-agent.ts) is the shell around it: the attributes, the language, the launcher, the
 * native bridge, opening and closing. The ES build has this module at once; the script-tag
 * build loads it as the chat part, `webchat-agent.chat.js` beside the script, when a visitor
 * reaches for the chat or there is a conversation to show (chat-view-loader.iife.ts), so a
 * page whose visitor never opens the launcher loads only the shell.
 */
import type { PropertyValues, ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { html, nothing } from 'lit-html';
import { isLiveChat, isValidMessageText, type Visitor } from '../core/protocol.ts';
import { forgetConversation } from '../core/client.ts';
import { visitorScope } from '../core/visitor.ts';
import { browserTabs } from '../core/tabs.ts';
import type { ChatError, ChatErrorCode, ChatState, StorageAdapter } from '../core/types.ts';
import { ChatController } from './chat-controller.ts';
import { Composer } from './composer.ts';
import { panelStyles } from './webchat-agent.styles.ts';
import { emit } from './emit.ts';
import { filesBase, filesPart, loadFiles, onFilesPart } from './files-hook.ts';
import type { FilesUI } from './files/index.ts';
import { closeIcon } from './launcher.ts';
import { onLinkClick, type LinkTarget } from './links.ts';
import { messageStyles } from './message.ts';
import { MessageRows, StickToBottom, messageListStyles, renderMessageList } from './message-list.ts';
import { panelWasOpen } from './panel-memory.ts';
import { Sheet, sheetStyles } from './sheet.ts';
import { renderStatus, renderTyping, statusStyles } from './status-bar.ts';
import type { defaultStrings, WebchatStrings } from './strings.ts';

/** The alert's text for each error code (the rest: `errorGeneric`). */
const ERROR_TEXTS: Partial<Record<ChatErrorCode, keyof typeof defaultStrings>> = {
  network: 'errorOffline',
  connection: 'errorOffline',
  rate_limited: 'errorBusy',
  forbidden: 'unavailable',
  not_found: 'unavailable',
  configuration: 'unavailable',
  live_chat_refused: 'errorLive',
  invalid_message: 'errorInvalid',
};

/** What the visitor reads of an error, in the panel's language: its code decides. */
export const errorText = (error: ChatError, s: WebchatStrings): string =>
  s[error.serverCode === 'other_tab' ? 'errorOtherTab' : (ERROR_TEXTS[error.code] ?? 'errorGeneric')];

/** The panel's own styles, beside the shell's (host and launcher). */
export const viewStyles = [panelStyles, statusStyles, messageListStyles, messageStyles, sheetStyles];

/** At most this many suggested questions show. */
const MAX_SUGGESTIONS = 4;

/** The options that make another client (a change of any of them connects again). */
const CLIENT_OPTIONS = ['chatbotId', 'baseUrl', 'persist', 'lang', 'monitor', 'translate'] as const;

/** The element as the view sees it: its public properties and methods (webchat-agent.ts
 * documents them), and Lit's host API. */
export interface ChatHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly chatbotId: string | undefined;
  readonly baseUrl: string;
  readonly layout: 'launcher' | 'inline' | 'fullscreen';
  readonly persist: 'local' | 'session' | 'none';
  readonly monitor: boolean;
  readonly visitor: Visitor | undefined;
  readonly greeting: string | undefined;
  readonly suggestions: readonly string[] | undefined;
  open: boolean;
  send(text: string): Promise<void>;
  requestHuman(): Promise<void>;
  endLiveChat(): void;
  hide(): void;
  /** Lit's, with the name of the property that changed. */
  requestUpdate(name?: PropertyKey): void;
}

/** What the view reads of the element beyond its public properties. */
export interface Shell {
  /** The panel's texts: its locale with the page's overrides. */
  readonly text: WebchatStrings;
  /** The visitor's language tag the locale matched (for Intl). */
  readonly intlLang: string;
  /** Where the conversation persists (the `persist` attribute's storage). */
  readonly storage: StorageAdapter;
  /** Whether a native app's bridge is there: links then go to the app by default. */
  readonly bridged: boolean;
  /** The service's base URL the element uses. */
  readonly baseUrl: string;
}

export class ChatView implements ReactiveController {
  private readonly chat: ChatController;
  private readonly follower: StickToBottom;
  private readonly rows: MessageRows;
  private readonly sheet: Sheet;
  private readonly composer: Composer;
  /** The count the last `webchat-unread` told. */
  private toldUnread = 0;
  /** Re-renders every second while the reconnection countdown shows. */
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** [ext] The file UI, once its part has loaded (files-hook.ts). */
  private files: FilesUI | undefined;
  private unfollowFiles: (() => void) | undefined;

  constructor(
    private readonly host: ChatHost,
    private readonly shell: Shell,
  ) {
    this.chat = new ChatController(host);
    this.follower = new StickToBottom(host, () => this.state.messages.at(-1)?.id);
    this.rows = new MessageRows(host, (id) => this.retry(id));
    this.sheet = new Sheet(host, () => ({ open: host.layout !== 'inline' && host.open, forced: host.layout === 'fullscreen' }));
    this.composer = new Composer(host, (text) => this.submit(text), (on) => this.chat.client?.setTyping(on));
    host.addController(this);
  }

  get state(): ChatState {
    return this.chat.state;
  }

  get client() {
    return this.chat.client;
  }

  /**
   * Before a render: a new client when its options changed (`changed` null: the view is new,
   * so everything did). Another visitor's identity forgets the last one's chat here first.
   */
  sync(changed: PropertyValues<ChatHost> | null, forget: readonly (Visitor | undefined)[] = []): void {
    const host = this.host;
    // The same identity in a new object is no change: the conversation goes on.
    const visitorChanged = !!changed?.has('visitor') && JSON.stringify(changed.get('visitor')) !== JSON.stringify(host.visitor);
    if (visitorChanged && visitorScope(changed!.get('visitor')) !== visitorScope(host.visitor)) this.chat.client?.reset();
    // Visitors who left before this view was here: their conversations go from this device too.
    const scope = visitorScope(host.visitor);
    for (const visitor of forget) if (visitorScope(visitor) !== scope && host.chatbotId) forgetConversation(this.shell.storage, host.chatbotId, visitor);
    if (changed && !visitorChanged && !CLIENT_OPTIONS.some((key) => changed.has(key))) return;
    // Another stored conversation: a long one shows its newest rows first, as on a reload.
    if (!changed || visitorChanged || changed.has('chatbotId') || changed.has('persist')) {
      this.rows.restart();
      this.follower.jump();
    }
    this.chat.connect({
      chatbotId: host.chatbotId ?? '',
      baseUrl: this.shell.baseUrl,
      storage: this.shell.storage,
      // Translation needs a language: the browser's, when the page names none.
      lang: host.lang || document.documentElement.lang || (host.translate && navigator.language) || undefined,
      visitor: host.visitor,
      translate: host.translate,
      pageUrl: () => location.href,
      pageTitle: () => document.title,
      monitor: host.monitor,
      // One conversation for all the tabs that share the storage (one socket, one writer).
      coordinator: host.persist !== 'session' && host.persist !== 'none' ? (browserTabs() ?? undefined) : undefined,
    });
    // Opened as it was left, without taking the focus: the visitor did not ask just now.
    if (host.layout !== 'inline' && host.chatbotId && panelWasOpen(this.shell.storage, host.chatbotId, this.state.conversation === 'waiting' || this.state.conversation === 'live')) host.open = true;
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.syncReading);
    this.unfollowFiles = onFilesPart(() => this.filesLoaded());
    this.filesLoaded();
  }

  hostDisconnected(): void {
    this.unfollowFiles = void this.unfollowFiles?.();
    document.removeEventListener('visibilitychange', this.syncReading);
    this.ticker = void clearInterval(this.ticker);
  }

  /** The file UI is here: this element gets its own, and rows that showed only file names
   * render again (a new strings object is a new key for every row). */
  private filesLoaded(): void {
    const part = filesPart();
    if (!part || this.files) return;
    this.files = part.attach(this.host, () => this.chat.client);
    // As if the strings changed: the shell makes a new texts object, a new key for every row.
    this.host.requestUpdate('strings');
  }

  /** The conversation is read while it shows: the panel open (or inline) on a visible page.
   * The core counts what arrives otherwise, and reading again clears the count. */
  private syncReading = (): void => {
    const shown = this.host.layout === 'inline' || this.host.open;
    this.chat.client?.setReading(shown && document.visibilityState !== 'hidden');
  };

  /** After every render: a new client (options changed) or a new layout learns it too. */
  updated(): void {
    if (this.state.connection.state !== 'reconnecting') this.ticker = void clearInterval(this.ticker);
    // Never while detached: nothing would stop it.
    else if (this.host.isConnected) this.ticker ??= setInterval(() => this.host.requestUpdate(), 1000);
    this.syncReading();
    const unread = this.chat.client?.state.unread ?? 0;
    if (unread !== this.toldUnread) emit(this.host, 'webchat-unread', { count: (this.toldUnread = unread) });
  }

  /** The panel's contents: header, the conversation, the composer (the shell renders the panel around them). */
  render() {
    const host = this.host;
    const s = this.shell.text;
    const lang = this.shell.intlLang;
    const state = this.state;
    const floating = host.layout !== 'inline';
    const live = isLiveChat(state.mode, state.status);
    // One button that changes its label, part and action, so a keyboard user who pressed it
    // keeps the focus (two templates would replace it). Lit calls listeners on the host.
    // Files [ext]: offered in a live chat whose server takes them; the UI loads then.
    const offered = live && !!state.files;
    if (offered && !this.files) void loadFiles();
    const files = this.files?.chooser.sync(state, live, s, lang) ? this.files.chooser : undefined;
    filesBase(this.shell.baseUrl);
    const action = html`<button type="button" part=${live ? 'end' : 'human'}
      @click=${live ? host.endLiveChat : host.requestHuman}>${live ? s.endChat : s.talkToHuman}</button>`;
    return html`<header part="header"><strong part="title">${s.title}</strong>${renderStatus(state, s, Date.now())}${floating && this.sheet.on
      ? html`<button type="button" class="close" part="close" aria-label=${s.closeChat} @click=${host.hide}>${closeIcon}</button>`
      : nothing}</header>
        ${files?.renderDropZone()}
        ${renderMessageList(this.rows, state.messages, s, this.follower, lang, {
          greeting: host.greeting ?? s.greeting,
          suggestions: (host.suggestions ?? []).map((text) => text.trim()).filter(Boolean).slice(0, MAX_SUGGESTIONS),
          suggest: this.suggest,
        })}
        ${renderTyping(state, s)}
        ${state.error ? html`<p class="error" part="error" role="alert">${filesPart()?.uploadAlert(state.error, state.messages, s) ?? errorText(state.error, s)}</p>` : nothing}
        ${this.composer.render(s, action, files && { chips: files.renderChips(), attach: files.renderAttach() })}
        ${this.files?.viewer.render(s)}`;
  }

  /** A click in the panel: the file UI's (a thumbnail opens the viewer), else a link's. */
  click(event: MouseEvent, target: LinkTarget | undefined): void {
    if (!this.files?.click(event)) onLinkClick(this.host, event, target ?? (this.shell.bridged ? 'bridge' : '_blank'));
  }

  /** A suggested question is the visitor's message, as if typed. */
  private suggest = (text: string): void => void this.submit(text);

  /** Retry goes away once pressed: the focus goes on to the message box, not to the page. */
  private retry(id: string): void {
    void this.chat.client?.retry(id);
    this.host.renderRoot.querySelector('textarea')?.focus();
  }

  /** The composer's text: taken when the core will accept it (it then keeps it, even on failure). */
  private submit(text: string): boolean {
    if (this.files?.chooser.hasPending) {
      this.follower.jump();
      return this.files.chooser.submit(text);
    }
    if (!this.chat.client || !isValidMessageText(text)) return false;
    this.follower.jump();
    // The element's own method, which a subclass may extend.
    void this.host.send(text);
    return true;
  }
}
