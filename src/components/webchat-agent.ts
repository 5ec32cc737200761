import { ReactiveElement, adoptStyles, supportsAdoptingStyleSheets, type CSSResult, type PropertyValues } from '@lit/reactive-element';
import { html, render, type RenderOptions, type RootPart } from 'lit-html';
import type { Visitor } from '../core/protocol.ts';
import { conversationKey, visitorScope } from '../core/visitor.ts';
import { localStorageAdapter, memoryStorage, sessionStorageAdapter } from '../core/storage.ts';
import { INITIAL_STATE } from '../core/initial-state.ts';
import type { ChatState, StorageAdapter } from '../core/types.ts';
import { BRIDGED_EVENTS, detectBridge, listen, unlisten, type Bridge, type CommandTarget } from './bridge.ts';
import type { ChatView, Shell } from './chat-view.ts';
import { chatViewPart } from './chat-view-loader.ts';
import { emit } from './emit.ts';
import { setAttr } from './dom.ts';
import { createFrame, syncLauncher, type Frame } from './frame.ts';
import { launcherStyles } from './launcher.ts';
import type { LinkTarget } from './links.ts';
import { followPanelElsewhere, panelWasOpen, rememberPanel } from './panel-memory.ts';
import { earlyPanel, giveDraft, takeDraft, type Draft } from './early-composer.ts';
import { fetchLocale, isRtl, loadedLocale, localeOf, matchLocale, requestedLanguages, type Locale } from './locale.ts';
import { defaultStrings, type WebchatStrings } from './strings.ts';
import { hostStyles, panelStyles } from './webchat-agent.styles.ts';

export const DEFAULT_BASE_URL = 'https://app.webchatagent.com';

/** What a native app may set with `setOptions` (property names). */
const OPTIONS = ['chatbotId', 'baseUrl', 'layout', 'persist', 'lang', 'theme', 'monitor', 'linkTarget', 'greeting', 'suggestions', 'translate', 'visitor'] as const;

/** The `suggestions` attribute: texts separated by `|`. */
const parseSuggestions = (value: string | null): string[] | undefined => value?.split('|');

const storages = { local: localStorageAdapter, session: sessionStorageAdapter, none: memoryStorage };

/** What shows the visitor that the chat is on its way (a pointer over it, a key in it). */
const INTENT_EVENTS = ['pointerover', 'pointerdown', 'focusin', 'keydown'] as const;

/** After the conversation's code failed to load, the visitor's moves try again only this
 * long after (offline, or the file missing beside the script: no request per mouse move);
 * the panel's Retry button and the page coming back online try at once. */
const RETRY_AFTER_MS = 30_000;
let failedAt = 0;
/** Elements that could not get the conversation's code: told when another one got it. */
const waitingForChat = new Set<WebChatAgent>();

