import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_HUMAN_REQUEST, parseServerFrame } from '../../src/core/protocol.ts';
import { startServer } from '../app.ts';
import { chat, newSession, request, TestSocket, TOKEN, useServer, type Frame } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });

/** Every frame the server sent must pass the client's own schemas. */
function assertAllValid(socket: TestSocket): void {
  for (const frame of socket.frames) assert.equal(parseServerFrame(frame).kind, 'frame', JSON.stringify(frame));
}

async function history(server: Parameters<typeof request>[0], sessionId: string) {
  return (await request(server, '/api/chat/history?chatbotId=demo', { sessionId })).body;
}

describe('joining', () => {
  // [ext] files are advertised too (server/test/files.test.ts): this checks the join alone.
  const server = useServer({ files: false });

  test('a user join is acknowledged with {type:"livechat:status", ok:true, heartbeatMs} and no backlog', async () => {
    const sessionId = await newSession(server());
    const user = await TestSocket.joined(server(), sessionId, 'user');
    assert.deepEqual(user.frames, [{ type: 'livechat:status', ok: true, heartbeatMs: 10_000 }]);
  });

  test('a visitor cannot join as admin without the token, nor with a wrong one', async () => {
    const sessionId = await newSession(server());
    for (const token of [undefined, 'guess']) {
      const socket = await TestSocket.open(server());
      socket.send({ type: 'client:join', ...at(sessionId), as: 'admin', ...(token && { token }) });
      await socket.error('unauthorized');
      const closed = await socket.closed;
      assert.equal(closed.code, 4401);
      assert.ok(!socket.frames.some((f) => f.type === 'livechat:message' || f.ok === true), 'no ack, no backlog');
    }
  });

  test('an agent with the token gets the ack, the backlog and a status snapshot', async () => {
    const sessionId = await newSession(server());
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    const snapshot = await admin.next((f) => f.type === 'livechat:status' && f.sessionId === sessionId);
    assert.deepEqual(snapshot, { type: 'livechat:status', sessionId, mode: 'bot', agent: null });
    const backlog = admin.frames.filter((f) => f.type === 'livechat:message');
    assert.deepEqual(backlog.map((f) => f.sender), ['user', 'bot']);
    assert.equal(backlog[0]!.content, 'How do I reset my password?');
    assert.ok(admin.frames.indexOf(snapshot) > admin.frames.indexOf(backlog[1]!), 'snapshot after the backlog');
    assertAllValid(admin);
  });

  test('joining an unknown session or chatbot is refused and closed', async () => {
    const unknownSession = await TestSocket.open(server());
    unknownSession.send({ type: 'client:join', ...at('no-such-session'), as: 'user' });
    await unknownSession.error('unknown_session');
    assert.equal((await unknownSession.closed).code, 4404);

    const sessionId = await newSession(server());
    const unknownBot = await TestSocket.open(server());
    unknownBot.send({ type: 'client:join', chatbotId: 'other', sessionId, as: 'user' });
    await unknownBot.error('unknown_chatbot');
  });

  test('frames before a join, invalid JSON, schema failures and a second join get livechat:error', async () => {
    const sessionId = await newSession(server());
    const socket = await TestSocket.open(server());
    socket.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'hello' });
    await socket.error('not_joined');
    socket.ws.send('{not json');
    await socket.error('invalid_frame');
    socket.send({ type: 'client:join', ...at(sessionId), as: 'boss' });
    await socket.error('invalid_frame');
    socket.send({ type: 'client:join', ...at(sessionId), as: 'user' });
    await socket.next((f) => f.ok === true);
    socket.send({ type: 'client:join', ...at(sessionId), as: 'user' });
    await socket.error('already_joined');
    socket.send({ type: 'client:future-thing', ...at(sessionId) });
    socket.send({ type: 'client:end', ...at(sessionId), sender: 'user' });
    await socket.error('not_live');
    // The unknown type, sent before the end, was ignored silently: no error of its own.
    assert.equal(socket.frames.filter((f) => f.type === 'livechat:error').length, 5);
    assert.equal((await history(server(), sessionId)).messages.length, 2);
  });
});

