/**
 * The live-chat hub on /api/livechat: joins, relays and the agent console's session list.
 * Every frame passes its schema; a refused frame gets `livechat:error` and changes nothing.
 * Events reach only the sockets joined to their session.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import {
  isLiveChat,
  parseClientFrame,
  type ClientFrame,
  type JoinRole,
  type LiveMessageFrame,
  type ServerFrame,
} from '../src/core/protocol.ts';
import type { Clock } from './clock.ts';
import { Refusal, type ConversationEvent, type Conversations } from './conversations.ts';
import { RateLimiter, type Rate } from './rate-limit.ts';
import type { Session, StoredMessage } from './sessions.ts';

export interface HubOptions {
  conversations: Conversations;
  agentToken: string;
  chatbotIds: ReadonlySet<string>;
  clock: Clock;
  pingIntervalMs: number;
  /** [ext] Offered on every join acknowledgement: the client pings at least this often. 0: no offer. */
  heartbeatMs: number;
  socketRate: Rate;
  /** Visitor messages per session, shared with `POST /api/chat`: the bot answers either way. */
  sessionLimiter: RateLimiter;
  /** Visitor sockets (`user`, `widget`) joined to one session at once. */
  maxSocketsPerSession: number;
  /** Open sockets from one IP address. */
  maxSocketsPerIp: number;
  /** A peer with more than this many bytes waiting to be sent is too slow: it is terminated. */
  maxBufferedBytes: number;
  /** A socket that has neither joined nor started watching by then is closed. */
  joinTimeoutMs: number;
  /** Rows in the console's list besides the live ones (the most recent). */
  maxListedSessions: number;
  /** Where the knowledge pages are served, as seen by this socket's client. */
  pageBase: (req: IncomingMessage) => string;
}

interface Peer {
  socket: WebSocket;
  alive: boolean;
  limiter: RateLimiter;
  /** The heartbeat's own budget, when heartbeats are offered: pings at the offered rate never need `limiter`. */
  heartbeats?: RateLimiter;
  /** Until then, frames over the limit are dropped silently: one refusal per window is enough. */
  quietUntil: number;
  ip: string;
  pageBase: string;
  join?: { chatbotId: string; sessionId: string; as: JoinRole };
  /** Watching the session list: all chatbots (`*`) or one. */
  watching?: string;
}

type Addressed = Extract<ClientFrame, { sessionId: string }>;

/** Close codes for refused joins: the client should not retry these as they are. */
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_NOT_FOUND = 4404;
const CLOSE_TOO_MANY = 4429;
const CLOSE_JOIN_TIMEOUT = 4408;

/** Pings answered per `heartbeatMs` outside the frame limit: room for jitter and a reconnect. */
const PINGS_PER_HEARTBEAT = 3;
/** Only a frame this small can be a ping (its id is at most 64 characters). */
const PING_MAX_CHARS = 256;

export class Hub {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  readonly #peers = new Set<Peer>();
  readonly #socketsPerIp = new Map<string, number>();
  readonly #ping: unknown;
  readonly #unsubscribe: () => void;
  #listQueued = false;

  constructor(private readonly options: HubOptions) {
    this.#unsubscribe = options.conversations.subscribe((event) => this.#onEvent(event));
    this.#ping = options.clock.setInterval(() => this.#checkLiveness(), options.pingIntervalMs);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connect(ws, req));
  }