/**
 * An embeddable chat with a WebChatAgent chatbot: the bot answers over REST, a human agent
 * takes over in live chat over a WebSocket. The conversation lives in shadow DOM.
 *
 * @tagname webchat-agent
 * @summary Chat with a WebChatAgent bot and hand over to a human agent.
 *
 * @attr chatbot-id - The chatbot's id (required to chat).
 * @attr base-url - The service's base URL; default `https://app.webchatagent.com`.
 * @attr layout - `launcher` (default: a floating button opens the panel; below 600 CSS px of viewport width the open panel is a full-screen sheet), `inline` (the panel fills the element) or `fullscreen` (the launcher's panel is always the full-screen sheet: for webviews that give the chat the whole screen).
 * @attr persist - Where the conversation survives reloads: `local` (default), `session` or `none`.
 * @attr {string} lang - The visitor's language: the panel's texts and times (one of the shipped locales, best match; else the nearest `lang` of the page, else the browser's languages), and sent to the service (default: the page's `lang`).
 * @attr {string} greeting - The bot's first words in the panel, shown and never sent; default: the locale's greeting; empty: none.
 * @attr {string} suggestions - Up to 4 starter questions as buttons while the conversation is empty, sent on click: texts separated by `|`.
 * @attr {boolean} translate - Ask the service to translate the live chat into the visitor's language (`translateEnabled`, `retranslateBacklog` and `lang` on the join); a translated message offers its original.
 * @attr open - Whether the launcher's panel is open (reflected). Kept with the conversation (see `persist`): after a reload the panel opens again if it was open, or if a live chat is in progress and the visitor did not close it.
 * @attr theme - `light` or `dark`; by default the page's `prefers-color-scheme` decides.
 * @attr link-target - How a link in the conversation opens when no `webchat-link` listener canceled it: `_blank` (a new tab; the default in a browser), `_self` (this page), or `bridge` (never navigates: the app takes the URL from the `webchat-link` event; the default when a native bridge is found).
 * @attr bridge - `auto` (default): inside a native app's webview, post every public event to the app and take its commands (the README's "In a native app"); `off`: never.
 * @attr monitor - Watch a bot conversation over a socket, so an agent who steps in is shown at once.
 *
 * @fires {CustomEvent<WebchatMessageDetail>} webchat-message - A message was added; `detail.message` is the ChatMessage.
 * @fires {CustomEvent<WebchatStateDetail>} webchat-state - The state changed; `detail.state` is the new ChatState snapshot.
 * @fires {CustomEvent<WebchatErrorDetail>} webchat-error - Something failed; `detail.error` is the ChatError (`code`, `message`, `status?`, `retryAfter?`).
 * @fires {CustomEvent<null>} webchat-open - The launcher's panel opened (no detail).
 * @fires {CustomEvent<null>} webchat-close - The launcher's panel closed (no detail).
 * @fires {CustomEvent<WebchatLinkDetail>} webchat-link - Before a link of the conversation opens (cancelable: `preventDefault()` and nothing opens); `detail` is `{ url, text, source }`, `source` one of `reply` (the bot's HTML), `source` (a reply's sources), `agent` (a URL in an agent's text), `file` (a file's download card) [ext].
 * @fires {CustomEvent<WebchatUnreadDetail>} webchat-unread - The unread count changed (also once on load when one was kept); `detail.count` is the number of bot, agent and system messages that arrived while the panel was closed or the page hidden.
 *
 * @csspart launcher - The floating open/close button.
 * @csspart badge - The unread count on the closed launcher.
 * @csspart panel - The chat panel.
 * @csspart header - The panel's header (title and status).
 * @csspart close - The header's close button of the full-screen sheet (phones, `layout="fullscreen"`).
 * @csspart title - The panel's title.
 * @csspart status - The live status line (`role="status"`).
 * @csspart log - The scrolling conversation (`role="log"`).
 * @csspart message - Every message row. Its own text is the sender's name, shown where a run of one sender's messages (or a new day) starts; the row's font size and color are those of the name, time, sources and delivery, and the bubble is read at 1.25 times it.
 * @csspart message-user - A row of the visitor's own message (with `message`).
 * @csspart message-bot - A row of the bot's reply (with `message`).
 * @csspart message-agent - A row of a human agent's message (with `message`).
 * @csspart message-system - A row of a system notice: an agent joined or left, the chat ended (with `message`).
 * @csspart bubble - A message's text.
 * @csspart time - A message's time (`<time>`, its full date and time as its accessible name, after the sender's name in a row that does not show it).
 * @csspart day - The day heading the first message of each day.
 * @csspart original - The disclosure with a translated message's original text.
 * @csspart greeting - The greeting's row.
 * @csspart suggestions - The group of suggested questions.
 * @csspart suggestion - A suggested question's button.
 * @csspart sources - The list of a reply's sources.
 * @csspart delivery - An outgoing message's delivery: sending, not sent, and "Sent" on the visitor's newest sent message.
 * @csspart retry - The Retry button of a message that was not sent; in the script-tag build, also the one of a panel whose conversation could not be loaded.
 * @csspart typing - The "is typing" line.
 * @csspart new-messages - The button that jumps to unseen messages.
 * @csspart show-earlier - At the top of a long restored conversation, the button that shows older messages (they also show as the reader scrolls up).
 * @csspart error - The last error's text.
 * @csspart composer - The form around the input.
 * @csspart input - The message textarea.
 * @csspart send - The Send button.
 * @csspart human - The "Talk to a human" button.
 * @csspart end - The "End chat" button.
 * @csspart counter - The characters-left counter near the limit.
 * @csspart attach - [ext] The attach button in a live chat that takes files (its file input is hidden inside).
 * @csspart file-chips - [ext] The list of chosen files waiting for Send.
 * @csspart file-chip - [ext] A chosen file: its name and size.
 * @csspart file-chip-remove - [ext] A chosen file's remove button.
 * @csspart file-notice - [ext] The live region that tells what happened to chosen files (added, removed, refused and why).
 * @csspart drop-zone - [ext] The drop target over the panel while files are dragged over it.
 * @csspart upload - [ext] The visitor's files of a message still uploading or failed to.
 * @csspart upload-progress - [ext] The upload's progress bar (`<progress>`, 0 to 100).
 * @csspart upload-cancel - [ext] The Cancel button of an upload (the message goes), described by its progress or its reason.
 * @csspart upload-error - [ext] Why an upload failed (Retry is the `retry` part).
 * @csspart attachments - [ext] The list of a message's files.
 * @csspart attachment-image - [ext] An image's thumbnail: a link around an `<img>`; activating it opens the image full size.
 * @csspart attachment-file - [ext] Any other file's card: icon, name and size, a download link when its URL is http(s).
 * @csspart image-viewer - [ext] The full-size image dialog.
 * @csspart image-viewer-close - [ext] The image dialog's close button.
 * @csspart file-names - [ext] A message's file names, shown until the file UI has loaded.
 *
 * @cssprop --webchat-accent - Brand color: launcher, visitor bubbles, buttons, focus ring.
 * @cssprop --webchat-accent-text - Text on the accent color.
 * @cssprop --webchat-surface - Panel background.
 * @cssprop --webchat-text - Main text color.
 * @cssprop --webchat-muted - Secondary text (status, delivery, counter).
 * @cssprop --webchat-bubble - Background of bot, agent and system bubbles.
 * @cssprop --webchat-border - Borders and separators.
 * @cssprop --webchat-danger - Errors and the over-limit counter.
 * @cssprop --webchat-radius - Corner radius of the panel and bubbles.
 * @cssprop --webchat-font - The `font` shorthand inside the element; default: the system UI stack at the page's size (the page's own font does not reach in).
 * @cssprop --webchat-z-index - Stacking of the floating launcher and panel.
 * @cssprop --webchat-panel-width - Width of the launcher's panel.
 * @cssprop --webchat-panel-height - Height of the launcher's panel.
 * @cssprop --webchat-offset - Distance of the launcher from the viewport's edges.
 * @cssprop --webchat-badge - Background of the launcher's unread badge.
 * @cssprop --webchat-badge-text - Text color of the unread badge.
 */