describe('live chat between a visitor and an agent', () => {
  const server = useServer();

  /** A waiting session with a user socket, an agent socket that took it over. */
  async function liveSession() {
    const sessionId = await newSession(server());
    const escalation = await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    assert.equal(escalation.body.status, 'waiting');
    const user = await TestSocket.joined(server(), sessionId, 'user');
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
    const status = await user.next((f) => f.type === 'livechat:status' && f.status === 'open');
    assert.deepEqual(status, { type: 'livechat:status', sessionId, mode: 'human', status: 'open', agent: { name: 'Dana' } });
    await user.message('Dana joined the chat.');
    return { sessionId, user, admin };
  }

  test('takeover opens the session; messages are echoed with their clientMessageId and relayed', async () => {
    const { sessionId, user, admin } = await liveSession();
    user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'My VPN says gateway not responding', clientMessageId: 'c-1' });
    const echo = await user.message('My VPN says gateway not responding');
    assert.equal(echo.clientMessageId, 'c-1');
    assert.equal(echo.sender, 'user');
    const relayed = await admin.message('My VPN says gateway not responding');
    assert.equal(relayed.id, echo.id);

    admin.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'Try vpn2.northwind.example', clientMessageId: 'a-1' });
    const answer = await user.message('Try vpn2.northwind.example');
    assert.equal(answer.sender, 'admin');
    assert.deepEqual(answer.agent, { name: 'Dana' });
    assert.equal((await admin.message('Try vpn2.northwind.example')).clientMessageId, 'a-1');

    const body = await history(server(), sessionId);
    assert.equal(body.mode, 'human');
    assert.equal(body.status, 'open');
    assert.deepEqual(body.agent, { name: 'Dana' });
    assert.deepEqual(body.messages.slice(-2).map((m: Frame) => m.sender), ['user', 'admin']);
    assertAllValid(user);
    assertAllValid(admin);
  });

  test('a resend with a known clientMessageId is echoed again but stored and relayed once', async () => {
    const { sessionId, user, admin } = await liveSession();
    const frame = { type: 'client:message', ...at(sessionId), sender: 'user', content: 'Are you there?', clientMessageId: 'dup-1' } as const;
    user.send(frame);
    const first = await user.message('Are you there?');
    user.send(frame);
    const second = await user.message('Are you there?');
    assert.equal(second.id, first.id);
    // A later message proves the agent's socket has seen everything sent before it.
    user.send({ ...frame, content: 'Hello?', clientMessageId: 'dup-2' });
    await admin.message('Hello?');
    assert.equal(admin.frames.filter((f) => f.content === 'Are you there?').length, 1);
    const stored = (await history(server(), sessionId)).messages.filter((m: Frame) => m.clientMessageId === 'dup-1');
    assert.equal(stored.length, 1);
  });

  test("a visitor's clientMessageId equal to one the agent used is a new message, not a resend", async () => {
    const { sessionId, user, admin } = await liveSession();
    admin.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'How can I help?', clientMessageId: 'same-1' });
    await user.message('How can I help?');
    user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'My laptop is slow', clientMessageId: 'same-1' });
    const relayed = await admin.message('My laptop is slow');
    assert.equal(relayed.sender, 'user');
    assert.deepEqual((await history(server(), sessionId)).messages.slice(-2).map((m: Frame) => m.content), ['How can I help?', 'My laptop is slow']);
  });

  test('typing reaches the other side only', async () => {
    const { sessionId, user, admin } = await liveSession();
    user.send({ type: 'client:typing', ...at(sessionId), sender: 'user', isTyping: true });
    assert.deepEqual(await admin.next((f) => f.type === 'livechat:typing'), { type: 'livechat:typing', sessionId, sender: 'user', isTyping: true });
    admin.send({ type: 'client:typing', ...at(sessionId), sender: 'admin', isTyping: true });
    assert.equal((await user.next((f) => f.type === 'livechat:typing')).sender, 'admin');
    admin.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'sync' });
    await admin.message('sync');
    assert.equal(admin.frames.filter((f) => f.type === 'livechat:typing').length, 1, 'no echo of its own typing');
  });

  test('a REST message during live chat goes to the agent, not the bot', async () => {
    const { sessionId, admin } = await liveSession();
    const reply = await chat(server(), 'How do I connect to the VPN?', sessionId);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.mode, 'human');
    assert.equal(reply.body.status, 'open');
    assert.equal(reply.body.reply, '');
    assert.deepEqual(reply.body.sources, []);
    const relayed = await admin.message('How do I connect to the VPN?');
    assert.equal(relayed.sender, 'user');
    const last = (await history(server(), sessionId)).messages.at(-1);
    assert.equal(last.content, 'How do I connect to the VPN?', 'no bot reply after it');
  });

  test('the agent ends the chat: livechat:ended, back to the bot, which answers with sources again', async () => {
    const { sessionId, user, admin } = await liveSession();
    admin.send({ type: 'client:end', ...at(sessionId), sender: 'admin' });
    assert.deepEqual(await user.next((f) => f.type === 'livechat:ended'), { type: 'livechat:ended', sessionId, by: 'admin' });
    const status = await user.next((f) => f.type === 'livechat:status' && f.mode === 'bot');
    assert.equal(status.status, 'closed');
    await user.message('The chat with Dana has ended. The assistant is back.');
    const reply = await chat(server(), 'How do I connect to the VPN?', sessionId);
    assert.equal(reply.body.mode, 'bot');
    assert.equal(reply.body.status, 'closed');
    assert.match(reply.body.sources[0].source, /\/kb\/vpn$/);
    admin.send({ type: 'client:end', ...at(sessionId), sender: 'admin' });
    await admin.error('not_live');
  });

  test('the visitor can end the chat too', async () => {
    const { sessionId, user, admin } = await liveSession();
    user.send({ type: 'client:end', ...at(sessionId), sender: 'user' });
    assert.equal((await admin.next((f) => f.type === 'livechat:ended')).by, 'user');
    assert.equal((await history(server(), sessionId)).mode, 'bot');
  });

  test('an agent writing before taking over is refused; a visitor cannot take over or write as admin', async () => {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    admin.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'hi' });
    await admin.error('takeover_required');
    const user = await TestSocket.joined(server(), sessionId, 'user');
    user.send({ type: 'client:takeover', ...at(sessionId) });
    await user.error('forbidden');
    user.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'I am the agent' });
    await user.error('wrong_sender');
    const body = await history(server(), sessionId);
    assert.equal(body.status, 'waiting');
    assert.ok(!body.messages.some((m: Frame) => m.content === 'hi' || m.content === 'I am the agent'));
  });

  test('another agent cannot take an open session; the same agent can reopen it', async () => {
    const { sessionId, admin } = await liveSession();
    const second = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    second.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Sam' } });
    await second.error('already_taken');
    admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
    await admin.next((f) => f.type === 'livechat:status' && f.status === 'open' && f.agent?.name === 'Dana');
    assert.deepEqual((await history(server(), sessionId)).agent, { name: 'Dana' });
  });

  test('only the console that took the session writes, types or ends as its agent, even under the same name', async () => {
    const { sessionId, user } = await liveSession();
    const other = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    other.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
    await other.error('already_taken');
    other.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'not me' });
    await other.error('already_taken');
    other.send({ type: 'client:typing', ...at(sessionId), sender: 'admin', isTyping: true });
    await other.error('already_taken');
    other.send({ type: 'client:end', ...at(sessionId), sender: 'admin' });
    await other.error('already_taken');
    await user.sync();
    const body = await history(server(), sessionId);
    assert.equal(body.status, 'open');
    assert.ok(!body.messages.some((m: Frame) => m.content === 'not me'));
    assert.ok(!user.frames.some((f) => f.type === 'livechat:typing' || f.content === 'not me' || f.type === 'livechat:ended'));
  });

  test('a console that reconnects takes its session again and writes on', async () => {
    const { sessionId, user, admin } = await liveSession();
    await admin.close();
    const again = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    again.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'before taking it again' });
    await again.error('already_taken');
    again.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
    await again.next((f) => f.type === 'livechat:status' && f.status === 'open' && f.agent?.name === 'Dana');
    again.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'Still here' });
    assert.deepEqual((await user.message('Still here')).agent, { name: 'Dana' });
    assert.equal(user.frames.filter((f) => f.content === 'Dana joined the chat.').length, 1, 'no second "joined"');
  });

  test('an agent must take a waiting session before ending it', async () => {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    admin.send({ type: 'client:end', ...at(sessionId), sender: 'admin' });
    await admin.error('takeover_required');
    assert.equal((await history(server(), sessionId)).status, 'waiting');
  });

  test('a widget watching in bot mode sees the bot conversation and the takeover at once', async () => {
    const sessionId = await newSession(server());
    const widget = await TestSocket.joined(server(), sessionId, 'widget');
    await chat(server(), 'How do I print?', sessionId);
    await widget.message('How do I print?');
    const bot = await widget.next((f) => f.type === 'livechat:message' && f.sender === 'bot');
    assert.match(bot.sources[0].source, /\/kb\/printing$/);
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Lee' } });
    const status = await widget.next((f) => f.type === 'livechat:status' && f.status === 'open');
    assert.equal(status.agent.name, 'Lee');
  });

  test('a visitor message over the socket in bot mode is answered by the bot', async () => {
    const sessionId = await newSession(server());
    const user = await TestSocket.joined(server(), sessionId, 'user');
    user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'guest wifi', clientMessageId: 'w-1' });
    await user.message('guest wifi');
    const bot = await user.next((f) => f.type === 'livechat:message' && f.sender === 'bot');
    assert.match(bot.sources[0].source, /\/kb\/wifi$/);
  });
});

