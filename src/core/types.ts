/**
 * The headless client's public types: what any UI (the <webchat-agent> element, a
 * framework wrapper, a terminal client) sees and calls. No DOM types here.
 */
import type { Agent, FileLimits, FileRef, LiveStatus, Mode, Sender, Source, Visitor } from './protocol.ts';
import type { TabCoordinator } from './tabs.ts';

/** The conversation's axis [PROTOCOL §3]. */
export type ConversationState = 'new' | 'bot' | 'waiting' | 'live';

/** The transport's axis, separate from the conversation's. */
export type Connection =
  | { state: 'idle' }
  /** `attempt`: 0 for the first try, then the number of the reconnect attempt. */
  | { state: 'connecting'; attempt: number }
  | { state: 'joined' }
  /** `retryAt` is an epoch-milliseconds time; `attempt` counts from 1. */
  | { state: 'reconnecting'; attempt: number; retryAt: number }
  /** The runtime said it is offline (the `offline` event); the client reconnects on `online`.
   * Otherwise it never gives up: reconnecting goes on with delays capped at `maxDelayMs`. */
  | { state: 'offline' };

export type ConnectionState = Connection['state'];

/** Delivery of a visitor's message. */
/** A visitor's message with files is `sending` from the start; while they upload it also has `upload`. */
export type Delivery = 'sending' | 'sent' | 'failed';

/** [ext] A file of a visitor's message before the server has it: what a UI shows of it. */
export interface OutgoingFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

export interface ChatMessage {
  /**
   * Stable identity: the `clientMessageId` for the visitor's own messages (it never
   * changes, so a UI's keyed list never re-creates the row), the server's id otherwise.
   */
  readonly id: string;
  /** The server's id, once known. */
  readonly serverId?: string | undefined;
  /** The visitor's own id for it, kept from the moment it was typed. */
  readonly clientMessageId?: string | undefined;
  readonly sender: Sender;
  /** Text, except where `html` is true (bot replies): then sanitise before rendering. */
  readonly content: string;
  readonly html: boolean;
  readonly sources: readonly Source[];
  /** ISO 8601: the server's time when known, the local time while pending. */
  readonly createdAt: string;
  /** Visitor messages only. */
  readonly delivery?: Delivery | undefined;
  /** Why the last attempt failed (visitor messages with delivery "failed"). */
  readonly error?: ChatError | undefined;
  /** The agent who wrote it, when the server says. */
  readonly agent?: Agent | undefined;
  /** [ext] Files sent with it, as the server described them (for a visitor's message being
   * uploaded: those uploaded so far). */
  readonly attachments?: readonly FileRef[] | undefined;
  /** [ext] A visitor's message whose files are not all uploaded: them, and the fraction of
   * their bytes sent (0..1). Gone once every file is uploaded. */
  readonly upload?: { readonly files: readonly OutgoingFile[]; readonly progress: number } | undefined;
  /** [ext] The text as written, when `content` is its translation into the visitor's language. */
  readonly original?: string | undefined;
}

export type ChatErrorCode =
  /** The text is empty or longer than 700 characters after trimming; nothing was sent. */
  | 'invalid_message'
  /** HTTP 400. */
  | 'bad_request'
  /** HTTP 403: this page's origin is not allowed for the chatbot. */
  | 'forbidden'
  /** HTTP 404: unknown chatbot or session. */
  | 'not_found'
  /** HTTP 413. */
  | 'payload_too_large'
  /** HTTP 429; `retryAfter` in seconds when the server said. */
  | 'rate_limited'
  /** HTTP 5xx or another unexpected status. */
  | 'server_error'
  /** The request never got an answer (offline, DNS, CORS, aborted). */
  | 'network'
  /** A body failed its schema or was not JSON. */
  | 'invalid_response'
  /** A WebSocket frame failed its schema or was not JSON. */
  | 'invalid_frame'
  /** The server refused a frame or a join (`livechat:error`). */
  | 'live_chat_refused'
  /** The live-chat socket could not be (re)established. */
  | 'connection'
  /** [ext] A file was refused before any byte went out: `serverCode` says why
   * (`file_too_large`, `unsupported_type`, `too_many_files`, `empty_file`, `not_live`,
   * `files_unsupported`, `file_unavailable`). */
  | 'file_rejected'
  /** The set-up is wrong: no WebSocket implementation, an unknown chatbot id. The visitor
   * reads a plain sentence; the details go to `console.warn` for the integrator. */
  | 'configuration';

export interface ChatError {
  readonly code: ChatErrorCode;
  readonly message: string;
  /** HTTP status, when the error came from a response. */
  readonly status?: number | undefined;
  /** Seconds, from `Retry-After`. */
  readonly retryAfter?: number | undefined;
  /** The server's own error code, when its body had one. */
  readonly serverCode?: string | undefined;
}

/**
 * A snapshot of the conversation: exactly these fields, frozen (messages included), and a
 * new object whenever any of them changes. The client's working data (its outbox, queues,
 * socket generations) is not part of it.
 */
export interface ChatState {
  readonly sessionId: string | null;
  readonly conversation: ConversationState;
  readonly mode: Mode;
  readonly status: LiveStatus | null;
  readonly connection: Connection;
  /** Ordered: server time/sequence, pending outgoing messages last. */
  readonly messages: readonly ChatMessage[];
  /** The other side is typing: the agent in live chat, the bot while a reply is pending. */
  readonly typing: boolean;
  /** The agent in live chat, when known. */
  readonly agent: Agent | null;
  /** The last error; cleared by the next success of the same kind. */
  readonly error: ChatError | null;
  /** A live chat ended and the visitor has not written since ("Chat ended"). */
  readonly ended: boolean;
  /** Bot, agent and system messages added while the UI said it was not being read
   * (`setReading(false)`), those the history brings that were never shown (written while
   * the page was closed) included; back to 0 on `markRead()` or `setReading(true)`. Persisted. */
  readonly unread: number;
  /** [ext] What the live chat's server takes in files (from its join acknowledgement); null
   * when it takes none, or before the join: then a UI offers no files. */
  readonly files: FileLimits | null;
}