export class WebChatAgent extends ReactiveElement {
  // The panel's own styles come with the conversation's code (at once in the ES build).
  static override styles = [hostStyles, launcherStyles, ...(chatViewPart.loaded?.viewStyles ?? [])];

  static override properties = {
    chatbotId: { attribute: 'chatbot-id' },
    baseUrl: { attribute: 'base-url' },
    layout: { reflect: true },
    persist: {},
    lang: { reflect: true },
    open: { type: Boolean, reflect: true },
    theme: { reflect: true },
    monitor: { type: Boolean },
    linkTarget: { attribute: 'link-target' },
    bridge: {},
    strings: { attribute: false },
    greeting: {},
    suggestions: { converter: { fromAttribute: parseSuggestions } },
    translate: { type: Boolean },
    visitor: { attribute: false },
  };

  declare chatbotId: string | undefined;
  declare baseUrl: string;
  declare layout: 'launcher' | 'inline' | 'fullscreen';
  declare persist: 'local' | 'session' | 'none';
  declare open: boolean;
  declare theme: 'light' | 'dark' | undefined;
  declare monitor: boolean;
  declare linkTarget: LinkTarget | undefined;
  declare bridge: 'auto' | 'off';
  /** Overrides for any UI text (see `defaultStrings`); unset keys keep the locale's text. */
  declare strings: Partial<WebchatStrings>;
  /** The bot's first words in the panel (never sent); unset: the locale's greeting; `''`: none. */
  declare greeting: string | undefined;
  /** Up to 4 starter questions shown while the conversation is empty; a click sends one. */
  declare suggestions: readonly string[] | undefined;
  declare translate: boolean;
  /** [ext] Who the visitor is, when the host knows: `{ id?, name?, email?, attributes?, hash? }`,
   * sent as `client:meta` and with REST messages. Another visitor (another `id`, else `email`,
   * else `name`) starts a new conversation, and the previous one is forgotten on this device. */
  declare visitor: Visitor | undefined;

