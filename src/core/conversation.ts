/**
 * The conversation as a pure function: `update(model, input, config) → { model, effects }`.
 *
 * Nothing here touches the network, timers, storage or the clock: the runner in client.ts
 * carries out the effects and feeds their outcomes back as inputs (with the time and a
 * jitter draw), so every rule of the protocol can be tested by calling `update`.
 */
import { MAX_MESSAGE_LENGTH, isValidMessageText } from './protocol.ts';
import type {
  Agent,
  ChatRequest,
  ChatResponse,
  ClientFrame,
  FrameParse,
  HistoryMessage,
  HistoryResponse,
  JoinRole,
  LiveStatus,
  Mode,
  ServerFrame,
} from './protocol.ts';
import { gone } from './rest.ts';
import type { ChatError, ChatEvent, ChatMessage, ChatState, ConversationState } from './types.ts';

/** The socket the conversation wants: `gen` tells its events from a replaced socket's. */
export interface SocketWish {
  readonly role: JoinRole;
  readonly gen: number;
  /** `client:join` went out on this socket. */
  readonly asked: boolean;
  /** The join was acknowledged. */
  readonly joined: boolean;
}

export interface Model extends ChatState {
  /** clientMessageIds to send (again) over the socket until the server echoes them. */
  readonly outbox: readonly string[];
  readonly socket: SocketWish | null;
  /** Sockets opened so far: the source of `SocketWish.gen`. */
  readonly gen: number;
  /** Failed connection attempts in a row. */
  readonly attempt: number;
  /** REST requests in flight: the bot "types" meanwhile. */
  readonly restPending: number;
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
}

export interface Config {
  readonly chatbotId: string;
  readonly lang?: string | undefined;
  readonly pageUrl?: string | undefined;
  readonly pageTitle?: string | undefined;
  readonly monitor?: boolean | undefined;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly typingTimeoutMs: number;
}

export type TimerName = 'reconnect' | 'typing' | 'agentTyping' | 'delivery';

export type Input =
  | { type: 'send'; id: string; text: string; now: number }
  | { type: 'retry'; id: string }
  /** `asOf`: the model when the request went out. */
  | { type: 'restOk'; id: string; sessionId: string | null; body: ChatResponse; now: number; asOf: Model }
  | { type: 'restFail'; id: string; error: ChatError }
  /** A queued REST send found, at its turn, the conversation reset or moved to live chat. */
  | { type: 'restSkip'; id: string }
  /** `start()`: catch up with the server, then open what the conversation needs. */
  | { type: 'resume' }
  /** `body: null`: the server has no history endpoint (404). `asOf`: the model when it was requested. */
  | { type: 'history'; sessionId: string; body: HistoryResponse | null; asOf: Model }
  | { type: 'historyFail'; sessionId: string; error: ChatError }
  | { type: 'socketOpen'; gen: number }
  | { type: 'socketFrame'; gen: number; parse: FrameParse<ServerFrame> }
  /** `jitter` is a draw from [0, 1) for the backoff; `code`: the close code, when known. */
  | { type: 'socketClose'; gen: number; now: number; jitter: number; code?: number | undefined }
  | { type: 'timer'; name: TimerName }
  | { type: 'online' }
  | { type: 'offline' }
  | { type: 'typing'; on: boolean }
  | { type: 'end' }
  | { type: 'reset' }
  /** `dispose()`: close sockets and timers, keep the conversation. */
  | { type: 'suspend' };

export type Effect =
  | { type: 'rest'; id: string; body: ChatRequest }
  | { type: 'history'; sessionId: string }
  | { type: 'open'; gen: number }
  | { type: 'close' }
  | { type: 'frame'; frame: ClientFrame }
  | { type: 'timer'; name: TimerName; ms: number }
  | { type: 'cancel'; name: TimerName }
  /** Write the session and transcript (the runner debounces). */
  | { type: 'persist' }
  | { type: 'forget' }
  | { type: 'emit'; event: ChatEvent };

/** What the storage keeps between page loads. */
export interface Persisted {
  sessionId: string | null;
  mode?: Mode | undefined;
  status?: LiveStatus | null | undefined;
  agent?: Agent | null | undefined;
  messages?: ChatMessage[] | undefined;
  outbox?: string[] | undefined;
}

