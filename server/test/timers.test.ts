/**
 * The server's timers on a fake clock: the handoff timeout, liveness pings, the join
 * timeout, rate limits refilling, idle sessions expiring and message timestamps. Time moves
 * only when a test advances it, so nothing here waits in real time.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { TIMEOUT_NOTICE } from '../conversations.ts';
import { FAKE_START, fakeClock, NO_PINGS } from './fake-clock.ts';
import { chat, newSession, request, TestSocket, TOKEN, useServer, type Frame } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });
const history = (server: Parameters<typeof request>[0], sessionId: string) => request(server, '/api/chat/history?chatbotId=demo', { sessionId });

/** Resolves once the server has sent this socket a WebSocket ping (the client has answered it by then). */
function pinged(socket: TestSocket): Promise<void> {
  return new Promise((resolve) => socket.ws.once('ping', () => resolve()));
}

describe('handoff timeout', () => {
  const clock = fakeClock();
  const server = useServer({ clock, ...NO_PINGS, handoffTimeoutMs: 60_000 });

  test('when no agent takes over in time, the bot resumes with a system message', async () => {
    // A session taken over before its deadline: its timer must never fire.
    const taken = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, taken);
    const admin = await TestSocket.joined(server(), taken, 'admin', TOKEN);
    admin.send({ type: 'client:takeover', ...at(taken), agent: { name: 'Dana' } });
    await admin.next((f) => f.type === 'livechat:status' && f.status === 'open');

    const sessionId = await newSession(server());
    const escalation = await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    assert.equal(escalation.body.status, 'waiting');
    const user = await TestSocket.joined(server(), sessionId, 'user');

    clock.advance(59_999);
    await user.sync();
    assert.ok(!user.frames.some((f) => f.type === 'livechat:ended'), 'not before the deadline');
    clock.advance(1);
    assert.deepEqual(await user.next((f) => f.type === 'livechat:ended'), { type: 'livechat:ended', sessionId, by: 'timeout' });
    assert.equal((await user.next((f) => f.type === 'livechat:status' && f.sessionId === sessionId)).mode, 'bot');
    assert.equal((await user.message(TIMEOUT_NOTICE)).sender, 'system');

    const body = (await history(server(), sessionId)).body;
    assert.equal(body.mode, 'bot');
    assert.equal(body.status, 'closed');
    const reply = await chat(server(), 'How do I reset my password?', sessionId);
    assert.equal(reply.body.mode, 'bot');
    assert.match(reply.body.sources[0].source, /\/kb\/password-reset$/);

    assert.equal((await history(server(), taken)).body.status, 'open', 'the session an agent took is still live');
    await admin.sync();
    assert.ok(!admin.frames.some((f) => f.type === 'livechat:ended'));
  });
});

describe('liveness', () => {
  const clock = fakeClock();
  const server = useServer({ clock, pingIntervalMs: 30_000 });

  test('a socket that stops answering pings is closed at the next round; a healthy one stays', async () => {
    const sessionId = await newSession(server());
    const healthy = await TestSocket.joined(server(), sessionId, 'user');
    const dead = await TestSocket.open(server(), { autoPong: false });
    dead.send({ type: 'client:join', ...at(sessionId), as: 'user' });
    await dead.next((f) => f.ok === true);

    const firstPing = pinged(healthy);
    clock.advance(30_000);
    await firstPing;
    // The client answered the server's ping before sending its own: once the server answers
    // that one, it has read the pong.
    await healthy.sync();
    assert.equal(dead.ws.readyState, WebSocket.OPEN, 'one missed pong is not yet a dead socket');

    clock.advance(30_000);
    assert.equal((await dead.closedWithin()).code, 1006, 'terminated, not closed politely');
    await healthy.sync();
    assert.equal(healthy.ws.readyState, WebSocket.OPEN);
  });
});

