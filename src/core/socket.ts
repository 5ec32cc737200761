/**
 * The live-chat socket's lifecycle and the outbox: which socket the conversation needs
 * (visitor, watching widget, none), joining, reconnecting with backoff, noticing a dead
 * connection (heartbeat, missing echoes), and the visitor's messages waiting for their echo.
 */
import { isLive, fail, lang, backToBot, type Config, type Draft, type Effect } from './model.ts';
import type { ClientFrame, JoinRole } from './protocol.ts';
import { gone } from './rest.ts';
import { requestHistory } from './history.ts';
import { closeSocket, dropSocket, failOutbox, sendEnd } from './socket-base.ts';
import { stopTyping } from './typing.ts';
import { visitorField } from './visitor.ts';
import type { ChatError, ChatMessage } from './types.ts';

/** An echo is due this long after a message went out. */
const DELIVERY_MS = 15_000;
/** The heartbeat the client keeps, whatever the server offers: a dead socket is noticed
 * within two beats, so well within 30 s. */
const MIN_BEAT_MS = 1000;
const MAX_BEAT_MS = 12_000;
const LINGER_MS = 3000;
/** A socket that opened but whose join goes unanswered this long is taken for dead. */
const JOIN_MS = 10_000;

const NO_SOCKETS: ChatError = { code: 'configuration', message: 'The live chat is not available here.' };

const confirmBy: Effect = { type: 'timer', name: 'delivery', ms: DELIVERY_MS };

/** Opens, swaps or closes the socket so it matches the conversation. */
export function sync(m: Draft, fx: Effect[], config: Config): void {
  const live = isLive(m);
  // An end still to be said keeps the visitor's socket until it is.
  const role: JoinRole | null = live || m.ending ? 'user' : config.monitor && m.sessionId ? 'widget' : null;
  if (!live) failOutbox(m, { code: 'connection', message: 'The live chat ended before delivery.' });
  const socket = m.socket;
  if (role === 'user' && m.lingering) {
    // An agent stepped in again before the socket left: it stays.
    m.lingering = false;
    fx.push({ type: 'cancel', name: 'linger' });
  }
  if (socket?.role === role && socket.sessionId === m.sessionId) return;
  if (socket?.role === 'user' && socket.joined && socket.sessionId === m.sessionId) {
    // The live chat just ended: messages that follow the end (the service's notice) still
    // arrive on this socket for a moment, then one history load catches anything missed.
    if (!m.lingering) {
      m.lingering = true;
      fx.push({ type: 'timer', name: 'linger', ms: config.lingerMs ?? LINGER_MS });
    }
    return;
  }
  // Ending without a joined socket: the history shows whatever the end brought.
  const missed = socket?.role === 'user' && socket.sessionId === m.sessionId && !role;
  // A widget replaced by a user socket may have missed messages between the two.
  m.reload = socket?.role === 'widget' && role === 'user';
  dropSocket(m, fx);
  if (missed) requestHistory(m, fx);
  if (role) open(m, fx, config, role);
}

/** The linger is over (or its socket went): one history load, then the socket the bot
 * conversation needs, if any. */
export function endLinger(m: Draft, fx: Effect[], config: Config): void {
  if (!m.lingering) return;
  m.lingering = false;
  fx.push({ type: 'cancel', name: 'linger' });
  dropSocket(m, fx);
  requestHistory(m, fx);
  sync(m, fx, config);
}

export function onOpen(m: Draft, fx: Effect[], config: Config, gen: number): void {
  const socket = m.socket;
  if (socket?.gen !== gen || socket.asked || !m.sessionId) return;
  m.socket = { ...socket, asked: true };
  fx.push(
    { type: 'frame', frame: { type: 'client:join', chatbotId: config.chatbotId, sessionId: m.sessionId, as: socket.role, ...lang(config), ...(config.translate && { translateEnabled: true, retranslateBacklog: true }) } },
    { type: 'timer', name: 'join', ms: JOIN_MS },
  );
}