  /** The conversation and the panel's contents, once their code is here (chat-view.ts). */
  private view: ChatView | undefined;
  /** The conversation's code could not be loaded: the panel says the chat is unavailable. */
  private viewFailed = false;
  /** The view, new, opened the panel as it was left: no `webchat-open`, nothing to remember. */
  private restoredOpen = false;
  /** Visitors whose conversation is to be forgotten here, told while the view was not here. */
  private forget: (Visitor | undefined)[] = [];
  /** What had the focus when the panel was asked to open (see `updated`). */
  private focusFrom: Element | null = null;
  private text: WebchatStrings = defaultStrings;
  /** The shipped locale the panel speaks, and the visitor's tag it matched (for Intl). */
  private locale: Locale = 'en';
  private intlLang = 'en';
  /** What `text` was made from: its locale, tag and whether the locale had loaded. */
  private textFor = '';
  /** Set when the visitor (or `show()`) opens the panel: only then does focus move into it. */
  private focusOnOpen = false;
  private focusOnClose = false;
  /** Where the conversation persists: the panel's state is kept beside it. */
  private storage: StorageAdapter = memoryStorage();
  /** What the view reads of this element. */
  private readonly shell: Shell = ((element: WebChatAgent) => ({
    get text() {
      return element.text;
    },
    get intlLang() {
      return element.intlLang;
    },
    get storage() {
      return element.storage;
    },
    get bridged() {
      return !!element.native;
    },
    get baseUrl() {
      return element.baseUrl || DEFAULT_BASE_URL;
    },
  }))(this);

  constructor() {
    super();
    this.baseUrl = DEFAULT_BASE_URL;
    this.layout = 'launcher';
    this.persist = 'local';
    this.open = false;
    this.monitor = false;
    this.bridge = 'auto';
    this.strings = {};
    this.translate = false;
    // Heard on the host for its life (a detached one hears nothing): the visitor reaching for
    // the chat, and the early textbox's compositions (they are composed).
    for (const type of INTENT_EVENTS) this.addEventListener(type, this.onIntent);
    for (const type of ['compositionstart', 'compositionend']) this.addEventListener(type, this.onComposition);
    // The ES build has the conversation's code: the element is whole from the start.
    if (chatViewPart.loaded) this.view = new chatViewPart.loaded.ChatView(this, this.shell);
  }

  /** The conversation's current snapshot (read-only: change it through the methods). */
  get state(): ChatState {
    // Before the conversation's code is here: a new conversation, nothing sent or connected.
    return this.view?.state ?? INITIAL_STATE;
  }

  /** Sends a visitor message (REST in bot mode, the socket in live chat). */
  async send(text: string): Promise<void> {
    // With the view here, the message is in `state` before this returns (no await first).
    const view = this.view ?? (await this.chatView(true));
    await view.client?.send(text);
  }

  /** Asks for a human agent. */
  async requestHuman(): Promise<void> {
    const view = this.view ?? (await this.chatView(true));
    await view.client?.requestHuman();
  }