describe('session isolation', () => {
  const server = useServer();

  test("a socket never receives another session's events and cannot write into it", async () => {
    const mine = await newSession(server());
    const theirs = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, theirs);
    const me = await TestSocket.joined(server(), mine, 'user');
    const them = await TestSocket.joined(server(), theirs, 'user');
    const agent = await TestSocket.joined(server(), theirs, 'admin', TOKEN);
    agent.send({ type: 'client:takeover', ...at(theirs), agent: { name: 'Dana' } });
    await them.next((f) => f.type === 'livechat:status' && f.status === 'open');
    agent.send({ type: 'client:typing', ...at(theirs), sender: 'admin', isTyping: true });
    agent.send({ type: 'client:message', ...at(theirs), sender: 'admin', content: 'private to them' });
    await them.message('private to them');

    // Writing into their session from my socket is refused and changes nothing.
    me.send({ type: 'client:message', ...at(theirs), sender: 'user', content: 'injected' });
    await me.error('wrong_session');
    me.send({ type: 'client:message', chatbotId: 'other', sessionId: mine, sender: 'user', content: 'wrong bot' });
    await me.error('wrong_session');
    me.send({ type: 'client:end', ...at(theirs) });
    await me.error('wrong_session');

    // My own bot conversation still works, and its reply is the last thing I receive.
    me.send({ type: 'client:message', ...at(mine), sender: 'user', content: 'How do I print?' });
    await me.next((f) => f.type === 'livechat:message' && f.sender === 'bot');
    assert.ok(me.frames.every((f) => f.sessionId === undefined || f.sessionId === mine), JSON.stringify(me.frames));
    assert.ok(!me.frames.some((f) => f.type === 'livechat:typing'));

    const body = await history(server(), theirs);
    assert.equal(body.status, 'open', 'their chat was not ended');
    assert.ok(!body.messages.some((m: Frame) => m.content === 'injected'));
    assert.ok(!them.frames.some((f) => f.content === 'injected'));
  });

  test('a message over 700 characters is refused and stored nowhere', async () => {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const user = await TestSocket.joined(server(), sessionId, 'user');
    user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'x'.repeat(701) });
    const error = await user.error('invalid_frame');
    assert.equal(error.sessionId, sessionId);
    assert.match(error.message, /700/);
    assert.equal((await history(server(), sessionId)).messages.length, 4);
  });
});