/** The join was acknowledged; `heartbeatMs` when the server offers its heartbeat [ext]. */
export function joined(m: Draft, fx: Effect[], config: Config, heartbeatMs: number | undefined): void {
  const socket = m.socket!;
  const sessionId = m.sessionId!;
  const chatbotId = config.chatbotId;
  m.socket = { ...socket, joined: true };
  m.connection = { state: 'joined' };
  m.attempt = 0;
  m.pingOut = false;
  fx.push({ type: 'cancel', name: 'join' });
  m.heartbeatMs = heartbeatMs ? Math.min(MAX_BEAT_MS, Math.max(MIN_BEAT_MS, heartbeatMs)) : 0;
  if (m.heartbeatMs) fx.push({ type: 'timer', name: 'heartbeat', ms: m.heartbeatMs });
  if (m.error?.code === 'connection' || m.error?.code === 'live_chat_refused') m.error = null;
  if (socket.role !== 'user') {
    // A watching socket that was away may have missed a takeover or a notice.
    if (m.reload) requestHistory(m, fx);
    m.reload = false;
    return;
  }
  if (m.ending) {
    m.ending = false;
    sendEnd(m, fx, config);
    return sync(m, fx, config);
  }
  const visitor = visitorField(config.visitor);
  if (config.pageUrl || visitor.visitor) {
    const title = config.pageTitle ? { pageTitle: config.pageTitle } : {};
    fx.push({ type: 'frame', frame: { type: 'client:meta', chatbotId, sessionId, pageUrl: config.pageUrl ?? '', ...title, ...visitor } });
  }
  for (const id of m.outbox) {
    const message = m.messages.find((x) => x.id === id);
    if (message) sendLive(m, fx, config, sessionId, message);
  }
  if (m.reload) requestHistory(m, fx);
  m.reload = false;
}

/** Anything received on the socket proves the connection alive. */
export function heard(m: Draft): void {
  m.pingOut = false;
}

/** The socket closed (or was found dead): reconnect with exponential backoff and full
 * jitter, capped; a refused join (4401, 4404) is not retried. */
export function onClose(m: Draft, fx: Effect[], config: Config, now: number, jitter: number, code?: number): void {
  const socket = m.socket!;
  // The reference server's close codes for a refused join: retrying can't help.
  if (code === 4401 || code === 4404) {
    return refused(m, fx, { code: 'live_chat_refused', message: 'The live chat refused this session.', serverCode: code === 4401 ? 'unauthorized' : 'unknown_session' });
  }
  if (m.lingering) return endLinger(m, fx, config);
  m.typingSent = false;
  m.agentTyping = false;
  m.echoDue = false;
  fx.push({ type: 'cancel', name: 'delivery' }, { type: 'cancel', name: 'heartbeat' }, { type: 'cancel', name: 'join' });
  // Either role hears nothing of what happens while it is away: the history tells.
  m.reload = true;
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
  const delay = Math.floor(jitter * Math.min(config.maxDelayMs, config.initialDelayMs * 2 ** (attempt - 1)));
  m.attempt = attempt;
  m.connection = { state: 'reconnecting', attempt, retryAt: now + delay };
  fx.push({ type: 'timer', name: 'reconnect', ms: delay });
}

/** A connection that carries nothing (half-open: no close event ever comes) is closed and
 * reconnected; the outbox stays, to be resent with the same ids. */
function dead(m: Draft, fx: Effect[], config: Config, now: number, jitter: number): void {
  fx.push({ type: 'close' });
  onClose(m, fx, config, now, jitter);
}

export function onTimer(m: Draft, fx: Effect[], config: Config, name: 'reconnect' | 'delivery' | 'heartbeat' | 'join' | 'linger', now: number, jitter: number): void {
  const socket = m.socket;
  switch (name) {
    case 'join':
      if (socket?.asked && !socket.joined) dead(m, fx, config, now, jitter);
      return;
    case 'reconnect':
      if (socket && m.connection.state === 'reconnecting') open(m, fx, config, socket.role);
      return;
    case 'linger':
      return endLinger(m, fx, config);
    case 'heartbeat':
      if (!socket?.joined || !m.heartbeatMs) return;
      if (m.pingOut) return dead(m, fx, config, now, jitter);
      m.pingOut = true;
      fx.push({ type: 'frame', frame: { type: 'client:ping' } }, { type: 'timer', name: 'heartbeat', ms: m.heartbeatMs });
      return;
    case 'delivery':
      m.echoDue = false;
      if (m.outbox.length === 0) return;
      // A first missing echo is most likely a dead connection: a fresh one resends. A second
      // in a row, the server is not confirming: the visitor gets Retry.
      if (socket?.joined && m.strikes === 0) {
        m.strikes = 1;
        return dead(m, fx, config, now, jitter);
      }
      failOutbox(m, { code: 'connection', message: 'The live chat did not confirm this message.' });
      return;
  }
}

