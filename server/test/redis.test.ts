/**
 * Two instances on one Redis, with no stickiness: a visitor's REST calls and socket land on
 * either, an agent on the other, and the conversation behaves as on one server. Takeover
 * stays exclusive, rate limits are shared, presence crosses instances, and a Redis restart
 * mid-chat loses nothing silently. Each file run gets its own redis-server (the binary from
 * Debian's package, which .ci/run installs); TEST_REDIS_URL may name a shared one for the rest.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { startServer, type RunningServer, type ServerOptions } from '../app.ts';
import { hasRedisBinary, PrivateRedis, redisAvailable, sharedRedisUrl } from './redis-server.ts';
import { chat, newSession, request, TestSocket, TOKEN, type Frame } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });
const history = async (server: RunningServer, sessionId: string) => (await request(server, '/api/chat/history?chatbotId=demo', { sessionId })).body;

let redis: PrivateRedis | undefined;

/** Instances A and B on one Redis (the private one when `restartable`), under a key prefix of their own. */
function twoInstances(options: ServerOptions = {}, restartable = false): () => { a: RunningServer; b: RunningServer } {
  let a: RunningServer | undefined;
  let b: RunningServer | undefined;
  before(async () => {
    const url = restartable ? redis!.url : (sharedRedisUrl ?? redis!.url);
    const shared = { port: 0, agentToken: TOKEN, redisUrl: url, redisPrefix: `test-${randomUUID()}:`, ...options };
    a = await startServer(shared);
    b = await startServer(shared);
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });
  return () => ({ a: a!, b: b! });
}

/** A waiting session: REST on one instance, the visitor's socket on the other. */
async function waiting(rest: RunningServer, socketOn: RunningServer) {
  const sessionId = await newSession(rest);
  assert.equal((await chat(rest, DEFAULT_HUMAN_REQUEST, sessionId)).body.status, 'waiting');
  const user = await TestSocket.joined(socketOn, sessionId, 'user');
  return { sessionId, user };
}

