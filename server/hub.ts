/**
 * The live-chat hub on /api/livechat: joins, relays and the agent console's session list.
 * Every frame passes its schema; a refused frame gets `livechat:error` and changes nothing.
 * Events come from the store (this instance's and every other's) and reach only the
 * sockets joined to their session; a socket's frames are handled one after another.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { isLiveChat, parseClientFrame, type ClientFrame, type FileLimits, type FileRef, type JoinRole, type LiveMessageFrame, type ServerFrame } from '../src/core/protocol.ts';
import type { Clock } from './clock.ts';
import { Refusal, type Conversations } from './conversations.ts';
import type { Presence } from './presence.ts';
import { checkVisitor } from './identity.ts';
import type { LivePresenceFrame } from './protocol-ext.ts';
import { RateLimiter, type Rate } from './rate-limit.ts';
import type { SessionRecord, StoredMessage } from './store/records.ts';
import { StoreUnavailable, type HubEvent } from './store/store.ts';
import { listOrder, summarise } from './summaries.ts';

export interface HubOptions {
  conversations: Conversations;
  presence: Presence;
  agentToken: string;
  chatbotIds: ReadonlySet<string>;
  clock: Clock;
  pingIntervalMs: number;
  /** [ext] Offered on every join acknowledgement: the client pings at least this often. 0: no offer. */
  heartbeatMs: number;
  socketRate: Rate;
  /** Visitor messages per session, shared with `POST /api/chat` (and every instance): the bot answers either way. */
  sessionRate: Rate;
  /** Visitor sockets (`user`, `widget`) joined to one session at once, over every instance. */
  maxSocketsPerSession: number;
  /** Open sockets from one IP address. */
  maxSocketsPerIp: number;
  /** A peer with more than this many bytes waiting to be sent is too slow: it is terminated. */
  maxBufferedBytes: number;
  /** A socket that has neither joined nor started watching by then is closed. */
  joinTimeoutMs: number;
  /** Rows in the console's list besides the live ones (the most recent). */
  maxListedSessions: number;
  /** [ext] Identities must come with `hash = HMAC-SHA256(identitySecret, id)` (server/identity.ts). */
  identitySecret?: string | undefined;
  /** Where the knowledge pages are served, as seen by this socket's client. */
  pageBase: (req: IncomingMessage) => string;
  /** [ext] Uploads: advertised on every join acknowledgement; a message's attachments are
   * looked up here (refused unless uploaded to that session). Without it, no files. */
  files?: {
    limits: FileLimits;
    resolve(sessionId: string, attachments: readonly FileRef[], origin: string): Promise<FileRef[]>;
  };
}

type OutFrame = ServerFrame | LivePresenceFrame;

interface Peer {
  /** `instanceId/socketId`: how a session names the agent socket that owns it, on any instance. */
  key: string;
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
  /** Frames for the session held back while an agent's backlog is being read. */
  held?: { frame: OutFrame; seq?: number }[];
  /** Watching the session list: all chatbots (`*`) or one. */
  watching?: string;
  /** The frames of this socket, handled in order. */
  queue: Promise<void>;
  closed: boolean;
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
/**
 * Lists are rebuilt at most this often while changes keep coming (the first change is sent
 * at once): a busy server would otherwise spend its time rebuilding them. Real time, not the
 * injectable clock: this spreads CPU work, it is no rule of the protocol.
 */
const LIST_GAP_MS = 250;

export class Hub {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  readonly #peers = new Set<Peer>();
  readonly #byKey = new Map<string, Peer>();
  readonly #bySession = new Map<string, Set<Peer>>();
  /** The highest message seq delivered here per session: where a resync picks up. */
  readonly #delivered = new Map<string, number>();
  readonly #socketsPerIp = new Map<string, number>();
  readonly #ping: unknown;
  readonly #unsubscribe: () => void;
  readonly #unresync: () => void;
  /** The list is being built; `#listAgain` asks for one more build after it. */
  #listing = false;
  #listAgain = false;
  #listStarted = 0;
  /** Set by close(): sockets closing after it leave no trace in a store that is closing too. */
  #closed = false;

  constructor(private readonly options: HubOptions) {
    const store = options.conversations.store;
    this.#unsubscribe = store.subscribe((event) => this.#onEvent(event));
    this.#unresync = store.onResync(() => void this.#resync().catch((error: unknown) => console.error(error)));
    this.#ping = options.clock.setInterval(() => this.#checkLiveness(), options.pingIntervalMs);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connect(ws, req));
  }