type Draft = { -readonly [K in keyof Model]: Model[K] };

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
    outbox: [],
    socket: null,
    gen: 0,
    attempt: 0,
    restPending: 0,
    agentTyping: false,
    typingSent: false,
    online: true,
    reload: false,
    statusSeq: 0,
    ending: false,
  };
}

/** A model from storage, with or without a session (a failed first message, a dropped
 * session: the transcript stays). A REST send cut off by the page unloading can't be known
 * to have arrived: it shows as failed, text kept. Live ones stay in the outbox (resends are safe). */
export function restore(saved: Persisted | null): Model {
  const model = initialModel();
  if (!saved) return model;
  const outbox = (saved.sessionId && saved.outbox) || [];
  // Storage is outside this code's control: keep only what looks like a message.
  const wellFormed = (x: ChatMessage) => typeof x?.id === 'string' && typeof x.content === 'string' && typeof x.createdAt === 'string';
  const messages = (saved.messages ?? []).filter(wellFormed).map((message) =>
    message.delivery === 'sending' && !outbox.includes(message.id)
      ? { ...message, delivery: 'failed' as const, error: interrupted }
      : message,
  );
  const draft: Draft = {
    ...model,
    sessionId: saved.sessionId || null,
    mode: saved.mode ?? 'bot',
    status: saved.status ?? null,
    agent: saved.agent ?? null,
    messages: order(messages),
    outbox,
  };
  draft.conversation = conversationOf(draft);
  return draft;
}

export function persisted(model: Model): Persisted {
  const { sessionId, mode, status, agent, outbox } = model;
  return { sessionId, mode, status, agent, messages: [...model.messages], outbox: [...outbox] };
}

const interrupted: ChatError = { code: 'network', message: 'Not confirmed before the page closed.' };

export function update(model: Model, input: Input, config: Config): { model: Model; effects: Effect[] } {
  const draft: Draft = { ...model };
  const effects: Effect[] = [];
  step(draft, input, config, effects);
  draft.typing = draft.restPending > 0 || draft.agentTyping;
  draft.conversation = conversationOf(draft);
  const changed = (Object.keys(draft) as (keyof Model)[]).filter((key) => draft[key] !== model[key]);
  if (changed.length === 0) return { model, effects };
  if (changed.some((key) => persistedKeys.has(key)) && input.type !== 'reset') effects.push({ type: 'persist' });
  return { model: draft, effects };
}

const persistedKeys: ReadonlySet<keyof Model> = new Set(['sessionId', 'mode', 'status', 'agent', 'messages', 'outbox']);

export function conversationOf(model: Pick<Model, 'sessionId' | 'mode' | 'status'>): ConversationState {
  if (!model.sessionId) return 'new';
  if (model.mode !== 'human') return 'bot';
  return model.status === 'waiting' ? 'waiting' : model.status === 'open' ? 'live' : 'bot';
}

const isLive = (m: Draft): boolean => {
  const c = conversationOf(m);
  return c === 'waiting' || c === 'live';
};

