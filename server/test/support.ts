/** Test helpers: a real server on port 0, real HTTP requests, real sockets that wait for frames. */
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { liveChatUrl, SESSION_HEADER, type ClientFrame } from '../../src/core/protocol.ts';
import { startServer, type RunningServer, type ServerOptions } from '../app.ts';

export const TOKEN = 'test-agent-token';
export const WAIT_MS = 5000;

/** Starts one server for the test file (before all its tests) and closes it after. */
export function useServer(options: ServerOptions = {}): () => RunningServer {
  let server: RunningServer | undefined;
  before(async () => {
    server = await startServer({ port: 0, agentToken: TOKEN, ...options });
  });
  after(async () => {
    await closeAllSockets();
    await server?.close();
  });
  return () => server!;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  sessionId: string | null;
}

export async function request(server: RunningServer, path: string, init: RequestInit & { sessionId?: string | null } = {}): Promise<Reply> {
  const headers = new Headers(init.headers);
  if (init.sessionId) headers.set(SESSION_HEADER, init.sessionId);
  if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(server.url + path, { ...init, headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // pages and non-JSON bodies stay text
  }
  return { status: res.status, headers: res.headers, body, sessionId: res.headers.get(SESSION_HEADER) };
}

/** POST /api/chat with a message for the `demo` chatbot (fields overridable). */
export function chat(server: RunningServer, message: string, sessionId?: string | null, extra: Record<string, unknown> = {}, headers: HeadersInit = {}): Promise<Reply> {
  return request(server, '/api/chat', {
    method: 'POST',
    body: JSON.stringify({ message, chatbotId: 'demo', ...extra }),
    sessionId: sessionId ?? null,
    headers,
  });
}

/** A new session that has had one bot answer; returns its id. */
export async function newSession(server: RunningServer): Promise<string> {
  const reply = await chat(server, 'How do I reset my password?');
  if (reply.status !== 200 || !reply.sessionId) throw new Error(`could not start a session: ${reply.status}`);
  return reply.sessionId;
}

export type Frame = Record<string, any> & { type: string };

const openSockets = new Set<TestSocket>();

async function closeAllSockets(): Promise<void> {
  await Promise.all([...openSockets].map((s) => s.close()));
}

/** A real `ws` client that records every frame and lets a test wait for one by predicate. */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly #taken = new Set<Frame>();
  readonly #waiters = new Set<() => void>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const wake of this.#waiters) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      openSockets.delete(this);
      resolve({ code, reason: String(reason) });
      for (const wake of this.#waiters) wake();
    }));
  }

  static async open(server: RunningServer, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
    const ws = new WebSocket(liveChatUrl(server.url), options);
    const socket = new TestSocket(ws);
    openSockets.add(socket);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  /** Opens a socket and joins; resolves after the join acknowledgement. */
  static async joined(server: RunningServer, sessionId: string, as: 'user' | 'admin' | 'widget', token?: string): Promise<TestSocket> {
    const socket = await TestSocket.open(server);
    socket.send({ type: 'client:join', chatbotId: 'demo', sessionId, as, ...(token && { token }) });
    await socket.next((f) => f.type === 'livechat:status' && f.ok === true);
    return socket;
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame not yet returned by `next` that matches; waits for it when needed. */
  next(predicate: (frame: Frame) => boolean, what = 'a matching frame', timeoutMs = WAIT_MS): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const frame = this.frames.find((f) => !this.#taken.has(f) && predicate(f));
        if (!frame) return false;
        this.#taken.add(frame);
        resolve(frame);
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`timed out waiting for ${what}; received: ${JSON.stringify(this.frames.map((f) => f.type))}`));
      }, timeoutMs);
      const wake = () => {
        if (check()) {
          clearTimeout(timer);
          this.#waiters.delete(wake);
        }
      };
      this.#waiters.add(wake);
    });
  }

  /**
   * Resolves once the server has handled every frame sent before: it answers the ping only
   * after reading them, in order. For asserting that something did NOT happen.
   */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      // A socket closed meanwhile never answers: fail with its close instead of waiting forever.
      void this.closed.then(({ code }) => reject(new Error(`the socket closed (${code}) before answering`)));
      this.ws.once('pong', () => resolve());
      this.ws.ping();
    });
  }

  /** The close, or a failure when it does not come within `timeoutMs` (like `next`). */
  closedWithin(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the socket was not closed within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.closed, late]).finally(() => clearTimeout(timer));
  }

  /** Waits for a `livechat:message` with this content. */
  message(content: string): Promise<Frame> {
    return this.next((f) => f.type === 'livechat:message' && f.content === content, `message "${content}"`);
  }

  error(code: string): Promise<Frame> {
    return this.next((f) => f.type === 'livechat:error' && f.code === code, `livechat:error ${code}`);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.terminate();
    await this.closed;
  }
}

/** Polls an async condition (a REST read) until it holds: for state with no event to wait on. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