/** A visitor's message for the live chat: sent now when joined, else when the join comes. */
export function queueLive(m: Draft, fx: Effect[], config: Config, message: ChatMessage): void {
  m.outbox = [...m.outbox, message.id];
  if (config.sockets === false) return failOutbox(m, NO_SOCKETS);
  if (m.socket?.joined && m.socket.role === 'user' && m.sessionId) {
    stopTyping(m, fx, config);
    sendLive(m, fx, config, m.sessionId, message);
  }
}

/** Sends a visitor's message over the socket; an echo is due within the delivery timeout of
 * the oldest send still unconfirmed. */
function sendLive(m: Draft, fx: Effect[], config: Config, sessionId: string, message: ChatMessage): void {
  const frame: ClientFrame = { type: 'client:message', chatbotId: config.chatbotId, sessionId, sender: 'user', content: message.content, clientMessageId: message.id, ...lang(config), ...(message.attachments?.length && { attachments: [...message.attachments] }) };
  fx.push({ type: 'frame', frame });
  if (!m.echoDue) fx.push(confirmBy);
  m.echoDue = true;
}

/** The server echoed an outbox message: it is delivered. */
export function confirmed(m: Draft, fx: Effect[], id: string): void {
  m.outbox = m.outbox.filter((x) => x !== id);
  m.strikes = 0;
  // The connection just proved itself: the rest get a fresh deadline.
  m.echoDue = m.outbox.length > 0;
  fx.push(m.echoDue ? confirmBy : { type: 'cancel', name: 'delivery' });
}



/** The visitor ends the live chat: at once for them, and for the server as soon as it can
 * be said (right now when joined, else right after the next join). */
export function endLive(m: Draft, fx: Effect[], config: Config): void {
  if (m.socket?.joined && m.socket.role === 'user') {
    stopTyping(m, fx, config);
    sendEnd(m, fx, config);
  } else m.ending = true;
  m.statusSeq++;
  backToBot(m);
}

/** The server refused the join for good (unknown session or chatbot, unauthorized): no more
 * reconnecting. Back to REST, without the session unless only the role was refused; queued
 * messages fail with their text kept, so a retry goes over REST. */
export function refused(m: Draft, fx: Effect[], error: ChatError): void {
  fail(m, fx, error);
  m.ending = false;
  m.lingering = false;
  if (gone(error)) m.sessionId = null;
  backToBot(m);
  failOutbox(m, error);
  dropSocket(m, fx);
}


function open(m: Draft, fx: Effect[], config: Config, role: JoinRole): void {
  if (config.sockets === false) {
    // Retrying can't conjure a WebSocket implementation: said once, to the visitor and the
    // integrator. Monitoring is an extra: without it nobody needs telling.
    if (role !== 'user') return;
    if (m.error?.code !== 'configuration') {
      fail(m, fx, NO_SOCKETS);
      fx.push({ type: 'warn', message: 'webchat-agent: live chat needs a WebSocket implementation; pass the `WebSocket` option (in Node: the `ws` package).' });
    }
    failOutbox(m, NO_SOCKETS);
    return;
  }
  m.gen++;
  m.socket = { role, gen: m.gen, sessionId: m.sessionId!, asked: false, joined: false };
  if (!m.online) {
    m.connection = { state: 'offline' };
    return;
  }
  m.connection = { state: 'connecting', attempt: m.attempt };
  fx.push({ type: 'open', gen: m.gen });
}

/** Offline: the socket goes, but stays wanted (a fresh gen, so the closed one's events are
 * ignored) and opens again on `online`. */
export function goOffline(m: Draft, fx: Effect[], config: Config): void {
  m.online = false;
  if (!m.socket) return;
  if (m.lingering) return endLinger(m, fx, config);
  closeSocket(m, fx);
  m.gen++;
  m.socket = { ...m.socket, gen: m.gen, asked: false, joined: false };
  m.reload = true;
  m.connection = { state: 'offline' };
}

export function goOnline(m: Draft, fx: Effect[], config: Config): void {
  m.online = true;
  if (m.socket && m.connection.state === 'offline') open(m, fx, config, m.socket.role);
}