  /** Ends the live chat; the bot answers again. */
  endLiveChat(): void {
    this.withView((view) => view.client?.endLiveChat());
  }

  /** Forgets the session and the transcript. */
  reset(): void {
    this.withView((view) => view.client?.reset());
  }

  /** `act` now when the conversation's code is here, else once it has loaded (a failed load
   * is in the console, from chatView, and the next need tries again). */
  private withView(act: (view: ChatView) => void): void {
    if (this.view) act(this.view);
    else this.chatView(true).then(act, () => undefined);
  }

  /** Opens the launcher's panel and moves focus into it. */
  show(): void {
    this.focusOnOpen = !this.open;
    this.focusFrom = document.activeElement;
    this.open = true;
  }

  /** Closes the launcher's panel; focus returns to the launcher if it was in the panel. */
  hide(): void {
    this.open = false;
  }

  /**
   * The view, loading its code first (the script-tag build; every caller has none yet). A
   * failed load rejects with the PartLoadError and is tried again at the next need. The
   * page's calls (`now`: send(), reset()…) have it at once; a load of the element's own may
   * find the visitor composing in the early textbox, and the view then comes after (see
   * attachView), the promise settling without it.
   */
  private chatView(now = false): Promise<ChatView> {
    return chatViewPart.load().then(
      async (part) => {
        // The early panel painted first (see update).
        await this.viewAfter;
        this.attachView(part, now);
        // Another element that failed meanwhile takes it too.
        for (const element of waitingForChat) element.requestUpdate();
        return this.view!;
      },
      (error: Error) => {
        if (!this.viewFailed) console.warn(error.message);
        failedAt = Date.now();
        this.viewFailed = true;
        this.sendEarly = false;
        if (this.isConnected) waitingForChat.add(this);
        this.requestUpdate();
        throw error;
      },
    );
  }

  /** The view is here: its styles join the shell's, and it takes over the conversation. Not
   * while the visitor composes in the early textbox (an IME's candidates open), unless `now`:
   * the takeover would move the uncommitted text into another textbox, and the commit would
   * follow it there. The composition's end updates the element, and willUpdate attaches. */
  private attachView(part: NonNullable<typeof chatViewPart.loaded>, now = false): void {
    if (this.view || (this.composing && !now)) return;
    this.viewFailed = false;
    waitingForChat.delete(this);
    const root = this.renderRoot as ShadowRoot | undefined;
    if (root) this.adoptViewStyles(root, part.viewStyles);
    this.view = new part.ChatView(this, this.shell);
    // Before the first update, that update's willUpdate hands it every option.
    if (this.hasUpdated) this.syncNewView();
    this.requestUpdate();
  }

  /** A view that arrived after the element's first update learns every option now. */
  private syncNewView(): void {
    const wasOpen = this.open;
    this.view!.sync(null, this.forget.splice(0));
    // Opened as it was left: as on a load, nothing the visitor did just now.
    if (!wasOpen && this.open) this.restoredOpen = true;
  }

  /** The shell's own DOM (see `update`), made with the root. */
  private frame: Frame | undefined;
  /** The panel's contents as Lit renders them, once they have been rendered. */
  private contents: RootPart | undefined;
  private readonly renderOptions: RenderOptions = { host: this };

  /** A view attached before the root existed (a method called before the element was
   * attached) has its styles adopted here; attachView adopts them for a root already there. */
  protected override createRenderRoot() {
    const root = super.createRenderRoot() as ShadowRoot;
    const part = chatViewPart.loaded;
    if (this.view && part) this.adoptViewStyles(root, part.viewStyles);
    this.frame = createFrame(root, this.onKeydown, this.onClick, this.toggle);
    return root;
  }