  /** Whether another socket from this address is allowed (checked before the upgrade). */
  acceptsFrom(ip: string): boolean {
    return (this.#socketsPerIp.get(ip) ?? 0) < this.options.maxSocketsPerIp;
  }

  /** Whether any socket is joined to the session (such a session does not expire). */
  isConnected(session: Session): boolean {
    for (const peer of this.#peers) if (peer.join?.sessionId === session.id) return true;
    return false;
  }

  close(): void {
    this.options.clock.clearInterval(this.#ping);
    this.#unsubscribe();
    for (const peer of this.#peers) peer.socket.terminate();
    this.#peers.clear();
    this.#wss.close();
  }

  #connect(socket: WebSocket, req: IncomingMessage): void {
    const ip = req.socket.remoteAddress ?? '';
    const { clock, heartbeatMs, socketRate } = this.options;
    const peer: Peer = {
      socket,
      alive: true,
      limiter: new RateLimiter(socketRate, clock),
      ...(heartbeatMs > 0 && { heartbeats: new RateLimiter({ limit: PINGS_PER_HEARTBEAT, windowMs: heartbeatMs }, clock) }),
      quietUntil: 0,
      ip,
      pageBase: this.options.pageBase(req),
    };
    this.#peers.add(peer);
    this.#socketsPerIp.set(ip, (this.#socketsPerIp.get(ip) ?? 0) + 1);
    socket.on('pong', () => (peer.alive = true));
    socket.on('message', (data, isBinary) => this.#onFrame(peer, data, isBinary));
    const joinTimer = this.options.clock.setTimeout(() => {
      if (!peer.join && !peer.watching) this.#refuseAndClose(peer, CLOSE_JOIN_TIMEOUT, 'join_timeout', 'Join a session or watch the list first.');
    }, this.options.joinTimeoutMs);
    socket.on('close', () => {
      this.options.clock.clearTimeout(joinTimer);
      this.#peers.delete(peer);
      const left = (this.#socketsPerIp.get(ip) ?? 1) - 1;
      if (left > 0) this.#socketsPerIp.set(ip, left);
      else this.#socketsPerIp.delete(ip);
    });
    socket.on('error', () => socket.terminate());
  }

  #checkLiveness(): void {
    for (const peer of this.#peers) {
      if (!peer.alive) {
        peer.socket.terminate();
        this.#peers.delete(peer);
        continue;
      }
      peer.alive = false;
      peer.socket.ping();
    }
  }

  #onFrame(peer: Peer, data: RawData, isBinary: boolean): void {
    // Any frame shows the peer is there, a heartbeat included: a client whose WebSocket
    // does not answer protocol pings stays as long as it sends.
    peer.alive = true;
    const text = isBinary ? undefined : data.toString();
    // A small frame is parsed before the limit, so that a heartbeat within its own budget is
    // answered even when the socket has spent its frames; big frames over the limit are
    // still dropped unparsed.
    let parsed = text !== undefined && text.length <= PING_MAX_CHARS ? parseClientFrame(text) : undefined;
    if (parsed?.kind === 'frame' && parsed.frame.type === 'client:ping' && peer.heartbeats?.take('pings').ok) return this.#pong(peer, parsed.frame);
    const sessionId = peer.join?.sessionId;
    const taken = peer.limiter.take('frames');
    if (!taken.ok) return this.#rateLimited(peer, taken.retryAfterMs, 'frames', sessionId);
    if (text === undefined) return this.#refuse(peer, 'invalid_frame', 'Frames are JSON text.', sessionId);
    parsed ??= parseClientFrame(text);
    if (parsed.kind === 'invalid') return this.#refuse(peer, 'invalid_frame', parsed.reason, sessionId);
    if (parsed.kind === 'ignored') return;
    try {
      this.#handle(peer, parsed.frame);
    } catch (error) {
      // A bug must not take the whole hub down with it: this frame fails, the rest go on.
      if (!(error instanceof Refusal)) console.error(error);
      const refusal = error instanceof Refusal ? error : new Refusal('server_error', 'Something went wrong.');
      this.#refuse(peer, refusal.code, refusal.message, sessionId);
    }
  }

  /** The first frame over a limit is refused; the next ones, until the limit frees up, are dropped. */
  #rateLimited(peer: Peer, retryAfterMs: number, what: string, sessionId?: string): void {
    const now = this.options.clock.now();
    if (now < peer.quietUntil) return;
    peer.quietUntil = now + retryAfterMs;
    this.#refuse(peer, 'rate_limited', `Too many ${what}: wait ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`, sessionId);
  }

  #handle(peer: Peer, frame: ClientFrame): void {
    if (frame.type === 'client:watch') return this.#watch(peer, frame.token, frame.chatbotId);
    if (frame.type === 'client:join') return this.#join(peer, frame);
    if (frame.type === 'client:ping') return this.#pong(peer, frame);
    const session = this.#sessionOf(peer, frame);
    const { conversations } = this.options;
    const role = peer.join!.as;
    const liveRole = role === 'admin' ? 'admin' : 'user';
    switch (frame.type) {
      case 'client:message': {
        if (frame.sender !== liveRole) throw new Refusal('wrong_sender', `This socket writes as "${liveRole}".`);
        if (liveRole === 'user') {
          const taken = this.options.sessionLimiter.take(session.id);
          if (!taken.ok) return this.#rateLimited(peer, taken.retryAfterMs, 'messages in this session', session.id);
        }
        const said =
          liveRole === 'admin'
            ? conversations.agentSays(session, frame.content, peer, frame.clientMessageId)
            : conversations.visitorSays(session, frame.content, peer.pageBase, frame.clientMessageId);
        // A resend is answered with the original echo, to the resender only.
        if (said.duplicate) this.#send(peer, messageFrame(session, said.message));
        return;
      }
      case 'client:typing':
        if (frame.sender !== liveRole) throw new Refusal('wrong_sender', `This socket writes as "${liveRole}".`);
        if (liveRole === 'admin') conversations.assertOwner(session, peer);
        return this.#toSession(session, { type: 'livechat:typing', sessionId: session.id, sender: liveRole, isTyping: frame.isTyping }, peer);
      case 'client:meta':
        if (role === 'admin') throw new Refusal('forbidden', "Only the visitor's client reports its page.");
        return conversations.setPage(session, frame.pageUrl, frame.pageTitle);
      case 'client:end':
        if (liveRole === 'admin' && isLiveChat(session.mode, session.status)) conversations.assertOwner(session, peer);
        return conversations.end(session, liveRole);
      case 'client:takeover':
        if (role !== 'admin') throw new Refusal('forbidden', 'Only an agent can take a session over.');
        return conversations.takeOver(session, { name: frame.agent?.name.trim() || 'Agent' }, peer, (owner) => this.#isOpen(owner as Peer));
    }
  }

  #pong(peer: Peer, ping: Extract<ClientFrame, { type: 'client:ping' }>): void {
    this.#send(peer, { type: 'livechat:pong', ...(ping.id && { id: ping.id }) });
  }

  #join(peer: Peer, frame: Extract<ClientFrame, { type: 'client:join' }>): void {
    if (peer.join) throw new Refusal('already_joined', 'This socket has already joined a session.');
    if (!this.options.chatbotIds.has(frame.chatbotId)) {
      return this.#refuseAndClose(peer, CLOSE_NOT_FOUND, 'unknown_chatbot', `Unknown chatbot "${frame.chatbotId}".`);
    }
    if (frame.as === 'admin' && !this.#tokenMatches(frame.token)) {
      return this.#refuseAndClose(peer, CLOSE_UNAUTHORIZED, 'unauthorized', 'Joining as an agent needs a valid token.');
    }
    const session = this.options.conversations.store.get(frame.sessionId, frame.chatbotId);
    if (!session) return this.#refuseAndClose(peer, CLOSE_NOT_FOUND, 'unknown_session', 'Unknown or expired session.');
    // Agents hold the token and are not counted: visitors' tabs must never lock them out.
    if (frame.as !== 'admin' && this.#visitorSockets(session) >= this.options.maxSocketsPerSession) {
      return this.#refuseAndClose(peer, CLOSE_TOO_MANY, 'too_many_sockets', 'Too many connections to this session: close another tab first.');
    }
    peer.join = { chatbotId: frame.chatbotId, sessionId: session.id, as: frame.as };
    this.options.conversations.store.touch(session);
    const { heartbeatMs } = this.options;
    this.#send(peer, { type: 'livechat:status', ok: true, ...(heartbeatMs > 0 && { heartbeatMs }) });
    if (frame.as === 'admin') {
      for (const message of session.messages) this.#send(peer, messageFrame(session, message));
      this.#send(peer, statusFrame(session));
    }
  }