function step(m: Draft, input: Input, config: Config, fx: Effect[]): void {
  switch (input.type) {
    case 'send': {
      const text = input.text.trim();
      if (!isValidMessageText(text)) {
        fail(m, fx, {
          code: 'invalid_message',
          message: `A message must be 1 to ${MAX_MESSAGE_LENGTH} characters long.`,
        });
        return;
      }
      const message: ChatMessage = {
        id: input.id,
        clientMessageId: input.id,
        sender: 'user',
        content: text,
        html: false,
        sources: [],
        createdAt: stamp(m, input.now),
        delivery: 'sending',
      };
      add(m, fx, message);
      deliver(m, fx, config, message);
      return;
    }
    case 'retry': {
      const message = m.messages.find((x) => x.id === input.id && x.delivery === 'failed');
      if (!message) return;
      const again = { ...message, delivery: 'sending' as const, error: undefined };
      patch(m, again);
      deliver(m, fx, config, again);
      return;
    }
    case 'restOk': {
      const message = m.messages.find((x) => x.id === input.id);
      if (!message) return; // reset while in flight
      m.restPending--;
      if (input.sessionId && input.sessionId !== m.sessionId) {
        // A new session (the server let the old one go): a socket joined to the old one must go.
        dropSocket(m, fx);
        m.sessionId = input.sessionId;
      }
      m.error = null;
      patch(m, { ...message, delivery: 'sent' });
      const { body } = input;
      if (body.reply.trim()) {
        add(m, fx, {
          id: body.messageId ?? `${input.id}:reply`,
          serverId: body.messageId ?? undefined,
          sender: 'bot',
          content: body.reply,
          html: true,
          sources: body.sources ?? [],
          createdAt: stamp(m, input.now),
        });
      }
      if (input.asOf.statusSeq === m.statusSeq) applyStatus(m, body.mode ?? 'bot', body.status ?? null);
      sync(m, fx, config);
      return;
    }
    case 'restFail': {
      const message = m.messages.find((x) => x.id === input.id);
      if (!message) return;
      m.restPending--;
      patch(m, { ...message, delivery: 'failed', error: input.error });
      fail(m, fx, input.error);
      if (input.error.status === 404 && m.sessionId) dropSession(m, fx, config);
      return;
    }
    case 'restSkip': {
      const message = m.messages.find((x) => x.id === input.id);
      if (!message) return;
      m.restPending--;
      deliver(m, fx, config, message);
      return;
    }
    case 'resume':
      if (m.sessionId) fx.push({ type: 'history', sessionId: m.sessionId });
      return;
    case 'history':
      if (input.sessionId !== m.sessionId) return;
      if (input.body) {
        m.error = null;
        m.messages = mergeHistory(m.messages, input.body.messages, input.asOf.messages);
        m.outbox = m.outbox.filter((id) => m.messages.some((x) => x.id === id && x.delivery === 'sending'));
        if (input.asOf.statusSeq === m.statusSeq) {
          m.agent = input.body.agent ?? m.agent;
          applyStatus(m, input.body.mode, input.body.status ?? null);
        }
      }
      sync(m, fx, config);
      return;
    case 'historyFail':
      if (input.sessionId !== m.sessionId) return;
      // A history 404 that fails names an unknown session (rest.ts): it expired meanwhile.
      if (input.error.status === 404) return dropSession(m, fx, config);
      fail(m, fx, input.error);
      sync(m, fx, config);
      return;
    case 'socketOpen': {
      const socket = m.socket;
      if (socket?.gen !== input.gen || socket.asked || !m.sessionId) return;
      m.socket = { ...socket, asked: true };
      fx.push({
        type: 'frame',
        frame: { type: 'client:join', chatbotId: config.chatbotId, sessionId: m.sessionId, as: socket.role, ...lang(config) },
      });
      return;
    }
    case 'socketFrame':
      if (m.socket?.gen === input.gen) onFrame(m, fx, config, input.parse);
      return;
    case 'socketClose': {
      const socket = m.socket;
      if (socket?.gen !== input.gen) return;
      // The reference server's close codes for a refused join: retrying can't help.
      if (input.code === 4401 || input.code === 4404) {
        return refused(m, fx, { code: 'live_chat_refused', message: 'The live chat refused this session.', serverCode: input.code === 4401 ? 'unauthorized' : 'unknown_session' });
      }
      m.typingSent = false;
      m.agentTyping = false;
      fx.push({ type: 'cancel', name: 'delivery' });
      m.reload = m.reload || socket.role === 'user';
      m.socket = { ...socket, asked: false, joined: false };
      // Said once per outage, not on every failed attempt; a join clears it. A watching
      // widget socket is an extra: its failures are not the visitor's concern.
      if (socket.role === 'user' && !socket.joined && m.error?.code !== 'connection') {
        fail(m, fx, { code: 'connection', message: 'The live chat cannot be reached.' });
      }
      if (!m.online) {
        m.connection = { state: 'offline' };
        return;
      }
      const attempt = m.attempt + 1;
      const delay = Math.floor(input.jitter * Math.min(config.maxDelayMs, config.initialDelayMs * 2 ** (attempt - 1)));
      m.attempt = attempt;
      m.connection = { state: 'reconnecting', attempt, retryAt: input.now + delay };
      fx.push({ type: 'timer', name: 'reconnect', ms: delay });
      return;
    }
    case 'timer':
      if (input.name === 'agentTyping') m.agentTyping = false;
      // Nothing confirmed for a while on a socket that seems fine (a refused or lost frame):
      // the visitor gets Retry instead of "sending" for good.
      else if (input.name === 'delivery') failOutbox(m, { code: 'connection', message: 'The live chat did not confirm this message.' });
      else if (input.name === 'typing') stopTyping(m, fx, config);
      else if (m.socket && m.connection.state === 'reconnecting') open(m, fx, m.socket.role);
      return;
    case 'online':
      m.online = true;
      if (m.socket && m.connection.state === 'offline') open(m, fx, m.socket.role);
      return;
    case 'offline':
      m.online = false;
      if (m.socket) {
        closeSocket(m, fx);
        // Still wanted: remembered with a fresh gen so the closed socket's events are ignored.
        m.gen++;
        m.socket = { role: m.socket.role, gen: m.gen, asked: false, joined: false };
        m.reload = m.reload || m.socket.role === 'user';
        m.connection = { state: 'offline' };
      }
      return;
    case 'typing':
      if (input.on) startTyping(m, fx, config);
      else stopTyping(m, fx, config);
      return;
    case 'end':
      if (!isLive(m)) return;
      if (m.socket?.joined) {
        stopTyping(m, fx, config);
        sendEnd(m, fx, config);
      } else m.ending = true;
      m.statusSeq++;
      backToBot(m);
      sync(m, fx, config);
      return;
    case 'reset':
      // The server must not keep the visitor waiting for an agent.
      if (m.socket?.joined && isLive(m)) sendEnd(m, fx, config);
      closeSocket(m, fx);
      fx.push({ type: 'cancel', name: 'typing' }, { type: 'forget' });
      Object.assign(m, initialModel(), { gen: m.gen, online: m.online });
      return;
    case 'suspend':
      return dropSocket(m, fx);
  }
}

