/**
 * The reducer's model: the public `ChatState` fields and, beside them, the working fields
 * no UI sees (the outbox, the REST queue, socket generations, counters). Also the inputs
 * the runner feeds in, the effects it carries out, and the few helpers every concern uses.
 */
import { isLiveChat } from './protocol.ts';
import { UNAVAILABLE } from './unavailable.ts';
import type { FileRef, ChatRequest, ChatResponse, ClientFrame, FrameParse, HistoryResponse, JoinRole, LiveStatus, Mode, ServerFrame, Visitor } from './protocol.ts';
import type { LivePart } from './live.ts';
import type { ChatError, ChatEvent, ChatMessage, ChatState, ConversationState, OutgoingFile } from './types.ts';

/** The socket the conversation wants: `gen` tells its events from a replaced socket's. */
export interface SocketWish {
  readonly role: JoinRole;
  readonly gen: number;
  /** The session it is for: a socket never outlives its session. */
  readonly sessionId: string;
  /** `client:join` went out on this socket. */
  readonly asked: boolean;
  /** The join was acknowledged. */
  readonly joined: boolean;
}

export interface Model extends ChatState {
  /** clientMessageIds to send (again) over the socket until the server echoes them. */
  readonly outbox: readonly string[];
  /** REST sends waiting their turn (one request at a time, so each carries the session id). */
  readonly restQueue: readonly string[];
  /** The REST send on the wire, and the status count when it left (see `statusSeq`). */
  readonly restInFlight: { readonly id: string; readonly statusSeq: number } | null;
  readonly socket: SocketWish | null;
  /** Sockets opened so far: the source of `SocketWish.gen`. */
  readonly gen: number;
  /** Failed connection attempts in a row. */
  readonly attempt: number;
  readonly agentTyping: boolean;
  /** The last `isTyping` this client sent. */
  readonly typingSent: boolean;
  readonly online: boolean;
  /** Load the history after the next join (the socket was lost or replaced meanwhile). */
  readonly reload: boolean;
  /** Counts status changes that are news (socket events, the visitor ending the chat): a
   * REST reply or history requested before the latest one must not undo it. */
  readonly statusSeq: number;
  /** The visitor ended the live chat before the join: `client:end` goes right after it. */
  readonly ending: boolean;
  /** The history request in flight: its number, and what the transcript and status count
   * were when it left (what came since must survive the merge). */
  readonly history: { readonly seq: number; readonly asOf: readonly ChatMessage[]; readonly statusSeq: number } | null;
  readonly historySeq: number;
  /** Failed history loads in a row: the retry's backoff. */
  readonly historyAttempt: number;
  /** The live chat just ended: the visitor's socket stays a moment for the messages that
   * follow the end (the service's notice may come after `livechat:ended`). */
  readonly lingering: boolean;
  /** [ext] The heartbeat the server offered on the join (ms), 0 when none. */
  readonly heartbeatMs: number;
  /** A ping went out and nothing has been received since. */
  readonly pingOut: boolean;
  /** Delivery timeouts in a row with no echo: the second one fails the outbox. */
  readonly strikes: number;
  /** The echo deadline is armed: it runs from the oldest unconfirmed send, and a visitor who
   * keeps writing must not push it back. */
  readonly echoDue: boolean;
  /** The UI says the conversation is being read (panel open, page visible): new messages
   * from the other side are read as they arrive. True until a UI says otherwise, so a
   * client without one never piles up a count. */
  readonly reading: boolean;
  /** [ext] Visitor messages whose files wait to upload, in order; the one uploading. */
  readonly uploads: readonly string[];
  readonly uploading: string | null;
}

export type Draft = { -readonly [K in keyof Model]: Model[K] };

export interface Config {
  readonly chatbotId: string;
  readonly lang?: string | undefined;
  readonly pageUrl?: string | undefined;
  readonly pageTitle?: string | undefined;
  readonly monitor?: boolean | undefined;
  /** [ext] Who the visitor is, as the wire carries it (`client:meta`, REST bodies). */
  readonly visitor?: Visitor | undefined;
  /** Ask the service to translate (the join's `translateEnabled` and `retranslateBacklog`). */
  readonly translate?: boolean | undefined;
  /** A WebSocket implementation exists: without one, live chat is a configuration error. */
  readonly sockets?: boolean | undefined;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly typingTimeoutMs: number;
  /** How long the visitor's socket stays after a live chat ends (default 3000). */
  readonly lingerMs?: number | undefined;
  /** The live part (live.ts), once loaded: without it, an input that needs a socket is
   * handed back with a `load` effect (socket-base.ts). */
  readonly live?: LivePart | undefined;
}

export type TimerName = 'reconnect' | 'typing' | 'agentTyping' | 'delivery' | 'heartbeat' | 'join' | 'linger' | 'history';