  /** A socket still there to act for its session (one closing is as good as gone). */
  #isOpen(peer: Peer): boolean {
    return this.#peers.has(peer) && peer.socket.readyState === WebSocket.OPEN;
  }

  #visitorSockets(session: Session): number {
    let count = 0;
    for (const peer of this.#peers) if (peer.join?.sessionId === session.id && peer.join.as !== 'admin') count++;
    return count;
  }

  #watch(peer: Peer, token: string, chatbotId: string | undefined): void {
    if (!this.#tokenMatches(token)) return this.#refuseAndClose(peer, CLOSE_UNAUTHORIZED, 'unauthorized', 'Watching sessions needs a valid token.');
    peer.watching = chatbotId ?? '*';
    this.#sendList(peer);
  }

  /** The session an addressed frame is for: it must be the socket's own. */
  #sessionOf(peer: Peer, frame: Addressed): Session {
    const join = peer.join;
    if (!join) throw new Refusal('not_joined', 'Send client:join first.');
    if (frame.sessionId !== join.sessionId || frame.chatbotId !== join.chatbotId) {
      throw new Refusal('wrong_session', 'This socket joined another session.');
    }
    const session = this.options.conversations.store.get(join.sessionId, join.chatbotId);
    if (!session) throw new Refusal('unknown_session', 'The session has expired.');
    return session;
  }

  #tokenMatches(token: string | undefined): boolean {
    const expected = Buffer.from(this.options.agentToken);
    const given = Buffer.from(token ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #onEvent(event: ConversationEvent): void {
    const { session } = event;
    if (event.type === 'message') this.#toSession(session, messageFrame(session, event.message));
    if (event.type === 'status') this.#toSession(session, statusFrame(session));
    if (event.type === 'ended') this.#toSession(session, { type: 'livechat:ended', sessionId: session.id, by: event.by });
    this.#queueList();
  }

  /** Many events can follow one action: the watchers get one list afterwards. */
  #queueList(): void {
    if (this.#listQueued) return;
    this.#listQueued = true;
    setImmediate(() => {
      this.#listQueued = false;
      // One list per chatbot (or for all), however many consoles watch it.
      const lists = new Map<string, string>();
      for (const peer of this.#peers) if (peer.watching) this.#sendList(peer, lists);
    });
  }

  #sendList(peer: Peer, lists = new Map<string, string>()): void {
    const key = peer.watching!;
    let text = lists.get(key);
    if (text === undefined) {
      const sessions = this.options.conversations.store.summaries(key === '*' ? undefined : key, this.options.maxListedSessions);
      text = JSON.stringify({ type: 'livechat:sessions', sessions } satisfies ServerFrame);
      lists.set(key, text);
    }
    this.#sendText(peer, text);
  }

  #toSession(session: Session, frame: ServerFrame, except?: Peer): void {
    for (const peer of this.#peers) {
      if (peer !== except && peer.join?.sessionId === session.id) this.#send(peer, frame);
    }
  }

  #refuse(peer: Peer, code: string, message: string, sessionId?: string): void {
    this.#send(peer, { type: 'livechat:error', code, message, ...(sessionId && { sessionId }) });
  }

  #refuseAndClose(peer: Peer, closeCode: number, code: string, message: string): void {
    this.#refuse(peer, code, message);
    peer.socket.close(closeCode, code);
  }

  #send(peer: Peer, frame: ServerFrame): void {
    this.#sendText(peer, JSON.stringify(frame));
  }

  #sendText(peer: Peer, text: string): void {
    if (peer.socket.readyState !== WebSocket.OPEN) return;
    // A peer that does not read would make the server hold everything sent to it.
    if (peer.socket.bufferedAmount > this.options.maxBufferedBytes) return peer.socket.terminate();
    peer.socket.send(text);
  }
}

function messageFrame(session: Session, message: StoredMessage): LiveMessageFrame {
  return { type: 'livechat:message', sessionId: session.id, ...message };
}

function statusFrame(session: Session): ServerFrame {
  return {
    type: 'livechat:status',
    sessionId: session.id,
    mode: session.mode,
    ...(session.status && { status: session.status }),
    agent: session.agent ?? null,
  };
}