function onFrame(m: Draft, fx: Effect[], config: Config, parse: FrameParse<ServerFrame>): void {
  if (parse.kind === 'ignored') return;
  if (parse.kind === 'invalid') {
    fail(m, fx, { code: 'invalid_frame', message: `The live chat sent an invalid frame (${parse.reason}).` });
    return;
  }
  const frame = parse.frame;
  const socket = m.socket!;
  // [doc] The session guard. The one exception: the answer to this socket's pending join,
  // which carries no sessionId (the acknowledgement, or a refusal of the join).
  const pending = socket.asked && !socket.joined;
  const answersJoin = frame.sessionId === undefined && pending;
  if (frame.sessionId !== m.sessionId && !answersJoin) return;
  switch (frame.type) {
    case 'livechat:status':
      // The acknowledgement, with no sessionId [doc] or (a server may add it) this one.
      if (frame.ok) return void (pending && joined(m, fx, config));
      if (answersJoin) return;
      if (frame.agent) m.agent = frame.agent;
      m.statusSeq++;
      applyStatus(m, frame.mode ?? m.mode, frame.status ?? m.status);
      sync(m, fx, config);
      return;
    case 'livechat:message': {
      // A widget socket watches for the takeover only; bot-mode messages come over REST.
      if (socket.role === 'widget') {
        if (frame.sender !== 'admin') return;
        m.statusSeq++;
        applyStatus(m, 'human', 'open');
      }
      if (frame.sender === 'admin') {
        m.agentTyping = false;
        if (frame.agent) m.agent = frame.agent;
      }
      receive(m, fx, frame);
      sync(m, fx, config);
      return;
    }
    case 'livechat:typing':
      if (frame.sender === 'user') return;
      m.agentTyping = frame.isTyping;
      // Should the "stopped" frame get lost, the indicator must not stay on for good.
      if (frame.isTyping) fx.push({ type: 'timer', name: 'agentTyping', ms: 8000 });
      return;
    case 'livechat:ended':
      m.statusSeq++;
      backToBot(m);
      sync(m, fx, config);
      return;
    case 'livechat:error': {
      const error: ChatError = { code: 'live_chat_refused', message: frame.message, serverCode: frame.code };
      if (gone(error) || frame.code === 'unauthorized') return refused(m, fx, error);
      fail(m, fx, error);
      // Once joined, a refusal most likely concerns a message (rate limited, invalid).
      if (socket.joined) failOutbox(m, error);
      return;
    }
    case 'livechat:sessions':
    case 'livechat:pong':
      return;
  }
}