describe('sockets that never join', () => {
  const clock = fakeClock();
  const server = useServer({ clock, ...NO_PINGS, joinTimeoutMs: 10_000 });

  test('are closed with 4408 when the join timeout passes; joined and watching ones stay', async () => {
    const joined = await TestSocket.joined(server(), await newSession(server()), 'user');
    const watcher = await TestSocket.open(server());
    watcher.send({ type: 'client:watch', token: TOKEN });
    await watcher.next((f) => f.type === 'livechat:sessions');
    const idle = await TestSocket.open(server());

    clock.advance(9_999);
    await idle.sync();
    assert.equal(idle.ws.readyState, WebSocket.OPEN, 'not before the timeout');
    clock.advance(1);
    await idle.error('join_timeout');
    assert.equal((await idle.closedWithin()).code, 4408);
    await joined.sync();
    await watcher.sync();
    assert.equal(joined.ws.readyState, WebSocket.OPEN);
    assert.equal(watcher.ws.readyState, WebSocket.OPEN);
  });
});

describe('rate limits refill with the clock', () => {
  const clock = fakeClock();
  const server = useServer({ clock, ...NO_PINGS, rateLimit: { session: { limit: 2, windowMs: 60_000 }, socket: { limit: 3, windowMs: 60_000 } } });

  test('a session over its message limit may send again once the window has refilled', async () => {
    const sessionId = await newSession(server()); // 1 of 2
    assert.equal((await chat(server(), 'How do I print?', sessionId)).status, 200);
    const limited = await chat(server(), 'How do I print?', sessionId);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '30', 'one message comes back every 30 s');
    clock.advance(29_999);
    assert.equal((await chat(server(), 'How do I print?', sessionId)).status, 429);
    clock.advance(1);
    assert.equal((await chat(server(), 'How do I print?', sessionId)).status, 200);
  });

  test('a socket over its frame limit is answered again after the refill, with one refusal per window', async () => {
    const sessionId = await newSession(server());
    const user = await TestSocket.joined(server(), sessionId, 'user'); // frame 1 of 3
    const typing = (isTyping: boolean) => user.send({ type: 'client:typing', ...at(sessionId), sender: 'user', isTyping });
    typing(true); // 2
    typing(false); // 3
    typing(true); // refused
    typing(false); // dropped quietly
    await user.error('rate_limited');
    await user.sync();
    assert.equal(user.frames.filter((f) => f.type === 'livechat:error').length, 1);

    clock.advance(20_000); // one frame's worth
    user.send({ type: 'client:end', ...at(sessionId), sender: 'user' });
    await user.error('not_live'); // handled, not refused
    user.send({ type: 'client:end', ...at(sessionId), sender: 'user' });
    assert.equal((await user.next((f) => f.type === 'livechat:error')).code, 'rate_limited', 'a new window, a new refusal');
  });
});

describe('idle sessions', () => {
  const clock = fakeClock();
  const server = useServer({ clock, ...NO_PINGS, sessionIdleMs: 30 * 60_000 });

  test('expire at the sweep after their idle time unless a socket is joined to them', async () => {
    const watched = await newSession(server());
    await TestSocket.joined(server(), watched, 'user');
    clock.advance(60_000);
    const idle = await newSession(server());

    clock.advance(29 * 60_000); // the sweep runs every minute: idle has 1 minute to go
    await server().swept();
    assert.equal((await history(server(), idle)).status, 200);
    clock.advance(60_000);
    // The sweep is the store's work, not the clock's: it may still run when the clock has moved.
    await server().swept();
    assert.equal((await history(server(), idle)).status, 404);
    // The watched session was idle longer, yet it is still there.
    assert.equal((await history(server(), watched)).status, 200);
    const next = await chat(server(), 'hello', idle);
    assert.notEqual(next.sessionId, idle, 'a message to an expired id starts a new session');
  });
});

describe("the clock's time on messages and in the console's list", () => {
  const clock = fakeClock();
  const server = useServer({ clock });

  test('messages, the session and its wait carry the time of the injected clock', async () => {
    const iso = (ms: number) => new Date(FAKE_START + ms).toISOString();
    const sessionId = await newSession(server());
    clock.advance(90_000);
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const body = (await history(server(), sessionId)).body;
    assert.deepEqual(body.messages.map((m: Frame) => m.createdAt), [iso(0), iso(0), iso(90_000), iso(90_000)]);
    const watcher = await TestSocket.open(server());
    watcher.send({ type: 'client:watch', token: TOKEN });
    const row = (await watcher.next((f) => f.type === 'livechat:sessions')).sessions.find((s: Frame) => s.sessionId === sessionId);
    assert.equal(row.createdAt, iso(0));
    assert.equal(row.waitingSince, iso(90_000));
    assert.equal(row.updatedAt, iso(90_000));
  });
});