/** Key/value storage: localStorage, sessionStorage, memory, or an app's own. */
export interface StorageAdapter {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A handler property the client only assigns; bivariant, so the DOM's and `ws`'s own
 * event types both fit. */
type Handler<E> = { handle(event: E): void }['handle'] | null;

/** The subset of the WebSocket API the client uses (browser WebSocket, `ws`, …). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown>;
  onmessage: Handler<{ data: unknown }>;
  onclose: Handler<{ code: number; reason: string; wasClean?: boolean }>;
  onerror: Handler<unknown>;
}

export type WebSocketFactory = new (url: string) => WebSocketLike;

export interface ChatClientOptions {
  /** The REST base URL, e.g. `https://app.webchatagent.com`. */
  baseUrl: string;
  chatbotId: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Defaults to the global `WebSocket`; pass `ws`'s in Node. */
  WebSocket?: WebSocketFactory;
  /** Where the session id and transcript persist; defaults to memory. */
  storage?: StorageAdapter;
  /** Namespaces the stored keys; defaults to the chatbot id. */
  storageKey?: string;
  /** The visitor's language, sent with the join and live messages. */
  lang?: string;
  /** The page the visitor is on, sent with REST messages and as `client:meta`. A function
   * is read at each send, so a single-page app reports the page the visitor is on now. */
  pageUrl?: string | (() => string | undefined);
  pageTitle?: string | (() => string | undefined);
  /** [ext] Who the visitor is, when the host knows: sent as `client:meta` after a join and
   * with every REST message. Each visitor (told apart by `id`, else `email`, else `name`)
   * has a conversation of their own: a client made for another visitor starts a new one and
   * never shows the previous visitor's. `hash`: HMAC-SHA256(secret, id) in hex, from the
   * host's backend, for a server that verifies identities. */
  visitor?: Visitor;
  /** Ask the service to translate the conversation into `lang`: the join carries
   * `translateEnabled` and `retranslateBacklog`. */
  translate?: boolean;
  /** The phrase `requestHuman()` sends. */
  humanRequestText?: string;
  /** Watch the session over a `widget` socket in bot mode, so a takeover shows at once. */
  monitor?: boolean;
  /** Reconnect backoff: first delay and cap, in ms (defaults 1000 and 30000). */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Clock and timers, for tests. */
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  /** Makes a message's `clientMessageId`; defaults to `crypto.randomUUID` when available. */
  createId?: () => string;
  /** How long after the last `setTyping(true)` the client says it stopped (default 4000). */
  typingTimeoutMs?: number;
  /** Debounce of transcript writes to storage (default 250). */
  persistDelayMs?: number;
  /** Shares one conversation between the tabs (or webviews) of one origin that use the
   * same storage: one of them, the leader, talks to the service and writes the storage,
   * the others go through it (`browserTabs()` in a browser). None: each client is alone. */
  coordinator?: TabCoordinator;
}

/** `setTimeout`/`clearTimeout`, injectable so tests can drive time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type ChatEvent =
  | { type: 'state'; state: ChatState }
  /** A message was added (not on updates of an existing one, e.g. delivery). */
  | { type: 'message'; message: ChatMessage }
  | { type: 'error'; error: ChatError };

export type ChatListener = (event: ChatEvent) => void;

/** The public headless API. */
export interface ChatClient {
  readonly state: ChatState;
  /** Sends over REST in bot mode and over the socket in live chat. Resolves when handled;
   * never rejects: failures are in the state (message `failed`, `error`) and events. */
  send(text: string): Promise<void>;
  /** Sends a failed message again, with the same identity (a file not yet uploaded uploads again). */
  retry(messageId: string): Promise<void>;
  /** [ext] Sends files in live chat, one message with an optional caption: uploaded first
   * (the message is `sending` with `upload.progress`, the fraction of bytes sent), then sent with
   * their references. A `string` is a file's path (Node only). Resolves when the message is
   * handled; never rejects: refusals are `file_rejected` errors, failures a `failed` message. */
  sendFile(file: Blob | string | readonly (Blob | string)[], options?: { caption?: string; name?: string }): Promise<void>;
  /** [ext] Takes back a message whose files are still uploading (or failed to): it stops and goes. */
  cancelUpload(messageId: string): void;
  requestHuman(): Promise<void>;
  endLiveChat(): void;
  setTyping(on: boolean): void;
  /** The UI says whether the conversation is being read (its panel open, the page
   * visible). While not, messages from the other side count in `unread`; `true` reads
   * them. A client starts as being read. */
  setReading(on: boolean): void;
  /** Sets `unread` to 0. */
  markRead(): void;
  /** Forgets the session and the transcript; the next message starts a new conversation. */
  reset(): void;
  /** Called with every event; returns the unsubscribe function. */
  subscribe(listener: ChatListener): () => void;
  /** Loads the persisted transcript and, when a session exists, the server's history;
   * resumes live chat if the session is in it. Called once by the UI on start. */
  start(): Promise<void>;
  /** Closes sockets and timers and aborts requests in flight (a REST send then fails, its
   * text kept); nothing runs or writes storage until `start()` is called again. */
  dispose(): void;
}