function joined(m: Draft, fx: Effect[], config: Config): void {
  const socket = m.socket!;
  const sessionId = m.sessionId!;
  const chatbotId = config.chatbotId;
  m.socket = { ...socket, joined: true };
  m.connection = { state: 'joined' };
  m.attempt = 0;
  if (m.error?.code === 'connection' || m.error?.code === 'live_chat_refused') m.error = null;
  if (socket.role !== 'user') return;
  if (m.ending) {
    m.ending = false;
    sendEnd(m, fx, config);
    return sync(m, fx, config);
  }
  if (config.pageUrl) {
    const title = config.pageTitle ? { pageTitle: config.pageTitle } : {};
    fx.push({ type: 'frame', frame: { type: 'client:meta', chatbotId, sessionId, pageUrl: config.pageUrl, ...title } });
  }
  for (const id of m.outbox) {
    const message = m.messages.find((x) => x.id === id);
    if (message) sendLive(fx, config, sessionId, message);
  }
  if (m.reload) fx.push({ type: 'history', sessionId });
  m.reload = false;
}

function sendEnd(m: Draft, fx: Effect[], config: Config): void {
  fx.push({ type: 'frame', frame: { type: 'client:end', chatbotId: config.chatbotId, sessionId: m.sessionId!, sender: 'user' } });
}

/** Sends a visitor's message over the channel the conversation is in. */
function deliver(m: Draft, fx: Effect[], config: Config, message: ChatMessage): void {
  if (!isLive(m)) {
    m.restPending++;
    const pageUrl = config.pageUrl ? { pageUrl: config.pageUrl } : {};
    fx.push({ type: 'rest', id: message.id, body: { message: message.content, chatbotId: config.chatbotId, ...pageUrl } });
    return;
  }
  m.outbox = [...m.outbox, message.id];
  if (m.socket?.joined && m.sessionId) {
    stopTyping(m, fx, config);
    sendLive(fx, config, m.sessionId, message);
  }
}

/** Sends a visitor's message over the socket; its echo is due within the delivery timeout. */
function sendLive(fx: Effect[], config: Config, sessionId: string, message: ChatMessage): void {
  const frame: ClientFrame = { type: 'client:message', chatbotId: config.chatbotId, sessionId, sender: 'user', content: message.content, clientMessageId: message.id, ...lang(config) };
  fx.push({ type: 'frame', frame }, confirmBy);
}

const confirmBy: Effect = { type: 'timer', name: 'delivery', ms: 15_000 };

const lang = (config: Config) => (config.lang ? { lang: config.lang } : {});

/** A message from the socket: an echo confirms the visitor's own, anything else is new. */
function receive(m: Draft, fx: Effect[], frame: Extract<ServerFrame, { type: 'livechat:message' }>): void {
  const existing = find(m.messages, frame.id, frame.clientMessageId) ?? (frame.sender === 'user' && !frame.clientMessageId ? pending(m, frame.content) : undefined);
  const fields = {
    serverId: frame.id,
    sender: frame.sender,
    content: frame.content,
    html: frame.sender === 'bot',
    sources: frame.sources ?? [],
    createdAt: frame.createdAt,
    agent: frame.agent ?? undefined,
  };
  if (existing) {
    patch(m, { ...existing, ...fields, delivery: existing.delivery && 'sent', error: undefined });
    m.outbox = m.outbox.filter((id) => id !== existing.id);
    fx.push(m.outbox.length ? confirmBy : { type: 'cancel', name: 'delivery' });
  } else {
    const own = frame.sender === 'user' ? { delivery: 'sent' as const } : {};
    add(m, fx, { id: frame.clientMessageId ?? frame.id, clientMessageId: frame.clientMessageId ?? undefined, ...fields, ...own });
  }
}

/** [doc] The hosted service may echo the visitor's message without its clientMessageId. The
 * socket keeps order: the echo confirms the oldest pending message, preferably the same text. */
function pending(m: Draft, content: string): ChatMessage | undefined {
  const waiting = m.messages.filter((x) => m.outbox.includes(x.id));
  return waiting.find((x) => x.content === content) ?? waiting[0];
}

function find(messages: readonly ChatMessage[], serverId: string, clientMessageId?: string | null): ChatMessage | undefined {
  return messages.find((x) => x.serverId === serverId || (!!clientMessageId && x.clientMessageId === clientMessageId));
}