  /** The panel's styles, where the class's own do not have them (the script-tag build):
   * added after what the root has, which stays. */
  private adoptViewStyles(root: ShadowRoot, styles: readonly CSSResult[]): void {
    const own = (this.constructor as typeof ReactiveElement).elementStyles;
    // The early panel's (panelStyles) may be here already: each sheet once, in the view's order.
    const fresh = styles.filter((style) => !own.includes(style) && !this.adopted.has(style));
    for (const style of fresh) this.adopted.add(style);
    if (!fresh.length) return;
    if (supportsAdoptingStyleSheets) root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...fresh.map((style) => style.styleSheet!)];
    // Without constructable sheets Lit appends <style> elements: the shell's stay too.
    else adoptStyles(root, fresh);
  }

  /** Sheets adopted beyond the class's own. */
  private readonly adopted = new Set<CSSResult>();

  /**
   * Whether the conversation is needed now, not only when the visitor reaches for it: the
   * panel shows (inline, open), a socket watches (`monitor`), or this device keeps a
   * conversation or an open panel for this chatbot (a returning visitor: their chat resumes).
   */
  private needsChat(): boolean {
    if (this.layout === 'inline' || this.open || this.monitor) return true;
    const id = this.chatbotId;
    return !!id && (this.keepsConversation() || panelWasOpen(this.storage, id, false));
  }

  /** This device keeps a conversation with this chatbot for this visitor. */
  private keepsConversation(): boolean {
    const id = this.chatbotId;
    try {
      return !!id && this.storage.getItem(conversationKey(id, this.visitor)) !== null;
    } catch {
      // Unreadable storage keeps nothing to resume.
      return false;
    }
  }

  /** The visitor is reaching for the chat (a pointer over it, a key, a tap): its code loads
   * (after a failure, not before RETRY_AFTER_MS). */
  private onIntent = (): void => {
    if (!this.view && Date.now() - failedAt >= RETRY_AFTER_MS) this.loadChat();
  };

  /** Retry (the failed panel's button) and the page back online: try now. */
  private retryChat = (): void => void (this.view || this.loadChat());

  private loadChat(): void {
    this.chatView().catch(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.pickLocale(changed.has('strings'));
    if (changed.has('persist')) this.storage = (storages[this.persist] ?? storages.local)();
    if (changed.has('persist') || changed.has('layout')) this.followPanel();
    // Someone else signs in or out while the view is not here: theirs is forgotten when it is.
    const before = changed.get('visitor');
    if (!this.view && this.hasUpdated && changed.has('visitor') && visitorScope(before) !== visitorScope(this.visitor)) this.forget.push(before);
    if (!this.view && this.isConnected && this.needsChat()) {
      const part = chatViewPart.loaded;
      if (part) {
        this.attachView(part);
        if (!this.hasUpdated) this.view!.sync(changed, this.forget.splice(0));
      } else if (!this.viewFailed) this.loadChat();
    } else if (this.view) this.view.sync(changed);
    if (changed.has('bridge')) this.syncBridge();
    if (changed.get('open') && !this.open) this.focusOnClose = !!this.shadowRoot?.activeElement;
  }

  /**
   * The panel's language: its `lang`, else the page's nearest, else the browser's, matched to
   * a shipped locale (read at every render, so a page that changes its `lang` is followed).
   * A locale not loaded yet loads now; English shows until it is here.
   */
  private pickLocale(stringsChanged: boolean): void {
    const requested = requestedLanguages(this, this.lang);
    const locale = matchLocale(requested);
    const tag = requested.find((t) => localeOf(t) === locale) ?? locale;
    const texts = loadedLocale(locale);
    const key = `${locale}|${tag}|${!!texts}`;
    if (key === this.textFor && !stringsChanged) return;
    this.textFor = key;
    this.locale = locale;
    this.intlLang = tag;
    this.text = { ...defaultStrings, ...texts, ...this.strings };
    if (locale !== 'en' && !texts) void fetchLocale(locale).then((loaded) => loaded && this.requestUpdate());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.contents?.setConnected(true);
    addEventListener('online', this.retryChat);
    if (this.viewFailed) waitingForChat.add(this);
    // On the first connection the first update decides (willUpdate), the options all known;
    // on another, an update does what waited meanwhile (a view held for a composition).
    if (this.hasUpdated) {
      this.followPanel();
      this.requestUpdate();
    }
    this.syncBridge();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.contents?.setConnected(false);
    removeEventListener('online', this.retryChat);
    waitingForChat.delete(this);
    // A composition cut off by the removal ends with it (the textbox hears no compositionend).
    this.composing = false;
    this.unfollowPanel = void this.unfollowPanel?.();
    this.syncBridge();
  }

  /** The app's channel, found when attached (apps inject it before the page's scripts). */
  private native: Bridge | null = null;
  private bridged = false;
  private unfollowPanel: (() => void) | undefined;

  /**
   * Follows the panel opened or closed in another tab, where there can be one: a launcher
   * whose conversation is in the local storage, shared by the tabs. Any other element adds
   * no `storage` listener: Chromium loads the page's storage areas for one, a few
   * milliseconds of a start-up that otherwise never touches them (`persist="none"`).
   */
  private followPanel(): void {
    const follows = this.isConnected && this.layout !== 'inline' && (storages[this.persist] ?? storages.local) === storages.local;
    if (follows === !!this.unfollowPanel) return;
    this.unfollowPanel = follows ? followPanelElsewhere(() => this.chatbotId, (open) => (this.open = open)) : void this.unfollowPanel?.();
  }

  private syncBridge(): void {
    const on = this.isConnected && this.bridge !== 'off';
    if (on === this.bridged) return;
    this.bridged = on;
    this.native = on ? detectBridge() : null;
    for (const type of BRIDGED_EVENTS) this[on && this.native ? 'addEventListener' : 'removeEventListener'](type, this.toApp);
    if (on && this.native) listen(this.commands);
    else unlisten(this.commands);
  }

  private toApp = (event: Event): void => this.native?.post(event.type, (event as CustomEvent).detail);

  /** What the app's commands do: the public methods, and setting strings or options. */
  private readonly commands: CommandTarget = {
    show: () => this.show(),
    hide: () => this.hide(),
    send: (text) => this.send(text),
    requestHuman: () => this.requestHuman(),
    endLiveChat: () => this.endLiveChat(),
    reset: () => this.reset(),
    setStrings: (strings) => void (this.strings = { ...this.strings, ...strings }),
    setOptions: (options) => {
      for (const key of OPTIONS) if (key in options) (this as Record<string, unknown>)[key] = options[key];
    },
  };

  protected override updated(changed: PropertyValues<this>): void {
    // Into the panel once its contents are here (the script-tag build may still load them),
    // unless the visitor has moved on meanwhile: the focus is no longer where it was.
    const moved = document.activeElement !== this.focusFrom && document.activeElement !== this && document.activeElement !== document.body;
    // Looked for only to focus it: the selector walks the log's rows before the composer.
    const input = this.focusOnOpen && this.open && this.input;
    if (input && !moved) input.focus();
    if (this.focusOnClose) this.frame?.launcher.focus();
    if (!this.open || input) this.focusOnOpen = false;
    this.focusOnClose = false;
    if (changed.has('open') && changed.get('open') !== undefined && !this.restoredOpen) {
      emit(this, this.open ? 'webchat-open' : 'webchat-close');
      if (this.layout !== 'inline' && this.chatbotId) rememberPanel(this.storage, this.chatbotId, this.open);
    }
    this.restoredOpen = false;
    this.view?.updated();
    if (this.draft) {
      const draft = this.draft;
      this.draft = null;
      giveDraft(this.frame!.panel, draft);
    }
  }

  /** The frame (frame.ts) follows the properties by hand; Lit renders the panel's contents
   * into its section once they may be seen (or the view is here). */
  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    const frame = this.frame!;
    const { box, panel } = frame;
    const s = this.text;
    const floating = this.layout !== 'inline';
    // Set only when they differ: an update (each second of a reconnection's countdown) that
    // changes none of them mutates nothing.
    setAttr(box, 'class', floating ? 'floating' : 'inline');
    setAttr(panel, 'role', floating ? 'dialog' : 'region');
    setAttr(panel, 'aria-label', s.title);
    if (isRtl(this.locale)) setAttr(panel, 'dir', 'rtl');
    else panel.removeAttribute('dir');
    panel.hidden = floating && !this.open;
    if (floating) {
      // Moved only when not there: a move would take the focus off it.
      if (frame.launcher.parentNode !== box) box.append(frame.launcher);
      syncLauncher(frame, this.open, s, this.state.unread, this.intlLang);
    } else frame.launcher.remove();
    if (this.view || this.contents || !panel.hidden) {
      // The view's first render replaces the early panel: what the visitor typed goes over.
      if (this.view && this.early) {
        this.draft = takeDraft(panel, this.renderRoot as ShadowRoot, this.sendEarly);
        this.sendEarly = false;
      }
      if (!this.view && !this.earlyAsked) {
        this.earlyAsked = true;
        const painted = new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
        // A new conversation paints the early panel at once, and the view takes over after
        // that frame: the visitor has a textbox a whole chat part's evaluation and first render
        // sooner. A kept one waits a frame for its view, so that a preloaded chat part shows
        // its rows in the first frame, with no empty panel before them; a chat part still
        // away then (a network's fetch) leaves the early panel meanwhile.
        if (!this.keepsConversation()) {
          this.earlyDue = true;
          this.viewAfter = painted;
        }
        void painted.then(() => {
          this.earlyDue = true;
          if (!this.view) this.requestUpdate();
        });
      }
      this.early = !this.view && this.earlyDue;
      if (this.early) this.adoptViewStyles(this.renderRoot as ShadowRoot, [panelStyles]);
      const alert = this.viewFailed
        ? html`<p class="error" part="error" role="alert">${s.unavailable}</p><button type="button" class="retry-chat" part="retry" @click=${this.retryChat}>${s.retry}</button>`
        : null;
      this.renderOptions.isConnected = this.isConnected;
      this.contents = render(
        this.view
          ? this.view.render()
          : html`<header part="header"><strong part="title">${s.title}</strong></header>${this.early ? earlyPanel(s, alert, this.onEarlySubmit, this.onEarlyInput) : alert}`,
        panel,
        this.renderOptions,
      );
    }
    // Waiting for the conversation's code: busy until there is a textbox to use (the early one).
    const pending = !this.view && !this.viewFailed;
    panel.classList.toggle('pending', pending);
    if (pending && !this.early) setAttr(panel, 'aria-busy', 'true');
    else panel.removeAttribute('aria-busy');
  }

  /** The panel's contents are the shell's early ones (early-composer.ts). */
  private early = false;
  private earlyAsked = false;
  private earlyDue = false;
  /** The view attaches once this has settled: after the early panel's first frame. */
  private viewAfter: Promise<void> | undefined;
  /** A send asked for in the early composer, done by the view's once it is here. */
  private sendEarly = false;
  /** What the early composer held, for the view's composer after its first render. */
  private draft: Draft | null = null;

  /** A send from the early composer waits for the view's: only for a text, and only until
   * the visitor changes it (or the code fails to load), so nothing they did not send leaves. */
  private onEarlySubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('message') as HTMLTextAreaElement;
    this.sendEarly = !!input.value.trim();
    this.retryChat();
  };

  private onEarlyInput = (): void => void (this.sendEarly = false);

  /** The visitor composes in the early textbox (an IME's candidates open): see attachView. */
  private composing = false;

  private onComposition = ({ type }: Event): void => {
    this.composing = type == 'compositionstart';
    this.requestUpdate();
  };

  private get input() {
    return this.renderRoot.querySelector('textarea');
  }

  private onClick = (event: MouseEvent): void => this.view?.click(event, this.linkTarget);

  private toggle = (): void => (this.open ? this.hide() : this.show());

  private onKeydown = (event: KeyboardEvent): void => {
    // Escape while composing with an IME cancels the composition, not the chat.
    if (event.key === 'Escape' && !event.isComposing && this.layout !== 'inline') this.hide();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'webchat-agent': WebChatAgent;
  }
}