export type Input =
  | { type: 'send'; id: string; text: string; now: number }
  | { type: 'retry'; id: string }
  | { type: 'restOk'; id: string; sessionId: string | null; body: ChatResponse; now: number }
  | { type: 'restFail'; id: string; error: ChatError }
  /** `start()`: catch up with the server, then open what the conversation needs. */
  | { type: 'resume' }
  /** `body: null`: the server has no history endpoint (404). `seq`: the request's number. */
  | { type: 'history'; seq: number; sessionId: string; body: HistoryResponse | null }
  /** `jitter`: a draw from [0, 1) for the retry's backoff. */
  | { type: 'historyFail'; seq: number; sessionId: string; error: ChatError; jitter?: number }
  | { type: 'socketOpen'; gen: number }
  | { type: 'socketFrame'; gen: number; parse: FrameParse<ServerFrame> }
  /** `jitter` is a draw from [0, 1) for the backoff; `code`: the close code, when known. */
  | { type: 'socketClose'; gen: number; now: number; jitter: number; code?: number | undefined }
  /** A timer fired; `now` and `jitter` serve timers that may lead to a reconnect. */
  | { type: 'timer'; name: TimerName; now?: number; jitter?: number }
  | { type: 'online' }
  | { type: 'offline' }
  | { type: 'typing'; on: boolean }
  | { type: 'end' }
  | { type: 'reset' }
  /** The UI starts or stops showing the conversation; starting reads what came meanwhile. */
  | { type: 'reading'; on: boolean }
  | { type: 'markRead' }
  /** `dispose()`: close sockets and timers, keep the conversation. */
  | { type: 'suspend' }
  /** [ext] Files for the live chat; the runner holds their bytes under `id`. */
  | { type: 'sendFile'; id: string; files: readonly OutgoingFile[]; caption: string; now: number }
  | { type: 'uploadProgress'; id: string; fraction: number }
  | { type: 'uploadOk'; id: string; file: FileRef }
  | { type: 'uploadFail'; id: string; error: ChatError }
  | { type: 'cancelUpload'; id: string }
  /** The live part loaded (`error: null`), or failed to (then tried again). */
  | { type: 'part'; error: ChatError | null };

export type Effect =
  | { type: 'rest'; id: string; sessionId: string | null; body: ChatRequest }
  | { type: 'history'; seq: number; sessionId: string }
  | { type: 'open'; gen: number }
  | { type: 'close' }
  | { type: 'frame'; frame: ClientFrame }
  | { type: 'timer'; name: TimerName; ms: number }
  | { type: 'cancel'; name: TimerName }
  /** Write the session and transcript (the runner debounces). */
  | { type: 'persist' }
  | { type: 'forget' }
  | { type: 'emit'; event: ChatEvent }
  /** For the integrator (console.warn): the set-up is wrong, the visitor was told plainly. */
  | { type: 'warn'; message: string }
  /** [ext] Upload file `index` of message `id`'s files; `abortUpload` stops it. */
  | { type: 'upload'; id: string; index: number; sessionId: string }
  | { type: 'abortUpload'; id: string }
  /** The input needs a part that is not loaded: load it, then give the input again. */
  | { type: 'load'; part: 'live' };

export function initialModel(): Model {
  return {
    sessionId: null,
    conversation: 'new',
    mode: 'bot',
    status: null,
    connection: { state: 'idle' },
    messages: [],
    typing: false,
    agent: null,
    error: null,
    ended: false,
    unread: 0,
    outbox: [],
    restQueue: [],
    restInFlight: null,
    socket: null,
    gen: 0,
    attempt: 0,
    agentTyping: false,
    typingSent: false,
    online: true,
    reload: false,
    statusSeq: 0,
    ending: false,
    history: null,
    historySeq: 0,
    historyAttempt: 0,
    lingering: false,
    heartbeatMs: 0,
    pingOut: false,
    strikes: 0,
    echoDue: false,
    reading: true,
    files: null,
    uploads: [],
    uploading: null,
  };
}

/** The public fields, in the order `ChatState` documents them. */
export const STATE_KEYS = ['sessionId', 'conversation', 'mode', 'status', 'connection', 'messages', 'typing', 'agent', 'error', 'ended', 'unread', 'files'] as const satisfies readonly (keyof ChatState)[];

export function conversationOf(model: Pick<Model, 'sessionId' | 'mode' | 'status'>): ConversationState {
  if (!model.sessionId) return 'new';
  if (!isLiveChat(model.mode, model.status)) return 'bot';
  return model.status === 'waiting' ? 'waiting' : 'live';
}

export const isLive = (m: Pick<Model, 'sessionId' | 'mode' | 'status'>): boolean => !!m.sessionId && isLiveChat(m.mode, m.status);

/** What a visitor reads when the chat itself is set up wrong; the details go to the console. */
export { UNAVAILABLE };

/** Records and announces an error; returns it as shown. A chatbot the service does not know
 * is the integrator's mistake: the visitor reads a plain sentence, the console the details. */
export function fail(m: Draft, fx: Effect[], error: ChatError): ChatError {
  if (error.serverCode === 'unknown_chatbot') {
    fx.push({ type: 'warn', message: `webchat-agent: the service does not know this chatbot id (${error.message}). Check the chatbot-id attribute or the chatbotId option.` });
    error = { ...error, code: 'configuration', message: UNAVAILABLE };
  }
  m.error = error;
  fx.push({ type: 'emit', event: { type: 'error', error } });
  return error;
}

export function applyStatus(m: Draft, mode: Mode, status: LiveStatus | null): void {
  if (status === 'closed') return backToBot(m);
  m.mode = mode;
  m.status = status;
}

/** [doc] Back to REST with the same session. */
export function backToBot(m: Draft): void {
  m.mode = 'bot';
  m.status = 'closed';
  m.agentTyping = false;
}

export const lang = (config: Config) => (config.lang ? { lang: config.lang } : {});