/**
 * The server's history is the truth for everything it confirmed; local messages keep their
 * `id` when the server knows them (by its id or the clientMessageId). Messages still on
 * their way (sending, failed) stay. A REST message the server lists under its own id
 * replaces the local copy: REST bodies carry no clientMessageId to match on.
 */
function mergeHistory(local: readonly ChatMessage[], remote: readonly HistoryMessage[], asOf: readonly ChatMessage[]): ChatMessage[] {
  const matched = new Set<string>();
  const merged = remote.map((h): ChatMessage => {
    const existing = find(local, h.id, h.clientMessageId);
    if (existing) matched.add(existing.id);
    const message: ChatMessage = {
      id: existing?.id ?? h.clientMessageId ?? h.id,
      serverId: h.id,
      clientMessageId: h.clientMessageId ?? existing?.clientMessageId,
      sender: h.sender,
      content: h.content,
      html: h.sender === 'bot',
      sources: h.sources ?? [],
      createdAt: h.createdAt,
      delivery: h.sender === 'user' ? 'sent' : undefined,
      agent: h.agent ?? undefined,
    };
    // Unchanged messages keep their object: a UI re-renders (and re-sanitises) only changes.
    return existing && JSON.stringify(existing) === JSON.stringify({ ...existing, ...message }) ? existing : message;
  });
  // The history is a snapshot from when it was requested: what came or changed since (a live
  // message, a REST send and its reply) may be missing from it, and must not vanish.
  const before = new Set(asOf);
  const kept = local.filter(
    (x) => !matched.has(x.id) && (x.delivery === 'sending' || ((x.delivery === 'failed' || !before.has(x)) && !arrived(x, local, remote))),
  );
  return order([...merged, ...kept]);
}

/** A visitor's message the server has not confirmed by id (sent over REST, or failed with no
 * answer: cut off by a page unload, timed out) may be in the history all the same: when it
 * has the text after the message shown before it. Then the server's copy stands alone, and
 * a retry can't send it twice. */
function arrived(x: ChatMessage, local: readonly ChatMessage[], remote: readonly HistoryMessage[]): boolean {
  if (x.sender !== 'user' || x.serverId || x.error?.status) return false;
  const seen = local[local.indexOf(x) - 1];
  const from = seen ? remote.findLastIndex((h) => (seen.serverId ? h.id === seen.serverId : h.sender === seen.sender && h.content === seen.content)) : -1;
  return (!seen || from >= 0) && remote.slice(from + 1).some((h) => h.sender === 'user' && h.content === x.content);
}

/** A local time for a new message, never before the transcript's last one: the device's
 * clock may lag the server's, and a new message must not sort above older ones. */
function stamp(m: Draft, now: number): string {
  // The transcript is ordered: the latest time is among the pending tail and the last settled one.
  let latest = now;
  for (let i = m.messages.length - 1; i >= 0; i--) {
    const x = m.messages[i]!;
    latest = Math.max(latest, time(x));
    if (!isPending(x)) break;
  }
  return new Date(latest).toISOString();
}

const time = (x: ChatMessage) => Date.parse(x.createdAt) || 0;

/** Server time first; messages still sending last, in the order they were typed. */
export function order(messages: readonly ChatMessage[]): ChatMessage[] {
  const rank = (x: ChatMessage) => (isPending(x) ? 1 : 0);
  return [...messages].sort((a, b) => rank(a) - rank(b) || (rank(a) ? 0 : time(a) - time(b)));
}

const isPending = (x: ChatMessage) => x.delivery === 'sending';

/** `order()` for one more message in an ordered transcript, without sorting it all again
 * (a long live chat adds messages in bursts): it walks back over the pending tail only. */
function insert(messages: readonly ChatMessage[], message: ChatMessage): ChatMessage[] {
  const out = [...messages];
  let i = out.length;
  if (!isPending(message)) {
    const t = time(message);
    while (i > 0 && (isPending(out[i - 1]!) || time(out[i - 1]!) > t)) i--;
  }
  out.splice(i, 0, message);
  return out;
}

function add(m: Draft, fx: Effect[], message: ChatMessage): void {
  m.messages = insert(m.messages, message);
  fx.push({ type: 'emit', event: { type: 'message', message } });
}

