/**
 * A scriptable stand-in for the hosted WebChatAgent service, for tests: real HTTP and a
 * real `ws` server on port 0. It validates everything a client sends with protocol.ts's
 * schemas and records it, so a test can assert what went over the wire. Each chatbot id
 * has its own state: use a fresh id per test. The control API is in README.md.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import {
  CHAT_PATH,
  ChatRequest,
  DEFAULT_HUMAN_REQUEST,
  FILES_PATH,
  HISTORY_PATH,
  LIVECHAT_PATH,
  SESSION_HEADER,
  describeIssue,
  parseClientFrame,
} from '../../src/core/protocol.ts';
import type { Agent, ClientFrame, FileLimits, FileRef, HistoryMessage, JoinRole, LiveStatus, Mode } from '../../src/core/protocol.ts';

/** One scripted answer to the next `POST /api/chat` of a chatbot. */
export interface ScriptedReply {
  /** HTTP status (default 200). */
  status?: number;
  /** The JSON body; by default the bot's usual answer. Its `mode`/`status` are applied. */
  body?: unknown;
  /** A raw (non-JSON) body instead of `body`. */
  raw?: string;
  headers?: Record<string, string>;
  /** Answer without the `X-Chat-Session-Id` header. */
  omitSessionHeader?: boolean;
  /** Process the request (record the message, apply the status) but hold the answer until
   * `release`: a request in flight, for as long as a test needs. */
  hold?: boolean;
}

export interface BotOptions {
  /** `GET /api/chat/history` answers 404. */
  historyMissing?: boolean;
  /** `GET /api/chat/history` answers 200 with this raw body (garbage, a wrong shape). */
  historyRaw?: string | null;
  /** Acknowledge joins at once (default true); otherwise the `ack` action does. */
  ackJoin?: boolean;
  /** Echo visitors' live messages back (default true). */
  echo?: boolean;
  /** Echoes and history carry the visitor's `clientMessageId` (default true); `false` plays
   * a service that ignores it, as the hosted one may. */
  clientMessageIds?: boolean;
  /** Offer the [ext] heartbeat on join acknowledgements (`heartbeatMs`) and answer
   * `client:ping` with `livechat:pong` (default 0: none offered, as the hosted service). */
  heartbeatMs?: number;
  /** Answer pings (default true). */
  pong?: boolean;
  /** A system notice stored when a live chat ends (default none), sent live after
   * `livechat:ended` (the order a service may use) unless `endNoticeLive` is false. */
  endNotice?: string;
  endNoticeLive?: boolean;
  /** [ext] Files: advertised on join acknowledgements, and the upload endpoint takes them
   * (default null: none advertised, uploads refused, as the hosted service). */
  files?: FileLimits | null;
  /** Uploads are received, and their answer waits for `release` (default false). */
  holdUploads?: boolean;
  /** The next this many uploads fail with a 503 (default 0). */
  failUploads?: number;
  /** How those uploads fail: the status and the body's error code (default 503 `unavailable`),
   * as the reference server refuses (413 `file_too_large`, 408 `upload_timeout`, …). */
  uploadFailure?: { status: number; code: string };
}

export type Action =
  | { type: 'takeover'; agent?: Agent }
  /** `originalContent` [ext]: `content` is its translation; `createdAt`: another time than now. */
  | { type: 'say'; content: string; agent?: Agent; originalContent?: string; createdAt?: string; attachments?: FileRef[] }
  | { type: 'typing'; isTyping: boolean }
  | { type: 'end' }
  | { type: 'ack' }
  /** Sends a raw text frame to every socket of the session. */
  | { type: 'raw'; data: string }
  /** Cuts every socket of the session without a close handshake. */
  | { type: 'drop' }
  /** Half-opens every socket of the session: nothing reaches it any more and nothing it
   * sends arrives, and no close event ever comes (a dead NAT entry, a sleeping proxy). */
  | { type: 'freeze' }
  /** Forgets the session, as when it expires: its history answers 404 and joins are refused. */
  | { type: 'expire' };

