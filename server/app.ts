/**
 * The reference server: REST bot, live-chat hub, demo pages and knowledge articles on one
 * port. State is in a store: SQLite in a file under `dataDir` (in memory without one), or
 * Redis shared by several instances. `startServer({ port: 0 })` is what tests and scripts use.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHAT_PATH, HISTORY_PATH, LIVECHAT_PATH, SESSION_HEADER } from '../src/core/protocol.ts';
import { Bot } from './bot.ts';
import { systemClock, type Clock } from './clock.ts';
import { Conversations } from './conversations.ts';
import { HttpError, RequestAborted, corsHeaders, originAllowed, preflightHeaders, requestOrigin, sendError, sendJson } from './http.ts';
import { Hub } from './hub.ts';
import { escapeHtml, loadKnowledge, renderDocPage, renderIndexPage } from './knowledge.ts';
import { Presence } from './presence.ts';
import type { Rate } from './rate-limit.ts';
import { getHistory, postChat, rateLimited, sessionHeader, type RestContext } from './rest.ts';
import { sendFile, sendPage } from './static.ts';
import { FileStore, type FileOptions } from './files.ts';
import { handleFiles, isFilesPath, referenceOf } from './uploads.ts';
import { Refusal } from './conversations.ts';
import { openStore } from './store/open.ts';
import type { SessionRecord } from './store/records.ts';
import { StoreUnavailable, type Store } from './store/store.ts';

export interface ServerOptions {
  /** 0 picks a free port (tests). Default 8787. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The agents' shared secret; generated when absent (read it from the result). */
  agentToken?: string;
  /** Origins allowed to call the API from a browser; `'*'` (default) allows any. */
  allowedOrigins?: readonly string[] | '*';
  /** [ext] With it, a visitor's identity is accepted only with `hash = HMAC-SHA256(identitySecret, id)`
   * (hex), computed by the host's backend; a missing or wrong hash is refused (`unverified_visitor`). */
  identitySecret?: string;
  /** Chatbot ids this server answers for. Default `['demo']`. */
  chatbotIds?: readonly string[];
  /** How long a session waits for an agent before the bot resumes. Default 5 minutes. */
  handoffTimeoutMs?: number;
  /** Where the SQLite file (`webchat.sqlite`) is kept. Without it, and without `redisUrl`, state is in memory. */
  dataDir?: string;
  /** Sessions, transcripts, takeovers and rate limits in this Redis, shared by every instance on it. */
  redisUrl?: string;
  /** Prefix of every Redis key and channel. Default `wc:`. */
  redisPrefix?: string;
  /** [ext] A visitor whose last socket has been gone this long is announced to agents as gone. Default 20 s. */
  presenceGraceMs?: number;
  /** [ext] A live chat whose visitor has been away this long is closed (it leaves the LIVE list). Default 15 minutes. */
  staleLiveMs?: number;
  /** Sessions idle this long, with no socket joined, are forgotten. Default 30 minutes. */
  sessionIdleMs?: number;
  /** WebSocket ping interval; a socket that missed the previous pong is closed. Default 30 s. */
  pingIntervalMs?: number;
  /** [ext] Offered on every join acknowledgement: clients ping at least this often, and pings
   * at that rate never count against the frame limit. 0 turns the offer off. Default 10 s. */
  heartbeatMs?: number;
  /** Largest accepted request body in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
  /** Visitor sockets (`user`, `widget`) joined to one session at once. Default 8. */
  maxSocketsPerSession?: number;
  /** Open live-chat sockets from one IP address. Default 64. */
  maxSocketsPerIp?: number;
  /** Messages kept per session; older ones are dropped. Default 500. */
  maxMessagesPerSession?: number;
  /** A socket with more unsent bytes than this is terminated. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** Sessions stored at once; past this `POST /api/chat` cannot start one (503). Default 10 000. */
  maxSessions?: number;
  /** A socket that neither joins nor watches within this time is closed (4408). Default 10 s. */
  joinTimeoutMs?: number;
  /** Rows of the console's list besides the waiting and open ones (the most recent). Default 100. */
  maxListedSessions?: number;
  rateLimit?: {
    /** Visitor messages per session, `POST /api/chat` and socket together. Default 20 per minute. */
    session?: Rate;
    /** All /api requests per client IP. Default 120 per minute. */
    ip?: Rate;
    /** Frames per socket. Default 40 per 10 seconds. */
    socket?: Rate;
  };
  /** [ext] Files in live chat: limits (default 10 MiB a file, 5 a message, 20 and 50 MiB a
   * session, 120 s an upload), and `dir`, where they are kept (default `<dataDir>/files`, or a
   * temporary folder removed on close). `false`: no uploads, none advertised. */
  files?: (Partial<FileOptions> & { dir?: string }) | false;
  /** The markdown articles. Default `<staticRoot>/demo/knowledge`. */
  knowledgeDir?: string;
  /** The folder holding `demo/`, `dist/` and the agent console's `build/console/`. Default the project root. */
  staticRoot?: string;
  /** Time and timers (handoff, pings, join timeout, rate limits, expiry, timestamps). Default the real ones; tests pass a fake. */
  clock?: Clock;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:8787` (no trailing slash) */
  url: string;
  port: number;
  agentToken: string;
  /** Which store holds the state, and this instance's id among those sharing it. */
  store: { kind: Store['kind']; instanceId: string };
  /** This instance's open sockets and the sessions they joined. */
  sockets(): { sockets: number; sessions: number };
  /** Settles once no sweep of idle sessions runs or is due (tests that move a fake clock wait on it). */
  swept(): Promise<void>;
  close(): Promise<void>;
}

const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MINUTE = 60_000;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const staticRoot = options.staticRoot ?? PROJECT_ROOT;
  const demoDir = join(staticRoot, 'demo');
  const distDir = join(staticRoot, 'dist');
  // Where scripts/console.mjs writes the console: outside dist/, which `vite build` empties.
  const consoleDir = join(staticRoot, 'build', 'console');
  const docs = loadKnowledge(options.knowledgeDir ?? join(demoDir, 'knowledge'));
  const docsBySlug = new Map(docs.map((doc) => [doc.slug, doc]));
  const agentToken = options.agentToken ?? randomBytes(18).toString('base64url');
  const allowedOrigins = options.allowedOrigins ?? '*';
  const chatbotIds = new Set(options.chatbotIds ?? ['demo']);
  const sessionIdleMs = options.sessionIdleMs ?? 30 * MINUTE;
  const pageBase = (req: IncomingMessage) => `${requestOrigin(req)}/kb/`;
  const clock = options.clock ?? systemClock;

  const store = await openStore({
    ...(options.redisUrl && { redisUrl: options.redisUrl }),
    ...(options.redisPrefix && { redisPrefix: options.redisPrefix }),
    ...(options.dataDir && { dataDir: options.dataDir }),
    clock,
    // Redis forgets a session a while after the sweep would: the sweep stays the one that decides.
    ttlMs: sessionIdleMs * 2 + MINUTE,
  });
  const files =
    options.files === false ? undefined : await FileStore.open(options.files?.dir ?? (options.dataDir && join(options.dataDir, 'files')), options.files ?? {}, clock);
  const conversations = new Conversations({
    store,
    bot: new Bot(docs),
    clock,
    handoffTimeoutMs: options.handoffTimeoutMs ?? 5 * MINUTE,
    maxMessages: options.maxMessagesPerSession ?? 500,
  });
  const presence = new Presence(conversations, clock, { graceMs: options.presenceGraceMs ?? 20_000, staleMs: options.staleLiveMs ?? 15 * MINUTE });
  const sessionRate = options.rateLimit?.session ?? { limit: 20, windowMs: MINUTE };
  const ipRate = options.rateLimit?.ip ?? { limit: 120, windowMs: MINUTE };
  const takeIp = (ip: string) => store.take('ip', ip, ipRate, clock.now());
  const hub = new Hub({
    conversations,
    presence,
    clock,
    agentToken,
    chatbotIds,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    heartbeatMs: options.heartbeatMs ?? 10_000,
    socketRate: options.rateLimit?.socket ?? { limit: 40, windowMs: 10_000 },
    sessionRate,
    maxSocketsPerSession: options.maxSocketsPerSession ?? 8,
    maxSocketsPerIp: options.maxSocketsPerIp ?? 64,
    maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
    joinTimeoutMs: options.joinTimeoutMs ?? 10_000,
    maxListedSessions: options.maxListedSessions ?? 100,
    identitySecret: options.identitySecret,
    pageBase,
    ...(files && {
      files: {
        limits: files.limits,
        async resolve(sessionId: string, given: readonly { id: string }[], origin: string) {
          return Promise.all(
            given.map(async ({ id }) => {
              const found = await files.get(id);
              if (found?.record.sessionId !== sessionId) throw new Refusal('unknown_file', 'A file of this message was not uploaded to this conversation.');
              return referenceOf(found.record, files, origin);
            }),
          );
        },
      },
    }),
  });
  // A session's files go with it, on every instance that shares the folder.
  const unsubscribeFiles = files && store.subscribe((event) => {
    if (event.type === 'removed') void files.removeSession(event.sessionId).catch((error: unknown) => console.error(error));
  });
  const rest: RestContext = {
    conversations,
    chatbotIds,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024,
    maxSessions: options.maxSessions ?? 10_000,
    sessionRate,
    clock,
    pageBase,
    identitySecret: options.identitySecret,
  };
  // After a restart: the waiting sessions' deadlines run again, from when they began.
  await conversations.resume();

  // One sweep at a time: on a slow store, rounds must not pile up. A round that comes while
  // one runs is not lost either: one more sweep follows (a session due then still goes).
  let sweeping: Promise<void> | null = null;
  let sweepAgain = false;
  async function sweepRounds(): Promise<void> {
    do {
      sweepAgain = false;
      try {
        await conversations.sweep(sessionIdleMs);
        await presence.sweep();
        // Files of sessions removed while this process was not listening.
        await files?.sweep(async (id) => (await store.get(id)) !== undefined);
      } catch (error) {
        if (!(error instanceof StoreUnavailable)) console.error(error);
      }
    } while (sweepAgain);
  }
  const sweeper = clock.setInterval(
    () => {
      store.pruneLimits(clock.now());
      if (sweeping) return void (sweepAgain = true);
      sweeping = sweepRounds().finally(() => (sweeping = null));
    },
    Math.max(10, Math.min(sessionIdleMs / 2, MINUTE)),
  );

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const cors = corsHeaders(req);
    const requested = sessionHeader(req);
    const respond = (status: number, body: unknown, session?: SessionRecord) => {
      const id = session?.id ?? requested;
      sendJson(res, status, body, { ...cors, ...(id && { [SESSION_HEADER]: id }) });
    };
    try {
      // Preflights always pass and refusals carry CORS headers: a page on a refused origin
      // then reads a clear 403 instead of an opaque network error.
      if (req.method === 'OPTIONS') {
        res.writeHead(204, preflightHeaders(req));
        return void res.end();
      }
      if (!originAllowed(req, allowedOrigins)) throw new HttpError(403, 'origin_not_allowed', 'This origin is not allowed to use the chat.');
      const taken = await takeIp(req.socket.remoteAddress ?? '');
      if (!taken.ok) throw rateLimited(taken.retryAfterMs);
      if (url.pathname === CHAT_PATH && req.method === 'POST') return await postChat(req, respond, rest);
      if (files && isFilesPath(url.pathname)) return await handleFiles(req, res, url, { files, conversations, chatbotIds, agentToken }, cors);
      if (url.pathname === HISTORY_PATH && req.method === 'GET') return await getHistory(req, url, respond, rest);
      if (url.pathname === CHAT_PATH || url.pathname === HISTORY_PATH) {
        throw new HttpError(405, 'method_not_allowed', `${req.method} is not supported here.`);
      }
      throw new HttpError(404, 'not_found', 'No such endpoint.');
    } catch (error) {
      // Clients give up on requests all the time (a closed tab, a lost network): not worth a
      // log line, and there is nobody left to answer.
      if (error instanceof RequestAborted) return void res.destroy();
      const httpError =
        error instanceof HttpError
          ? error
          : error instanceof StoreUnavailable
            ? new HttpError(503, 'server_busy', 'The chat service is briefly unavailable: nothing was sent. Try again in a moment.', { 'Retry-After': '2' })
            : new HttpError(500, 'server_error', 'Something went wrong.');
      if (!(error instanceof HttpError) && !(error instanceof StoreUnavailable)) console.error(error);
      const id = httpError.headers[SESSION_HEADER] ?? requested;
      // After a 413 the rest of the body is not worth reading: the connection closes instead.
      const close: Record<string, string> = httpError.status === 413 ? { Connection: 'close' } : {};
      sendError(res, new HttpError(httpError.status, httpError.code, httpError.message, { ...cors, ...close, ...(id && { [SESSION_HEADER]: id }), ...httpError.headers }));
    }
  }

  async function pages(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendPage(res, 405, '<!doctype html><title>Method not allowed</title><p>Method not allowed.</p>');
    if (path === '/kb' || path === '/kb/') return sendPage(res, 200, renderIndexPage(docs));
    if (path.startsWith('/kb/')) {
      const doc = docsBySlug.get(path.slice(4).replace(/\.html$/, ''));
      if (doc) return sendPage(res, 200, renderDocPage(doc));
    }
    // The demo page's widget talks to this same origin, whatever host name reached it.
    const withOrigin = (html: string) => html.replaceAll('__ORIGIN__', escapeHtml(requestOrigin(req)));
    if (path.startsWith('/dist/') && (await sendFile(res, distDir, path.slice(6)))) return;
    if (path.startsWith('/console/') && (await sendFile(res, consoleDir, path.slice(9)))) return;
    const file = path === '/' ? 'index.html' : path === '/agent' ? 'agent.html' : path.slice(1);
    // The articles are served as pages under /kb/, not as markdown files.
    if (await sendFile(res, demoDir, file, withOrigin, join(demoDir, 'knowledge'))) return;
    sendPage(res, 404, '<!doctype html><title>Not found</title><p>Not found. <a href="/">Back to the intranet</a></p>');
  }

  const server = createServer((req, res) => {
    const url = parseTarget(req);
    if (!url) return sendJson(res, 400, { error: { code: 'invalid_request', message: 'The request target is not a valid URL.' } }, { Connection: 'close' });
    const handler = url.pathname.startsWith('/api/') ? api : pages;
    handler(req, res, url).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'server_error', message: 'Something went wrong.' } });
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    // Node removes its own error listener before 'upgrade': without this one, a client that
    // resets the connection while being refused would crash the process.
    socket.on('error', () => socket.destroy());
    const refuse = (status: string, extra = '') => socket.end(`HTTP/1.1 ${status}\r\n${extra}Connection: close\r\nContent-Length: 0\r\n\r\n`);
    const url = parseTarget(req);
    if (!url) return refuse('400 Bad Request');
    if (url.pathname !== LIVECHAT_PATH) return refuse('404 Not Found');
    if (!originAllowed(req, allowedOrigins)) return refuse('403 Forbidden');
    const ip = req.socket.remoteAddress ?? '';
    takeIp(ip).then(
      (taken) => {
        if (socket.destroyed) return;
        if (!taken.ok) return refuse('429 Too Many Requests', `Retry-After: ${Math.max(1, Math.ceil(taken.retryAfterMs / 1000))}\r\n`);
        if (!hub.acceptsFrom(ip)) return refuse('429 Too Many Requests');
        hub.handleUpgrade(req, socket, head);
      },
      () => refuse('503 Service Unavailable', 'Retry-After: 2\r\n'),
    );
  });

  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 8787, host, () => done());
    });
  } catch (error) {
    clock.clearInterval(sweeper);
    hub.close();
    conversations.close();
    presence.close();
    unsubscribeFiles?.();
    await store.close();
    await files?.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    agentToken,
    store: { kind: store.kind, instanceId: store.instanceId },
    sockets: () => hub.size,
    swept: async () => {
      while (sweeping) await sweeping;
    },
    async close() {
      clock.clearInterval(sweeper);
      // A sweep under way finishes before the store it works on closes.
      sweepAgain = false;
      await sweeping;
      hub.close();
      conversations.close();
      presence.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      unsubscribeFiles?.();
      await store.close();
      await files?.close();
    },
  };
}

/** The request target as a URL, or undefined when it is not one (`GET http://[ HTTP/1.1`). */
function parseTarget(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}