function patch(m: Draft, message: ChatMessage): void {
  const index = m.messages.findIndex((x) => x.id === message.id);
  if (index < 0) return;
  const old = m.messages[index]!;
  if (isPending(old) === isPending(message) && old.createdAt === message.createdAt) {
    m.messages = m.messages.with(index, message);
  } else {
    m.messages = insert(m.messages.toSpliced(index, 1), message);
  }
}

function fail(m: Draft, fx: Effect[], error: ChatError): void {
  m.error = error;
  fx.push({ type: 'emit', event: { type: 'error', error } });
}

function applyStatus(m: Draft, mode: Mode, status: LiveStatus | null): void {
  if (status === 'closed') return backToBot(m);
  m.mode = mode;
  m.status = status;
}

/** [doc] Back to REST with the same session. */
function backToBot(m: Draft): void {
  m.mode = 'bot';
  m.status = 'closed';
  m.agentTyping = false;
}

/** The server no longer knows the session (expired, server restarted): the next message
 * starts a new one instead of failing forever. The transcript stays. */
function dropSession(m: Draft, fx: Effect[], config: Config): void {
  m.sessionId = null;
  m.ending = false;
  applyStatus(m, 'bot', null);
  sync(m, fx, config);
}

/** The server refused the join for good (unknown session or chatbot, unauthorized): no more
 * reconnecting. Back to REST, without the session unless only the role was refused; queued
 * messages fail with their text kept, so a retry goes over REST. */
function refused(m: Draft, fx: Effect[], error: ChatError): void {
  fail(m, fx, error);
  m.ending = false;
  if (gone(error)) m.sessionId = null;
  backToBot(m);
  failOutbox(m, error);
  dropSocket(m, fx);
}

/** Opens, swaps or closes the socket so it matches the conversation. */
function sync(m: Draft, fx: Effect[], config: Config): void {
  const live = isLive(m);
  // An end still to be said keeps the visitor's socket until it is.
  const role: JoinRole | null = live || m.ending ? 'user' : config.monitor && m.sessionId ? 'widget' : null;
  if (!live) failOutbox(m, { code: 'connection', message: 'The live chat ended before delivery.' });
  if (m.socket?.role === role) return;
  // A widget replaced by a user socket may have missed messages between the two.
  m.reload = m.socket?.role === 'widget' && role === 'user';
  dropSocket(m, fx);
  if (role) open(m, fx, role);
}

function failOutbox(m: Draft, error: ChatError): void {
  if (m.outbox.length === 0) return;
  m.messages = order(m.messages.map((x) => (m.outbox.includes(x.id) ? { ...x, delivery: 'failed', error } : x)));
  m.outbox = [];
}

function dropSocket(m: Draft, fx: Effect[]): void {
  if (m.socket) closeSocket(m, fx);
  m.socket = null;
  m.connection = { state: 'idle' };
  m.attempt = 0;
}

function open(m: Draft, fx: Effect[], role: JoinRole): void {
  m.gen++;
  m.socket = { role, gen: m.gen, asked: false, joined: false };
  if (!m.online) {
    m.connection = { state: 'offline' };
    return;
  }
  m.connection = { state: 'connecting', attempt: m.attempt };
  fx.push({ type: 'open', gen: m.gen });
}

function closeSocket(m: Draft, fx: Effect[]): void {
  m.typingSent = false;
  m.agentTyping = false;
  fx.push({ type: 'cancel', name: 'reconnect' }, { type: 'cancel', name: 'delivery' }, { type: 'close' });
}

function startTyping(m: Draft, fx: Effect[], config: Config): void {
  if (!m.socket?.joined || m.socket.role !== 'user' || !isLive(m)) return;
  fx.push({ type: 'timer', name: 'typing', ms: config.typingTimeoutMs });
  if (!m.typingSent) typingFrame(m, fx, config, true);
}

function stopTyping(m: Draft, fx: Effect[], config: Config): void {
  if (!m.typingSent) return;
  fx.push({ type: 'cancel', name: 'typing' });
  if (m.socket?.joined) typingFrame(m, fx, config, false);
  else m.typingSent = false;
}

function typingFrame(m: Draft, fx: Effect[], config: Config, isTyping: boolean): void {
  m.typingSent = isTyping;
  fx.push({
    type: 'frame',
    frame: { type: 'client:typing', chatbotId: config.chatbotId, sessionId: m.sessionId!, sender: 'user', isTyping },
  });
}