export interface LoggedRequest {
  method: string;
  path: string;
  sessionHeader: string | null;
  body: unknown;
}

export interface LoggedFrame {
  /** Which socket (counted per chatbot from 1) sent it. */
  socket: number;
  frame: ClientFrame;
}

export interface SocketInfo {
  socket: number;
  role: JoinRole | null;
  sessionId: string | null;
  joined: boolean;
  open: boolean;
}

export interface BotLog {
  requests: LoggedRequest[];
  frames: LoggedFrame[];
  /** Protocol breaches by the client: a test passes only with none. */
  violations: string[];
  sockets: SocketInfo[];
}

interface Session {
  id: string;
  mode: Mode;
  status: LiveStatus | null;
  messages: HistoryMessage[];
}

interface Connection extends SocketInfo {
  ws: WebSocket;
  chatbotId: string | null;
  acked: boolean;
  frozen?: boolean;
}

interface Bot extends Required<BotOptions> {
  script: ScriptedReply[];
  held: (() => void)[];
  log: BotLog;
  sessions: Map<string, Session>;
  connections: Connection[];
}

export interface FakeService {
  /** The REST base URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  close(): Promise<void>;
}

export async function startFakeService(): Promise<FakeService> {
  const bots = new Map<string, Bot>();
  /** Uploaded files by id, for every chatbot (their URLs carry no chatbot). */
  const stored = new Map<string, { bytes: Buffer; type: string }>();
  const bot = (chatbotId: string): Bot => {
    let found = bots.get(chatbotId);
    if (!found) {
      found = {
        historyMissing: false,
        historyRaw: null,
        ackJoin: true,
        echo: true,
        clientMessageIds: true,
        heartbeatMs: 0,
        pong: true,
        endNotice: '',
        endNoticeLive: true,
        files: null,
        holdUploads: false,
        failUploads: 0,
        uploadFailure: { status: 503, code: 'unavailable' },
        script: [],
        held: [],
        log: { requests: [], frames: [], violations: [], sockets: [] },
        sessions: new Map(),
        connections: [],
      };
      bots.set(chatbotId, found);
    }
    return found;
  };
  const session = (b: Bot, id: string): Session => {
    let found = b.sessions.get(id);
    if (!found) {
      found = { id, mode: 'bot', status: null, messages: [] };
      b.sessions.set(id, found);
    }
    return found;
  };
  const record = (s: Session, message: Omit<HistoryMessage, 'id' | 'createdAt'>): HistoryMessage => {
    const full = { id: randomUUID(), createdAt: new Date().toISOString(), ...message } as HistoryMessage;
    s.messages.push(full);
    return full;
  };
  const withoutIds = (b: Bot, message: HistoryMessage): HistoryMessage => {
    if (b.clientMessageIds) return message;
    const { clientMessageId: _, ...rest } = message;
    return rest;
  };
  const broadcast = (b: Bot, sessionId: string, frame: unknown) => {
    const data = JSON.stringify(frame);
    for (const c of b.connections) if (c.joined && c.sessionId === sessionId && c.open && !c.frozen) c.ws.send(data);
  };

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', `Content-Type, ${SESSION_HEADER}`);
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Expose-Headers', `${SESSION_HEADER}, Retry-After`);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const json = (status: number, body: unknown) =>
      void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const text = bytes.toString();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }

    if (url.pathname.startsWith('/__control/')) {
      const input = (body ?? {}) as { chatbotId: string; sessionId?: string; options?: BotOptions; replies?: ScriptedReply[]; action?: Action };
      const b = bot(input.chatbotId ?? url.searchParams.get('chatbotId') ?? '');
      switch (url.pathname) {
        case '/__control/configure':
          Object.assign(b, input.options);
          return json(200, {});
        case '/__control/script':
          b.script.push(...(input.replies ?? []));
          return json(200, {});
        case '/__control/release':
          for (const release of b.held.splice(0)) release();
          return json(200, {});
        case '/__control/log':
          b.log.sockets = b.connections.map(({ socket, role, sessionId, joined, open }) => ({ socket, role, sessionId, joined, open }));
          return json(200, b.log);
        case '/__control/act':
          return json(act(b, input.sessionId ?? '', input.action!) ? 200 : 404, {});
      }
      return json(404, {});
    }

    const sessionHeader = req.headers[SESSION_HEADER.toLowerCase()] as string | undefined;
    if (url.pathname === CHAT_PATH && req.method === 'POST') {
      const parsed = ChatRequest.safeParse(body);
      const chatbotId = (body as { chatbotId?: unknown } | undefined)?.chatbotId;
      const b = bot(typeof chatbotId === 'string' ? chatbotId : '');
      b.log.requests.push({ method: 'POST', path: CHAT_PATH, sessionHeader: sessionHeader ?? null, body });
      const extra = Object.keys((body as object) ?? {}).filter((key) => !['message', 'chatbotId', 'pageUrl', 'visitor'].includes(key));
      if (extra.length > 0) b.log.violations.push(`POST /api/chat with extra fields: ${extra.join(', ')}`);
      if (!parsed.success) {
        b.log.violations.push(`POST /api/chat: ${describeIssue(parsed.error)}`);
        return json(400, { error: { code: 'invalid_request', message: describeIssue(parsed.error) } });
      }
      const s = session(b, sessionHeader ?? randomUUID());
      const scripted = b.script.shift() ?? {};
      const headers: Record<string, string> = { 'Content-Type': 'application/json', ...scripted.headers };
      if (!scripted.omitSessionHeader) headers[SESSION_HEADER] = s.id;
      const status = scripted.status ?? 200;
      if (status === 200 && scripted.raw === undefined) record(s, { sender: 'user', content: parsed.data.message });
      let answer = scripted.body;
      if (answer === undefined && scripted.raw === undefined) {
        if (parsed.data.message === DEFAULT_HUMAN_REQUEST) {
          s.mode = 'human';
          s.status = 'waiting';
        }
        const reply = s.mode === 'human' ? 'An agent will be with you shortly.' : `Echo: ${parsed.data.message}`;
        const saved = record(s, { sender: 'bot', content: reply, sources: [{ type: 'web', source: 'https://example.com/help' }] });
        answer = { reply, sources: saved.sources, mode: s.mode, status: s.status ?? undefined, messageId: saved.id };
      } else if (status === 200 && answer && typeof answer === 'object') {
        const { mode, status: liveStatus } = answer as { mode?: Mode; status?: LiveStatus };
        if (mode) s.mode = mode;
        if (liveStatus) s.status = liveStatus;
      }
      if (scripted.hold) await new Promise<void>((resolve) => b.held.push(resolve));
      res.writeHead(status, headers).end(scripted.raw ?? JSON.stringify(answer));
      return;
    }
    if (url.pathname === FILES_PATH && req.method === 'POST') {
      const b = bot(url.searchParams.get('chatbotId') ?? '');
      const name = url.searchParams.get('name') ?? '';
      const type = String(req.headers['content-type'] ?? 'application/octet-stream');
      b.log.requests.push({ method: 'POST', path: FILES_PATH, sessionHeader: sessionHeader ?? null, body: { name, type, size: bytes.length } });
      const s = sessionHeader ? b.sessions.get(sessionHeader) : undefined;
      if (!b.files) return json(404, { error: { code: 'not_found', message: 'No uploads here.' } });
      if (!s) return json(404, { error: { code: 'unknown_session', message: 'Unknown or expired session.' } });
      if (b.failUploads > 0) {
        b.failUploads--;
        const { status, code } = b.uploadFailure;
        return json(status, { error: { code, message: code === 'unavailable' ? 'The file store is unavailable.' : `Refused: ${code}.` } });
      }
      const id = randomUUID();
      stored.set(id, { bytes, type });
      const ref: FileRef = { id, name, type, size: bytes.length, url: `http://${req.headers.host}${FILES_PATH}/${id}` };
      if (b.holdUploads) await new Promise<void>((resolve) => b.held.push(resolve));
      return json(201, ref);
    }
    if (url.pathname.startsWith(`${FILES_PATH}/`) && req.method === 'GET') {
      const file = stored.get(url.pathname.slice(FILES_PATH.length + 1));
      if (!file) return json(404, { error: { code: 'not_found', message: 'Not found' } });
      return void res.writeHead(200, { 'Content-Type': file.type, 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': 'sandbox' }).end(file.bytes);
    }
    if (url.pathname === HISTORY_PATH && req.method === 'GET') {
      const b = bot(url.searchParams.get('chatbotId') ?? '');
      b.log.requests.push({ method: 'GET', path: HISTORY_PATH, sessionHeader: sessionHeader ?? null, body: undefined });
      const s = sessionHeader ? b.sessions.get(sessionHeader) : undefined;
      if (b.historyMissing) return json(404, { error: { code: 'not_found', message: 'No history' } });
      if (!s) return json(404, { error: { code: 'unknown_session', message: 'Unknown or expired session.' } });
      if (b.historyRaw !== null) return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(b.historyRaw);
      return json(200, { messages: s.messages.map((m) => withoutIds(b, m)), mode: s.mode, status: s.status ?? undefined });
    }
    json(404, { error: { code: 'not_found', message: 'Not found' } });
  }

  function endLiveChat(b: Bot, s: Session, by: 'user' | 'admin'): void {
    s.mode = 'bot';
    s.status = 'closed';
    broadcast(b, s.id, { type: 'livechat:ended', sessionId: s.id, by });
    if (!b.endNotice) return;
    const notice = record(s, { sender: 'system', content: b.endNotice });
    if (b.endNoticeLive) broadcast(b, s.id, { type: 'livechat:message', sessionId: s.id, ...notice });
  }

  function act(b: Bot, sessionId: string, action: Action): boolean {
    const s = b.sessions.get(sessionId);
    if (!s) return false;
    switch (action.type) {
      case 'takeover':
        s.mode = 'human';
        s.status = 'open';
        broadcast(b, s.id, { type: 'livechat:status', sessionId: s.id, mode: s.mode, status: s.status, agent: action.agent });
        break;
      case 'say': {
        const message = record(s, { sender: 'admin', content: action.content, agent: action.agent, ...(action.originalContent && { originalContent: action.originalContent }), ...(action.attachments && { attachments: action.attachments }) });
        if (action.createdAt) message.createdAt = action.createdAt;
        broadcast(b, s.id, { type: 'livechat:message', sessionId: s.id, ...message });
        break;
      }
      case 'typing':
        broadcast(b, s.id, { type: 'livechat:typing', sessionId: s.id, sender: 'admin', isTyping: action.isTyping });
        break;
      case 'end':
        endLiveChat(b, s, 'admin');
        break;
      case 'ack':
        for (const c of b.connections) {
          if (c.sessionId === s.id && c.joined && !c.acked && c.open) {
            c.acked = true;
            c.ws.send(JSON.stringify(ack(b)));
          }
        }
        break;
      case 'raw':
        for (const c of b.connections) if (c.sessionId === s.id && c.open && !c.frozen) c.ws.send(action.data);
        break;
      case 'drop':
        for (const c of b.connections) if (c.sessionId === s.id && c.open) c.ws.terminate();
        break;
      case 'freeze':
        for (const c of b.connections) if (c.sessionId === s.id && c.open) c.frozen = true;
        break;
      case 'expire':
        b.sessions.delete(s.id);
        break;
    }
    return true;
  }

  const ack = (b: Bot) => ({ type: 'livechat:status', ok: true, ...(b.heartbeatMs && { heartbeatMs: b.heartbeatMs }), ...(b.files && { files: b.files }) });

  function onFrame(c: Connection, data: string): void {
    if (c.frozen) return;
    const parse = parseClientFrame(data);
    const b = c.chatbotId ? bot(c.chatbotId) : null;
    if (parse.kind !== 'frame') {
      // Before a valid join there is no chatbot to file it under: file under the sender's claim.
      const claimed = (() => { try { return String(JSON.parse(data).chatbotId ?? ''); } catch { return ''; } })();
      bot(c.chatbotId ?? claimed).log.violations.push(`frame ${parse.kind}: ${parse.kind === 'invalid' ? parse.reason : parse.type}`);
      return;
    }
    const frame = parse.frame;
    if (frame.type === 'client:watch') return;
    if (frame.type === 'client:ping') {
      if (!b?.heartbeatMs) return void bot(c.chatbotId ?? '').log.violations.push('client:ping to a service that offered no heartbeat');
      if (b.pong) c.ws.send(JSON.stringify({ type: 'livechat:pong', ...(frame.id && { id: frame.id }) }));
      return;
    }
    if (!b) {
      const first = bot(frame.chatbotId);
      if (frame.type !== 'client:join') {
        first.log.violations.push(`${frame.type} before client:join`);
        return;
      }
      c.chatbotId = frame.chatbotId;
      c.sessionId = frame.sessionId;
      c.role = frame.as;
      c.socket = first.connections.length + 1;
      first.connections.push(c);
      first.log.frames.push({ socket: c.socket, frame });
      // As the reference server: a join for a session it does not know is refused for good.
      if (!first.sessions.has(frame.sessionId)) {
        c.ws.send(JSON.stringify({ type: 'livechat:error', code: 'unknown_session', message: 'Unknown or expired session.' }));
        return void c.ws.close(4404, 'unknown_session');
      }
      c.joined = true;
      if (first.ackJoin) {
        c.acked = true;
        c.ws.send(JSON.stringify(ack(first)));
      }
      return;
    }
    b.log.frames.push({ socket: c.socket, frame });
    if (frame.type === 'client:join') return void b.log.violations.push('a second client:join on one socket');
    if (!c.acked) b.log.violations.push(`${frame.type} before the join was acknowledged`);
    if (frame.sessionId !== c.sessionId || frame.chatbotId !== c.chatbotId) {
      b.log.violations.push(`${frame.type} for another session or chatbot`);
      c.ws.send(JSON.stringify({ type: 'livechat:error', code: 'session_mismatch', message: 'Wrong session' }));
      return;
    }
    const s = session(b, frame.sessionId);
    switch (frame.type) {
      case 'client:message': {
        if (c.role !== 'user') return void b.log.violations.push(`client:message from a ${c.role} socket`);
        const known = frame.clientMessageId && s.messages.find((m) => m.clientMessageId === frame.clientMessageId);
        const message = known || record(s, { sender: 'user', content: frame.content, clientMessageId: frame.clientMessageId, ...(frame.attachments?.length && { attachments: frame.attachments }) });
        if (b.echo) broadcast(b, s.id, { type: 'livechat:message', sessionId: s.id, ...withoutIds(b, message) });
        return;
      }
      case 'client:end':
        endLiveChat(b, s, 'user');
        return;
    }
  }

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  const wss = new WebSocketServer({ server, path: LIVECHAT_PATH });
  wss.on('connection', (ws) => {
    const c: Connection = { ws, socket: 0, role: null, sessionId: null, joined: false, open: true, chatbotId: null, acked: false };
    ws.on('message', (data, isBinary) => onFrame(c, isBinary ? '' : data.toString()));
    ws.on('close', () => (c.open = false));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