if (!redisAvailable) {
  console.log('# Redis tests not run: neither redis-server nor REDIS_URL is available (.ci/run installs redis-server).');
} else {
  before(async () => {
    if (hasRedisBinary) redis = await PrivateRedis.start();
  });
  after(async () => {
    await redis?.dispose();
  });

  describe('a visitor on one instance and an agent on the other', () => {
    const servers = twoInstances();

    test('the agent on B takes over; they chat both ways, type, and the agent ends the chat', async () => {
      const { a, b } = servers();
      assert.equal(a.store.kind, 'redis');
      assert.notEqual(a.store.instanceId, b.store.instanceId);
      // No stickiness: the first message goes to B, the escalation to A, the socket to A.
      const sessionId = await newSession(b);
      assert.equal((await chat(a, DEFAULT_HUMAN_REQUEST, sessionId)).body.status, 'waiting');
      const user = await TestSocket.joined(a, sessionId, 'user');

      const watcher = await TestSocket.open(b);
      watcher.send({ type: 'client:watch', token: TOKEN });
      const row = await watcher.next((f) => f.type === 'livechat:sessions' && f.sessions.some((s: Frame) => s.sessionId === sessionId && s.status === 'waiting'));
      assert.equal(row.sessions[0].sessionId, sessionId, 'the session waiting on A is first in the list on B');

      const admin = await TestSocket.joined(b, sessionId, 'admin', TOKEN);
      await admin.next((f) => f.type === 'livechat:status' && f.sessionId === sessionId);
      assert.deepEqual(
        admin.frames.filter((f) => f.type === 'livechat:message').map((f) => f.sender),
        ['user', 'bot', 'user', 'bot'],
        'the backlog written through both instances',
      );
      admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
      assert.deepEqual(await user.next((f) => f.type === 'livechat:status' && f.status === 'open'), {
        type: 'livechat:status',
        sessionId,
        mode: 'human',
        status: 'open',
        agent: { name: 'Dana' },
      });
      await user.message('Dana joined the chat.');

      user.send({ type: 'client:typing', ...at(sessionId), sender: 'user', isTyping: true });
      assert.deepEqual(await admin.next((f) => f.type === 'livechat:typing'), { type: 'livechat:typing', sessionId, sender: 'user', isTyping: true });
      user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'The printer on floor 3 is offline', clientMessageId: 'u-1' });
      const echo = await user.message('The printer on floor 3 is offline');
      assert.equal(echo.clientMessageId, 'u-1');
      assert.equal((await admin.message('The printer on floor 3 is offline')).id, echo.id);

      admin.send({ type: 'client:typing', ...at(sessionId), sender: 'admin', isTyping: true });
      assert.equal((await user.next((f) => f.type === 'livechat:typing')).sender, 'admin');
      admin.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'Restarting its spooler now', clientMessageId: 'a-1' });
      const answer = await user.message('Restarting its spooler now');
      assert.deepEqual(answer.agent, { name: 'Dana' });
      // A visitor message over REST on B reaches the agent, also on B, and the socket on A.
      assert.equal((await chat(b, 'Thanks!', sessionId)).body.reply, '');
      await admin.message('Thanks!');
      await user.message('Thanks!');

      admin.send({ type: 'client:end', ...at(sessionId), sender: 'admin' });
      assert.deepEqual(await user.next((f) => f.type === 'livechat:ended'), { type: 'livechat:ended', sessionId, by: 'admin' });
      await user.message('The chat with Dana has ended. The assistant is back.');
      assert.equal((await user.next((f) => f.type === 'livechat:status' && f.mode === 'bot')).status, 'closed');
      for (const server of [a, b]) {
        const body = await history(server, sessionId);
        assert.equal(body.status, 'closed');
        assert.equal(body.messages.length, 9);
      }
      assert.equal(admin.frames.filter((f) => f.type === 'livechat:typing').length, 1, 'no echo of its own typing');
      assert.equal(user.frames.filter((f) => f.content === 'The printer on floor 3 is offline').length, 1, 'delivered once');
    });
  });

  describe('two agents racing for one session from different instances', () => {
    const servers = twoInstances();

    test('exactly one wins each race; the other hears already_taken', async () => {
      const { a, b } = servers();
      for (let round = 0; round < 8; round++) {
        const { sessionId, user } = await waiting(a, b);
        const [onA, onB] = await Promise.all([TestSocket.joined(a, sessionId, 'admin', TOKEN), TestSocket.joined(b, sessionId, 'admin', TOKEN)]);
        onA.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Ana' } });
        onB.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Ben' } });
        // Its own takeover's answer: the status naming itself, or the refusal.
        const outcome = (socket: TestSocket, name: string) =>
          socket.next((f) => (f.type === 'livechat:status' && f.status === 'open' && f.agent?.name === name) || (f.type === 'livechat:error' && f.code === 'already_taken'));
        const [fromA, fromB] = await Promise.all([outcome(onA, 'Ana'), outcome(onB, 'Ben')]);
        const status = await user.next((f) => f.type === 'livechat:status' && f.status === 'open');
        await user.next((f) => f.type === 'livechat:message' && f.sender === 'system');
        const winner = status.agent.name as string;
        const [won, lost] = winner === 'Ana' ? [onA, onB] : [onB, onA];
        assert.deepEqual(
          [fromA.type, fromB.type].sort(),
          ['livechat:error', 'livechat:status'],
          `round ${round}: one won, one was refused`,
        );
        assert.equal((winner === 'Ana' ? fromA : fromB).type, 'livechat:status');
        // The loser cannot write as the agent; the winner can.
        lost.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'I am here too', clientMessageId: 'x' });
        await lost.error('already_taken');
        won.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: `Hello from ${winner}`, clientMessageId: 'y' });
        await user.message(`Hello from ${winner}`);
        const body = await history(a, sessionId);
        assert.equal(body.messages.filter((m: Frame) => m.sender === 'system').length, 1, `round ${round}: one "joined" notice`);
        assert.deepEqual(body.agent, { name: winner });
        await Promise.all([user.close(), onA.close(), onB.close()]);
      }
    });

    test('once the owner on A disconnects, an agent on B may take the session', async () => {
      const { a, b } = servers();
      const { sessionId, user } = await waiting(a, a);
      const first = await TestSocket.joined(a, sessionId, 'admin', TOKEN);
      first.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Ana' } });
      await user.message('Ana joined the chat.');
      const second = await TestSocket.joined(b, sessionId, 'admin', TOKEN);
      second.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Ben' } });
      await second.error('already_taken');
      await first.close();
      // The release crosses instances through the store: retry until it has landed.
      for (let attempt = 0; ; attempt++) {
        second.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Ben' } });
        const outcome = await second.next((f) => (f.type === 'livechat:status' && f.agent?.name === 'Ben') || f.type === 'livechat:error');
        if (outcome.type === 'livechat:status') break;
        assert.ok(attempt < 50, 'the session was never released');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await user.message('Ben joined the chat.');
    });
  });

  describe('rate limits shared by both instances', () => {
    const servers = twoInstances({ rateLimit: { session: { limit: 3, windowMs: 60_000 } } });

    test("a session's messages count on A and B together, over REST and the socket", async () => {
      const { a, b } = servers();
      const sessionId = await newSession(a); // 1 of 3
      assert.equal((await chat(b, 'How do I print?', sessionId)).status, 200); // 2
      const user = await TestSocket.joined(b, sessionId, 'user');
      user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'And in colour?', clientMessageId: 'c-1' }); // 3
      await user.message('And in colour?');
      const refused = await chat(a, 'How do I scan?', sessionId);
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'Hello?', clientMessageId: 'c-2' });
      assert.equal((await user.error('rate_limited')).sessionId, sessionId);
      assert.equal((await history(b, sessionId)).messages.filter((m: Frame) => m.sender === 'user').length, 3);
    });
  });

  describe('presence across instances', () => {
    const servers = twoInstances({ presenceGraceMs: 150 });

    test('the agent on B hears that the visitor on A left, and that they are back on B', async () => {
      const { a, b } = servers();
      const { sessionId, user } = await waiting(a, a);
      const admin = await TestSocket.joined(b, sessionId, 'admin', TOKEN);
      admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
      await user.message('Dana joined the chat.');
      await user.close();
      const left = await admin.next((f) => f.type === 'livechat:presence');
      assert.equal(left.visitor, 'left');
      assert.equal(left.sessionId, sessionId);
      await TestSocket.joined(b, sessionId, 'user');
      assert.equal((await admin.next((f) => f.type === 'livechat:presence')).visitor, 'back');
    });
  });

  // Restarting needs a Redis of this file's own: a shared one from REDIS_URL is left alone.
  if (hasRedisBinary) describe('Redis restarted during a live chat', () => {
    const servers = twoInstances({}, true);

    test('the instances reconnect; what was sent meanwhile is delivered or refused to its sender, never lost', async () => {
      const { a, b } = servers();
      const { sessionId, user } = await waiting(a, a);
      const admin = await TestSocket.joined(b, sessionId, 'admin', TOKEN);
      admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
      await user.message('Dana joined the chat.');

      await redis!.stop();
      const sent: { from: TestSocket; to: TestSocket; content: string; clientMessageId: string }[] = [];
      for (let i = 0; i < 3; i++) {
        sent.push({ from: user, to: admin, content: `visitor during the outage ${i}`, clientMessageId: `u-out-${i}` });
        sent.push({ from: admin, to: user, content: `agent during the outage ${i}`, clientMessageId: `a-out-${i}` });
      }
      for (const message of sent) {
        message.from.send({ type: 'client:message', ...at(sessionId), sender: message.from === user ? 'user' : 'admin', content: message.content, clientMessageId: message.clientMessageId });
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      await redis!.restart();

      let delivered = 0;
      for (const message of sent) {
        // Each one ends either echoed to its sender or refused to it, visibly.
        const outcome = await message.from.next(
          (f) => (f.type === 'livechat:message' && f.clientMessageId === message.clientMessageId) || (f.type === 'livechat:error' && f.code === 'server_error'),
          `the outcome of "${message.content}"`,
          15_000,
        );
        if (outcome.type === 'livechat:message') {
          delivered++;
          await message.to.message(message.content);
        }
      }
      // After the outage the chat goes on both ways, through Redis again.
      user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'Are you still there?', clientMessageId: 'u-after' });
      await admin.message('Are you still there?');
      admin.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'Yes, still here', clientMessageId: 'a-after' });
      await user.message('Yes, still here');
      const stored = (await history(a, sessionId)).messages as Frame[];
      for (const message of sent) {
        const copies = stored.filter((m) => m.clientMessageId === message.clientMessageId).length;
        const echoed = message.from.frames.some((f) => f.type === 'livechat:message' && f.clientMessageId === message.clientMessageId);
        assert.equal(copies, echoed ? 1 : 0, `"${message.content}": stored once if echoed, never if refused`);
      }
      console.log(`# during the outage: ${delivered} of ${sent.length} messages delivered late, ${sent.length - delivered} refused to their senders`);
    });

    test('an outage longer than the retries: the senders are refused once the retries run out, and nothing is stored behind their backs', async () => {
      const { a, b } = servers();
      const { sessionId, user } = await waiting(a, a);
      const admin = await TestSocket.joined(b, sessionId, 'admin', TOKEN);
      admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
      await user.message('Dana joined the chat.');
      await redis!.stop();
      user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'Hello? Anyone?', clientMessageId: 'u-long' });
      admin.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'Still looking', clientMessageId: 'a-long' });
      const refusal = await user.error('server_error');
      assert.equal(refusal.sessionId, sessionId);
      assert.match(refusal.message, /nothing was sent/);
      await admin.error('server_error');
      const rest = await chat(b, 'Is the chat down?', sessionId);
      assert.equal(rest.status, 503, 'REST says so too');
      assert.ok(Number(rest.headers.get('retry-after')) >= 1);
      await redis!.restart();
      // The refused messages were not stored later either: a resend is a first send.
      user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'Hello? Anyone?', clientMessageId: 'u-long' });
      await admin.message('Hello? Anyone?');
      const stored = (await history(b, sessionId)).messages as Frame[];
      assert.equal(stored.filter((m) => m.clientMessageId === 'u-long').length, 1);
      assert.equal(stored.filter((m) => m.clientMessageId === 'a-long').length, 0);
    });
  });
}