describe('per-socket rate limit', () => {
  const server = useServer({ rateLimit: { socket: { limit: 5, windowMs: 60_000 } } });

  test('a flood beyond the limit gets one livechat:error, the rest is dropped, nothing is stored', async () => {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const user = await TestSocket.joined(server(), sessionId, 'user'); // the join is frame 1
    for (let i = 0; i < 10; i++) user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: `flood ${i}`, clientMessageId: `f-${i}` });
    await user.message('flood 3');
    await user.error('rate_limited');
    await user.sync();
    assert.equal(user.frames.filter((f) => f.type === 'livechat:error').length, 1, 'one refusal per window, not one per frame');
    const stored = (await history(server(), sessionId)).messages.filter((m: Frame) => m.content.startsWith('flood'));
    assert.deepEqual(stored.map((m: Frame) => m.content), ['flood 0', 'flood 1', 'flood 2', 'flood 3']);
  });
});

describe('the agent console list', () => {
  const server = useServer();

  test('watching needs the token', async () => {
    const socket = await TestSocket.open(server());
    socket.send({ type: 'client:watch', token: 'nope' });
    await socket.error('unauthorized');
    assert.equal((await socket.closed).code, 4401);
  });

  test('lists sessions waiting first (longest wait first) and updates live', async () => {
    const watcher = await TestSocket.open(server());
    watcher.send({ type: 'client:watch', token: TOKEN });
    await watcher.next((f) => f.type === 'livechat:sessions');

    const a = await newSession(server());
    const b = await newSession(server());
    const c = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, b, { pageUrl: 'https://intranet.example/vpn' });
    await chat(server(), DEFAULT_HUMAN_REQUEST, c);
    const list = await watcher.next(
      (f) => f.type === 'livechat:sessions' && f.sessions.filter((s: Frame) => s.status === 'waiting').length === 2,
      'two waiting sessions',
    );
    const ids = list.sessions.map((s: Frame) => s.sessionId);
    assert.deepEqual(ids.slice(0, 2), [b, c], 'waiting first, in order of waiting');
    assert.ok(ids.includes(a));
    const rowB = list.sessions[0];
    assert.equal(rowB.pageUrl, 'https://intranet.example/vpn');
    assert.match(rowB.lastMessage, /connecting you with a person/);
    assert.ok(rowB.waitingSince);

    const admin = await TestSocket.joined(server(), c, 'admin', TOKEN);
    admin.send({ type: 'client:takeover', ...at(c), agent: { name: 'Dana' } });
    const updated = await watcher.next((f) => f.type === 'livechat:sessions' && f.sessions.some((s: Frame) => s.sessionId === c && s.status === 'open'), 'c open');
    assert.deepEqual(updated.sessions.map((s: Frame) => s.sessionId).slice(0, 2), [b, c], 'waiting, then open');
    assert.deepEqual(updated.sessions[1].agent, { name: 'Dana' });
    assertAllValid(watcher);
  });

  test("the visitor's client:meta shows its page in the list; an agent cannot set it", async () => {
    const watcher = await TestSocket.open(server());
    watcher.send({ type: 'client:watch', token: TOKEN, chatbotId: 'demo' });
    const sessionId = await newSession(server());
    const user = await TestSocket.joined(server(), sessionId, 'user');
    user.send({ type: 'client:meta', ...at(sessionId), pageUrl: 'https://intranet.example/expenses', pageTitle: 'Expenses' });
    await watcher.next((f) => f.type === 'livechat:sessions' && f.sessions.some((s: Frame) => s.sessionId === sessionId && s.pageUrl === 'https://intranet.example/expenses'), 'the page in the list');
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    admin.send({ type: 'client:meta', ...at(sessionId), pageUrl: 'https://elsewhere.example/' });
    await admin.error('forbidden');
  });
});

describe('closing with work pending', () => {
  test("a server closed while the agents' list waits to be rebuilt leaves it unbuilt, and reads nothing from its closed store", async () => {
    const server = await startServer({ port: 0, agentToken: TOKEN });
    const errors: unknown[] = [];
    const logError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const watcher = await TestSocket.open(server);
      watcher.send({ type: 'client:watch', token: TOKEN });
      await watcher.next((f) => f.type === 'livechat:sessions');
      // A change right after a list: the next one waits its turn (at most 250 ms apart).
      await newSession(server);
      await server.close();
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.deepEqual(errors.map(String), []);
    } finally {
      console.error = logError;
    }
  });
});
