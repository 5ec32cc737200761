/**
 * Hostile or broken clients: malformed request targets, resets during a refused upgrade,
 * request bodies abandoned halfway.
 * The server must answer with an error and keep serving everyone else.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { request as httpRequest, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { eventually, newSession, request, useServer } from './support.ts';
import type { RunningServer } from '../app.ts';

const UPGRADE_HEADERS = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

/** A raw TCP connection to the server that collects what it receives. */
async function rawSocket(server: RunningServer): Promise<{ socket: Socket; received: () => string; ended: Promise<void>; waitFor: (text: string) => Promise<void> }> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let data = '';
  const waiters = new Set<() => void>();
  socket.on('data', (chunk) => {
    data += chunk.toString('latin1');
    for (const wake of waiters) wake();
  });
  socket.on('error', () => {});
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (data.includes(text)) {
          waiters.delete(check);
          resolve();
        }
      };
      check();
      waiters.add(check);
      void ended.then(() => (data.includes(text) ? resolve() : reject(new Error(`closed before "${text}"; got: ${data}`))));
    });
  return { socket, received: () => data, ended, waitFor };
}

describe('malformed requests and resets', () => {
  const server = useServer({ allowedOrigins: ['http://intranet.example'] });

  test('a request target that is not a URL gets 400 and the server keeps serving', async () => {
    const raw = await rawSocket(server());
    raw.socket.write('GET http://[ HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await raw.ended;
    assert.match(raw.received(), /^HTTP\/1\.1 400 /);
    assert.match(raw.received(), /"code":"invalid_request"/);
    assert.ok(await newSession(server()));
  });

  test('an upgrade with such a target is refused with 400 and its socket closed', async () => {
    const raw = await rawSocket(server());
    raw.socket.write(`GET http://[ HTTP/1.1\r\nHost: localhost\r\n${UPGRADE_HEADERS}\r\n`);
    await raw.ended;
    assert.match(raw.received(), /^HTTP\/1\.1 400 /);
    assert.ok(await newSession(server()));
  });

  test('a client that resets the connection after a refused upgrade does not take the server down', async () => {
    for (const path of ['/nope', '/api/livechat']) {
      const raw = await rawSocket(server());
      // The second one is refused for its origin: the allowed list is set below.
      raw.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nOrigin: http://elsewhere.example\r\n${UPGRADE_HEADERS}\r\n`);
      await raw.waitFor('\r\n\r\n');
      raw.socket.resetAndDestroy();
      await raw.ended;
    }
    assert.ok(await newSession(server()), 'still serving');
  });
});

/** A request with a Host header fetch() would not send. */
function withHost(server: RunningServer, host: string, path: string, body?: unknown): Promise<{ status: number; text: string; sessionId: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port: server.port, host: '127.0.0.1', path, method: body ? 'POST' : 'GET', headers: { Host: host, ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sessionId: res.headers['x-chat-session-id'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('a Host header that is not a host', () => {
  const server = useServer();

  test("the bot still answers, its sources on the server's own address, and the exchange is stored once", async () => {
    const reply = await withHost(server(), 'a b', '/api/chat', { message: 'How do I reset my password?', chatbotId: 'demo' });
    assert.equal(reply.status, 200, reply.text);
    const body = JSON.parse(reply.text);
    assert.equal(body.sources[0].source, `${server().url}/kb/password-reset`);
    const history = await request(server(), '/api/chat/history?chatbotId=demo', { sessionId: reply.sessionId! });
    assert.deepEqual(history.body.messages.map((m: { sender: string }) => m.sender), ['user', 'bot']);
  });

  test('the demo page gets the server\'s own origin, not the header', async () => {
    const page = await withHost(server(), 'evil.example"><script>', '/');
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes('evil.example'), 'the bad header is not echoed');
    assert.ok(page.text.includes(`base-url="${server().url}"`), 'the page points at this server');
  });
});

describe('abandoned request bodies', () => {
  const server = useServer();

  test('are a normal event: no stack trace in the log, no answer attempted, and the server keeps serving', async (t) => {
    const logged: string[] = [];
    for (const method of ['error', 'log', 'warn'] as const) {
      t.mock.method(console, method, (...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? String(a.stack) : String(a))).join(' ')));
    }
    // The server's own side of each request, to see what it did once the client left.
    const responses: ServerResponse[] = [];
    const onRequest = ({ response }: { response: ServerResponse }) => void responses.push(response);
    diagnostics.subscribe('http.server.request.start', onRequest as (message: unknown) => void);
    t.after(() => diagnostics.unsubscribe('http.server.request.start', onRequest as (message: unknown) => void));

    // Left after the headers, after a few bytes, after most of the body; closed or reset.
    const bodies = ['', '{"message"', `{"message":"${'x'.repeat(900)}`, '{"mess'];
    for (const [index, body] of bodies.entries()) {
      const raw = await rawSocket(server());
      const head = `POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
      await new Promise((resolve) => raw.socket.write(head + body, resolve));
      if (index % 2 === 0) raw.socket.destroy();
      else raw.socket.resetAndDestroy();
      await raw.ended;
    }
    // Each abandoned request has finished on the server's side once its response has closed.
    await eventually(async () => responses.length, (n) => n === bodies.length, 'every request to reach the server');
    await Promise.all(responses.map((res) => (res.closed ? undefined : new Promise((resolve) => res.once('close', resolve)))));
    await new Promise((resolve) => setImmediate(resolve));

    assert.ok(!logged.some((line) => /\n\s+at /.test(line)), `no stack trace:\n${logged.join('\n')}`);
    assert.ok(logged.length <= bodies.length, `at most one line per request:\n${logged.join('\n')}`);
    assert.deepEqual(responses.map((res) => res.headersSent), bodies.map(() => false), 'no answer was attempted');
    assert.ok(await newSession(server()), 'still serving');
  });
});