  /** Whether another socket from this address is allowed (checked before the upgrade). */
  acceptsFrom(ip: string): boolean {
    return (this.#socketsPerIp.get(ip) ?? 0) < this.options.maxSocketsPerIp;
  }

  /** This instance's open sockets and the sessions they joined: for the load script's figures. */
  get size(): { sockets: number; sessions: number } {
    return { sockets: this.#peers.size, sessions: this.#bySession.size };
  }

  close(): void {
    this.#closed = true;
    this.options.clock.clearInterval(this.#ping);
    this.#unsubscribe();
    this.#unresync();
    for (const peer of this.#peers) peer.socket.terminate();
    this.#peers.clear();
    this.#wss.close();
  }

  get #store() {
    return this.options.conversations.store;
  }

  #connect(socket: WebSocket, req: IncomingMessage): void {
    const ip = req.socket.remoteAddress ?? '';
    const { clock, heartbeatMs, socketRate } = this.options;
    const peer: Peer = {
      key: `${this.#store.instanceId}/${randomUUID()}`,
      socket,
      alive: true,
      limiter: new RateLimiter(socketRate, clock),
      ...(heartbeatMs > 0 && { heartbeats: new RateLimiter({ limit: PINGS_PER_HEARTBEAT, windowMs: heartbeatMs }, clock) }),
      quietUntil: 0,
      ip,
      pageBase: this.options.pageBase(req),
      queue: Promise.resolve(),
      closed: false,
    };
    this.#peers.add(peer);
    this.#byKey.set(peer.key, peer);
    this.#socketsPerIp.set(ip, (this.#socketsPerIp.get(ip) ?? 0) + 1);
    socket.on('pong', () => (peer.alive = true));
    socket.on('message', (data, isBinary) => this.#onFrame(peer, data, isBinary));
    const joinTimer = this.options.clock.setTimeout(() => {
      if (!peer.join && !peer.watching) this.#refuseAndClose(peer, CLOSE_JOIN_TIMEOUT, 'join_timeout', 'Join a session or watch the list first.');
    }, this.options.joinTimeoutMs);
    socket.on('close', () => {
      this.options.clock.clearTimeout(joinTimer);
      peer.closed = true;
      this.#peers.delete(peer);
      this.#byKey.delete(peer.key);
      const left = (this.#socketsPerIp.get(ip) ?? 1) - 1;
      if (left > 0) this.#socketsPerIp.set(ip, left);
      else this.#socketsPerIp.delete(ip);
      // After the frames already queued: a join still in progress counts itself out too.
      peer.queue = peer.queue.then(() => this.#leave(peer)).catch((error: unknown) => console.error(error));
    });
    socket.on('error', () => socket.terminate());
  }

  /** A joined socket is gone: the counts, the owner and the presence follow. */
  async #leave(peer: Peer): Promise<void> {
    const join = peer.join;
    if (!join || this.#closed) return;
    const peers = this.#bySession.get(join.sessionId);
    peers?.delete(peer);
    if (peers?.size === 0) {
      this.#bySession.delete(join.sessionId);
      this.#delivered.delete(join.sessionId);
    }
    const visitor = join.as !== 'admin';
    const counts = await this.#store.sockets(join.sessionId, { all: -1, visitor: visitor ? -1 : 0 });
    if (visitor && counts.visitor === 0) await this.options.presence.gone(join.sessionId).catch(ignoreRefusal);
    if (!visitor) await this.options.conversations.release(join.sessionId, peer.key);
  }

  #checkLiveness(): void {
    for (const peer of this.#peers) {
      if (!peer.alive) {
        peer.socket.terminate();
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
    const frame = parsed.frame;
    peer.queue = peer.queue.then(async () => {
      if (peer.closed || this.#closed) return;
      try {
        await this.#handle(peer, frame);
      } catch (error) {
        // A bug must not take the whole hub down with it: this frame fails, the rest go on.
        const refusal = toRefusal(error);
        this.#refuse(peer, refusal.code, refusal.message, peer.join?.sessionId ?? sessionId);
      }
    });
  }

  /** The first frame over a limit is refused; the next ones, until the limit frees up, are dropped. */
  #rateLimited(peer: Peer, retryAfterMs: number, what: string, sessionId?: string): void {
    const now = this.options.clock.now();
    if (now < peer.quietUntil) return;
    peer.quietUntil = now + retryAfterMs;
    this.#refuse(peer, 'rate_limited', `Too many ${what}: wait ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`, sessionId);
  }

  async #handle(peer: Peer, frame: ClientFrame): Promise<void> {
    if (frame.type === 'client:watch') return this.#watch(peer, frame.token, frame.chatbotId);
    if (frame.type === 'client:join') return this.#join(peer, frame);
    if (frame.type === 'client:ping') return this.#pong(peer, frame);
    const session = await this.#sessionOf(peer, frame);
    const { conversations } = this.options;
    const role = peer.join!.as;
    const liveRole = role === 'admin' ? 'admin' : 'user';
    switch (frame.type) {
      case 'client:message': {
        if (frame.sender !== liveRole) throw new Refusal('wrong_sender', `This socket writes as "${liveRole}".`);
        if (liveRole === 'user') {
          const taken = await this.#store.take('session', session.id, this.options.sessionRate, this.options.clock.now());
          if (!taken.ok) return this.#rateLimited(peer, taken.retryAfterMs, 'messages in this session', session.id);
        }
        const files = frame.attachments?.length ? await this.#attachments(session.id, frame.attachments, peer.pageBase) : undefined;
        const said =
          liveRole === 'admin'
            ? await conversations.agentSays(session, frame.content, peer.key, frame.clientMessageId, files, frame.originalContent)
            : await conversations.visitorSays(session, frame.content, peer.pageBase, frame.clientMessageId, files);
        // A resend is answered with the original echo, to the resender only.
        if (said.duplicate) this.#send(peer, messageFrame(session.id, said.message));
        return;
      }
      case 'client:typing':
        if (frame.sender !== liveRole) throw new Refusal('wrong_sender', `This socket writes as "${liveRole}".`);
        if (liveRole === 'admin') await conversations.assertOwner(session.id, peer.key);
        return conversations.publish({ type: 'typing', sessionId: session.id, chatbotId: session.chatbotId, sender: liveRole, isTyping: frame.isTyping, except: peer.key });
      case 'client:meta': {
        if (role === 'admin') throw new Refusal('forbidden', "Only the visitor's client reports its page.");
        const visitor = checkVisitor(frame.visitor, this.options.identitySecret, (code, message) => new Refusal(code, message));
        return conversations.setMeta(session.id, { pageUrl: frame.pageUrl, ...(frame.pageTitle !== undefined && { pageTitle: frame.pageTitle }), ...(visitor && { visitor }) });
      }
      case 'client:end':
        if (liveRole === 'admin' && isLiveChat(session.state.mode, session.state.status)) await conversations.assertOwner(session.id, peer.key);
        return conversations.end(session.id, liveRole);
      case 'client:takeover':
        if (role !== 'admin') throw new Refusal('forbidden', 'Only an agent can take a session over.');
        return conversations.takeOver(session.id, { name: frame.agent?.name.trim() || 'Agent' }, peer.key, (owner) => this.#ownerConnected(owner));
    }
  }

  /** [ext] The server's own references for a message's files: only files of this session. */
  async #attachments(sessionId: string, given: readonly FileRef[], pageBase: string): Promise<FileRef[]> {
    const files = this.options.files;
    if (!files) throw new Refusal('files_unsupported', 'This server does not take files.');
    if (given.length > files.limits.maxPerMessage) throw new Refusal('too_many_files', `At most ${files.limits.maxPerMessage} files per message.`);
    return files.resolve(sessionId, given, new URL(pageBase).origin);
  }

  #pong(peer: Peer, ping: Extract<ClientFrame, { type: 'client:ping' }>): void {
    this.#send(peer, { type: 'livechat:pong', ...(ping.id && { id: ping.id }) });
  }

  async #join(peer: Peer, frame: Extract<ClientFrame, { type: 'client:join' }>): Promise<void> {
    if (peer.join) throw new Refusal('already_joined', 'This socket has already joined a session.');
    if (!this.options.chatbotIds.has(frame.chatbotId)) {
      return this.#refuseAndClose(peer, CLOSE_NOT_FOUND, 'unknown_chatbot', `Unknown chatbot "${frame.chatbotId}".`);
    }
    if (frame.as === 'admin' && !this.#tokenMatches(frame.token)) {
      return this.#refuseAndClose(peer, CLOSE_UNAUTHORIZED, 'unauthorized', 'Joining as an agent needs a valid token.');
    }
    const { conversations } = this.options;
    const session = await conversations.get(frame.sessionId, frame.chatbotId);
    if (!session) return this.#refuseAndClose(peer, CLOSE_NOT_FOUND, 'unknown_session', 'Unknown or expired session.');
    const visitor = frame.as !== 'admin';
    // Counted first and given back when over: two joins at once on two instances cannot both slip in.
    const counts = await this.#store.sockets(session.id, { all: 1, visitor: visitor ? 1 : 0 });
    // Agents hold the token and are not counted: visitors' tabs must never lock them out.
    if (visitor && counts.visitor > this.options.maxSocketsPerSession) {
      await this.#store.sockets(session.id, { all: -1, visitor: -1 });
      return this.#refuseAndClose(peer, CLOSE_TOO_MANY, 'too_many_sockets', 'Too many connections to this session: close another tab first.');
    }
    peer.join = { chatbotId: frame.chatbotId, sessionId: session.id, as: frame.as };
    if (peer.closed) return; // its #leave, queued after this, counts it out again
    let peers = this.#bySession.get(session.id);
    if (!peers) {
      peers = new Set();
      this.#bySession.set(session.id, peers);
    }
    if (!this.#delivered.has(session.id)) this.#delivered.set(session.id, session.lastSeq);
    const { heartbeatMs } = this.options;
    if (frame.as !== 'admin') {
      peers.add(peer);
      this.#send(peer, { type: 'livechat:status', ok: true, ...(heartbeatMs > 0 && { heartbeatMs }), ...(this.options.files && { files: this.options.files.limits }) });
      await this.#store.touch(session.id, this.options.clock.now());
      await this.options.presence.arrived(session.id).catch(ignoreRefusal);
      return;
    }
    // An agent gets the backlog, then what happened meanwhile (held until then), in order.
    peer.held = [];
    peers.add(peer);
    this.#send(peer, { type: 'livechat:status', ok: true, ...(heartbeatMs > 0 && { heartbeatMs }), ...(this.options.files && { files: this.options.files.limits }) });
    let lastSeq = 0;
    try {
      for (const { seq, message } of await this.#store.messages(session.id)) {
        this.#send(peer, messageFrame(session.id, message));
        lastSeq = seq;
      }
      this.#send(peer, statusFrame((await this.#store.get(session.id)) ?? session));
    } finally {
      const held = peer.held;
      delete peer.held;
      for (const { frame: later, seq } of held) if (seq === undefined || seq > lastSeq) this.#send(peer, later);
    }
    await this.#store.touch(session.id, this.options.clock.now());
  }

  /** Whether the socket that owns a session is still there, on this instance or another one. */
  async #ownerConnected(owner: string): Promise<boolean> {
    const [instance] = owner.split('/');
    if (instance === this.#store.instanceId) {
      const peer = this.#byKey.get(owner);
      return peer !== undefined && peer.socket.readyState === WebSocket.OPEN;
    }
    // The other instance clears its owners as their sockets close; one that stopped clears nothing.
    return this.#store.instanceAlive(instance ?? '');
  }

  #watch(peer: Peer, token: string, chatbotId: string | undefined): void {
    if (!this.#tokenMatches(token)) return this.#refuseAndClose(peer, CLOSE_UNAUTHORIZED, 'unauthorized', 'Watching sessions needs a valid token.');
    peer.watching = chatbotId ?? '*';
    this.#queueList();
  }

  /** The session an addressed frame is for: it must be the socket's own. */
  async #sessionOf(peer: Peer, frame: Addressed): Promise<SessionRecord> {
    const join = peer.join;
    if (!join) throw new Refusal('not_joined', 'Send client:join first.');
    if (frame.sessionId !== join.sessionId || frame.chatbotId !== join.chatbotId) {
      throw new Refusal('wrong_session', 'This socket joined another session.');
    }
    const session = await this.options.conversations.get(join.sessionId, join.chatbotId);
    if (!session) throw new Refusal('unknown_session', 'The session has expired.');
    return session;
  }

  #tokenMatches(token: string | undefined): boolean {
    const expected = Buffer.from(this.options.agentToken);
    const given = Buffer.from(token ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #onEvent(event: HubEvent): void {
    const { sessionId } = event;
    switch (event.type) {
      case 'message':
        this.#delivered.set(sessionId, Math.max(this.#delivered.get(sessionId) ?? 0, event.seq));
        this.#toSession(sessionId, messageFrame(sessionId, event.message), undefined, event.seq);
        break;
      case 'status':
        this.#toSession(sessionId, { type: 'livechat:status', sessionId, mode: event.mode, ...(event.status && { status: event.status }), agent: event.agent });
        break;
      case 'ended':
        this.#toSession(sessionId, { type: 'livechat:ended', sessionId, by: event.by });
        break;
      case 'typing':
        // Typing changes nothing in the list.
        return this.#toSession(sessionId, { type: 'livechat:typing', sessionId, sender: event.sender, isTyping: event.isTyping }, event.except);
      case 'presence':
        this.#toSession(sessionId, { type: 'livechat:presence', sessionId, visitor: event.visitor, at: event.at }, undefined, undefined, 'admin');
        break;
    }
    this.#queueList();
  }

  /** After a gap in the events from other instances: what the sockets here missed, from the store. */
  async #resync(): Promise<void> {
    for (const [sessionId, peers] of this.#bySession) {
      const since = this.#delivered.get(sessionId) ?? 0;
      const missed = await this.#store.messages(sessionId, since);
      const session = await this.#store.get(sessionId);
      for (const { seq, message } of missed) {
        this.#delivered.set(sessionId, Math.max(this.#delivered.get(sessionId) ?? 0, seq));
        for (const peer of peers) this.#send(peer, messageFrame(sessionId, message));
      }
      if (session) for (const peer of peers) this.#send(peer, statusFrame(session));
    }
    this.#queueList();
  }

  /**
   * Many events can follow one action, and the list is read from the store: one build at a
   * time, and one more after it when something changed meanwhile.
   */
  #queueList(): void {
    if (this.#closed) return;
    if (this.#listing) {
      this.#listAgain = true;
      return;
    }
    let watched = false;
    for (const peer of this.#peers) if (peer.watching) watched = true;
    if (!watched) return;
    this.#listing = true;
    const wait = Math.max(0, this.#listStarted + LIST_GAP_MS - performance.now());
    const build = () => {
      // Closed while it waited: the store it would read is closing too.
      if (this.#closed) return;
      this.#listStarted = performance.now();
      void this.#sendLists()
        .catch((error: unknown) => {
          if (!(error instanceof StoreUnavailable)) console.error(error);
        })
        .finally(() => {
          this.#listing = false;
          if (this.#listAgain) {
            this.#listAgain = false;
            this.#queueList();
          }
        });
    };
    if (wait === 0) setImmediate(build);
    else setTimeout(build, wait).unref();
  }

  async #sendLists(): Promise<void> {
    const store = this.#store;
    const max = this.options.maxListedSessions;
    const live = await store.live();
    const recent = await store.recent(max + live.length);
    // One list per chatbot (or for all), however many consoles watch it.
    const lists = new Map<string, string>();
    for (const peer of this.#peers) {
      if (!peer.watching) continue;
      let text = lists.get(peer.watching);
      if (text === undefined) {
        const sessions = listOrder(live, recent, peer.watching === '*' ? undefined : peer.watching, max).map(summarise);
        text = JSON.stringify({ type: 'livechat:sessions', sessions } satisfies ServerFrame);
        lists.set(peer.watching, text);
      }
      this.#sendText(peer, text);
    }
  }

  #toSession(sessionId: string, frame: OutFrame, except?: string, seq?: number, only?: JoinRole): void {
    const peers = this.#bySession.get(sessionId);
    if (!peers) return;
    for (const peer of peers) {
      if (peer.key === except || (only && peer.join?.as !== only)) continue;
      if (peer.held) peer.held.push({ frame, ...(seq !== undefined && { seq }) });
      else this.#send(peer, frame);
    }
  }

  #refuse(peer: Peer, code: string, message: string, sessionId?: string): void {
    this.#send(peer, { type: 'livechat:error', code, message, ...(sessionId && { sessionId }) });
  }

  #refuseAndClose(peer: Peer, closeCode: number, code: string, message: string): void {
    this.#refuse(peer, code, message);
    peer.socket.close(closeCode, code);
  }

  #send(peer: Peer, frame: OutFrame): void {
    this.#sendText(peer, JSON.stringify(frame));
  }

  #sendText(peer: Peer, text: string): void {
    if (peer.socket.readyState !== WebSocket.OPEN) return;
    // A peer that does not read would make the server hold everything sent to it.
    if (peer.socket.bufferedAmount > this.options.maxBufferedBytes) return peer.socket.terminate();
    peer.socket.send(text);
  }
}

function toRefusal(error: unknown): Refusal {
  if (error instanceof Refusal) return error;
  if (error instanceof StoreUnavailable) return new Refusal('server_error', 'The chat service is briefly unavailable: nothing was sent. Try again.');
  console.error(error);
  return new Refusal('server_error', 'Something went wrong.');
}

function ignoreRefusal(error: unknown): void {
  if (!(error instanceof Refusal)) throw error;
}

function messageFrame(sessionId: string, message: StoredMessage): LiveMessageFrame {
  return { type: 'livechat:message', sessionId, ...message };
}

function statusFrame(session: SessionRecord): ServerFrame {
  const { state } = session;
  return { type: 'livechat:status', sessionId: session.id, mode: state.mode, ...(state.status && { status: state.status }), agent: state.agent ?? null };
}
