/**
 * Live-chat traffic is bounded: per session (messages, shared with REST; visitor sockets;
 * stored messages), per IP (sockets), per socket (frames, frame size).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { DEFAULT_HUMAN_REQUEST, liveChatUrl } from '../../src/core/protocol.ts';
import type { RunningServer } from '../app.ts';
import { chat, eventually, newSession, request, TestSocket, TOKEN, useServer, type Frame } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });

/** Opens a socket the server may refuse before the upgrade: resolves with the HTTP status. */
function upgradeStatus(server: RunningServer): Promise<{ status: number; retryAfter: string | undefined; ws: WebSocket }> {
  const ws = new WebSocket(liveChatUrl(server.url));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ status: 101, retryAfter: undefined, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], ws });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

describe('visitor messages per session, over REST and the socket together', () => {
  const server = useServer({ rateLimit: { session: { limit: 3, windowMs: 60_000 } } });

  test('the socket cannot bypass the REST limit to get more bot answers', async () => {
    const sessionId = await newSession(server()); // 1 of 3
    const user = await TestSocket.joined(server(), sessionId, 'user');
    for (let i = 0; i < 4; i++) user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: `How do I print ${i}?`, clientMessageId: `p-${i}` });
    const refused = await user.error('rate_limited');
    assert.equal(refused.sessionId, sessionId);
    await user.sync();
    assert.equal(user.frames.filter((f) => f.type === 'livechat:error').length, 1, 'later frames in the window are dropped quietly');
    const bot = user.frames.filter((f) => f.type === 'livechat:message' && f.sender === 'bot');
    assert.equal(bot.length, 2);
    const rest = await chat(server(), 'How do I print?', sessionId);
    assert.equal(rest.status, 429);
    assert.ok(Number(rest.headers.get('retry-after')) >= 1);
    const history = (await request(server(), '/api/chat/history?chatbotId=demo', { sessionId })).body;
    assert.equal(history.messages.length, 2 + 4, 'first exchange plus two over the socket');
  });
});

describe('sockets per session', () => {
  const server = useServer({ maxSocketsPerSession: 2 });

  test('a third visitor socket is refused and closed; agents still join', async () => {
    const sessionId = await newSession(server());
    await TestSocket.joined(server(), sessionId, 'user');
    await TestSocket.joined(server(), sessionId, 'widget');
    const third = await TestSocket.open(server());
    third.send({ type: 'client:join', ...at(sessionId), as: 'user' });
    await third.error('too_many_sockets');
    assert.equal((await third.closed).code, 4429);
    await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    // Another session is not affected.
    await TestSocket.joined(server(), await newSession(server()), 'user');
  });
});

describe('sockets per IP address', () => {
  const server = useServer({ maxSocketsPerIp: 2 });

  test('beyond the cap the upgrade gets 429; closing one frees a place', async () => {
    const first = await TestSocket.open(server());
    await TestSocket.open(server());
    assert.equal((await upgradeStatus(server())).status, 429);
    await first.close();
    const again = await eventually(() => upgradeStatus(server()), (r) => r.status === 101, 'a free place');
    again.ws.terminate();
  });
});

describe('upgrades per IP address', () => {
  const server = useServer({ rateLimit: { ip: { limit: 2, windowMs: 60_000 } } });

  test('over the rate the upgrade gets 429 with Retry-After', async () => {
    await TestSocket.open(server());
    await TestSocket.open(server());
    const refused = await upgradeStatus(server());
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.retryAfter) >= 1, `Retry-After: ${refused.retryAfter}`);
  });
});

describe('frame size', () => {
  const server = useServer();

  test('a frame over 16 KiB closes the socket with 1009', async () => {
    const socket = await TestSocket.open(server());
    socket.ws.send('x'.repeat(17 * 1024));
    assert.equal((await socket.closed).code, 1009);
  });
});

describe('stored messages per session', () => {
  const server = useServer({ maxMessagesPerSession: 6 });

  test('the oldest messages are dropped past the cap', async () => {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const user = await TestSocket.joined(server(), sessionId, 'user');
    for (let i = 0; i < 8; i++) user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: `m${i}`, clientMessageId: `m-${i}` });
    await user.message('m7');
    const history = (await request(server(), '/api/chat/history?chatbotId=demo', { sessionId })).body;
    assert.deepEqual(history.messages.map((m: Frame) => m.content), ['m2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    await admin.next((f) => f.type === 'livechat:status' && f.sessionId === sessionId);
    assert.equal(admin.frames.filter((f) => f.type === 'livechat:message').length, 6, 'the backlog is bounded too');
  });
});

describe('sessions in memory', () => {
  const server = useServer({ maxSessions: 2 });

  test('past the cap a new conversation gets 503 server_busy; existing ones go on', async () => {
    const first = await newSession(server());
    await newSession(server());
    const refused = await chat(server(), 'How do I print?');
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, 'server_busy');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal((await chat(server(), 'How do I print?', first)).status, 200);
  });
});

describe('the console list', () => {
  const server = useServer({ maxListedSessions: 2 });

  test('holds every live session and only the most recent others', async () => {
    const waiting = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, waiting);
    const others = [];
    for (let i = 0; i < 4; i++) others.push(await newSession(server()));
    const watcher = await TestSocket.open(server());
    watcher.send({ type: 'client:watch', token: TOKEN });
    const list = await watcher.next((f) => f.type === 'livechat:sessions');
    assert.deepEqual(list.sessions.map((s: Frame) => s.sessionId), [waiting, others[3], others[2]]);
  });
});

describe('a socket that does not keep up', () => {
  const MESSAGES = 10_000;
  const server = useServer({ maxMessagesPerSession: MESSAGES, maxBufferedBytes: 256 * 1024, rateLimit: { socket: { limit: MESSAGES * 2, windowMs: 60_000 } } });

  test('is terminated once too much waits to be sent to it, instead of being buffered without end', async () => {
    const sessionId = await newSession(server());
    const agent = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    agent.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
    await agent.next((f) => f.type === 'livechat:status' && f.status === 'open');
    // Multi-byte characters: ~2 KB a frame, far more in all than the kernel's socket buffers hold.
    const content = (i: number) => `${i} ${'€'.repeat(690)}`;
    // In batches that wait for their echo: the agent's own socket must never fall behind the
    // server's limit (50 × 2 KB stays well under it), only the slow reader below.
    for (let i = 0; i < MESSAGES; i++) {
      agent.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: content(i) });
      if (i % 50 === 49) await agent.message(content(i));
    }
    // The backlog is sent in one go, while this process (the reader) cannot read.
    const slow = await TestSocket.open(server());
    const everything = new Promise<string>((resolve) => slow.ws.on('message', () => slow.frames.length > MESSAGES && resolve('the whole backlog arrived')));
    slow.send({ type: 'client:join', ...at(sessionId), as: 'admin', token: TOKEN });
    assert.equal(await Promise.race([slow.closed.then((c) => c.code), everything]), 1006, 'terminated');
    const received = slow.frames.filter((f) => f.type === 'livechat:message').length;
    assert.ok(received < MESSAGES, `${received} of ${MESSAGES} backlog messages`);
    await agent.sync();
    assert.equal(agent.ws.readyState, WebSocket.OPEN, 'the other socket is unaffected');
  });
});
