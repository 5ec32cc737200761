import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { TIMEOUT_NOTICE } from '../conversations.ts';
import { chat, eventually, newSession, request, TestSocket, TOKEN, useServer } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });

describe('handoff timeout', () => {
  // Long enough for a takeover to beat it on a loaded machine, short enough for a test.
  const server = useServer({ handoffTimeoutMs: 1000 });

  test('when no agent takes over in time, the bot resumes with a system message', async () => {
    // A session taken over before its deadline: its timer must never fire.
    const taken = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, taken);
    const admin = await TestSocket.joined(server(), taken, 'admin', TOKEN);
    admin.send({ type: 'client:takeover', ...at(taken), agent: { name: 'Dana' } });
    await admin.next((f) => f.type === 'livechat:status' && f.status === 'open');

    // Escalated later, so its deadline comes after the taken session's would have.
    const sessionId = await newSession(server());
    const escalation = await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    assert.equal(escalation.body.status, 'waiting');
    const user = await TestSocket.joined(server(), sessionId, 'user');

    assert.deepEqual(await user.next((f) => f.type === 'livechat:ended'), { type: 'livechat:ended', sessionId, by: 'timeout' });
    assert.equal((await user.next((f) => f.type === 'livechat:status' && f.sessionId === sessionId)).mode, 'bot');
    assert.equal((await user.message(TIMEOUT_NOTICE)).sender, 'system');

    const history = (await request(server(), '/api/chat/history?chatbotId=demo', { sessionId })).body;
    assert.equal(history.mode, 'bot');
    assert.equal(history.status, 'closed');
    const reply = await chat(server(), 'How do I reset my password?', sessionId);
    assert.equal(reply.body.mode, 'bot');
    assert.match(reply.body.sources[0].source, /\/kb\/password-reset$/);

    const other = (await request(server(), '/api/chat/history?chatbotId=demo', { sessionId: taken })).body;
    assert.equal(other.status, 'open', 'the session an agent took is still live');
    assert.ok(!admin.frames.some((f) => f.type === 'livechat:ended'));
  });
});

describe('liveness', () => {
  const server = useServer({ pingIntervalMs: 500 });

  test('a socket that stops answering pings is closed; a healthy one stays', async () => {
    const sessionId = await newSession(server());
    const healthy = await TestSocket.joined(server(), sessionId, 'user');
    const dead = await TestSocket.open(server(), { autoPong: false });
    dead.send({ type: 'client:join', ...at(sessionId), as: 'user' });
    await dead.next((f) => f.ok === true);
    const closed = await dead.closed;
    assert.equal(closed.code, 1006, 'terminated, not closed politely');
    assert.equal(healthy.ws.readyState, healthy.ws.OPEN);
  });
});

describe('idle sessions', () => {
  const server = useServer({ sessionIdleMs: 500 });

  test('expire unless a socket is joined to them', async () => {
    const watched = await newSession(server());
    await TestSocket.joined(server(), watched, 'user');
    const idle = await newSession(server());
    const history = (id: string) => request(server(), '/api/chat/history?chatbotId=demo', { sessionId: id });
    await eventually(() => history(idle), (r) => r.status === 404, 'the idle session to expire');
    // The watched session was idle longer, yet it is still there.
    assert.equal((await history(watched)).status, 200);
    const next = await chat(server(), 'hello', idle);
    assert.notEqual(next.sessionId, idle, 'a message to an expired id starts a new session');
  });
});
