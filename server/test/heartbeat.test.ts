/**
 * [ext] The application-level heartbeat: the join acknowledgement offers `heartbeatMs`, and
 * `client:ping` is answered with `livechat:pong` on the same socket, joined or not. A client
 * pinging at the offered rate is never refused for it, and a ping shows the peer is there.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { fakeClock, NO_PINGS } from './fake-clock.ts';
import { newSession, TestSocket, TOKEN, useServer, type Frame } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });

/** Sends a ping and waits for the pong that echoes its id. */
function ping(socket: TestSocket, id: string): Promise<Frame> {
  socket.send({ type: 'client:ping', id });
  return socket.next((f) => f.type === 'livechat:pong' && f.id === id, `the pong to ${id}`);
}

describe('the heartbeat offer', () => {
  // [ext] files are advertised too (server/test/files.test.ts): this checks the heartbeat alone.
  const server = useServer({ files: false });

  test('every join acknowledgement carries heartbeatMs, 10 000 ms by default', async () => {
    const sessionId = await newSession(server());
    for (const [as, token] of [['user'], ['widget'], ['admin', TOKEN]] as const) {
      const socket = await TestSocket.joined(server(), sessionId, as, token);
      assert.deepEqual(socket.frames[0], { type: 'livechat:status', ok: true, heartbeatMs: 10_000 }, as);
    }
  });

  test('a ping is answered with a pong carrying its id, before and after joining', async () => {
    const socket = await TestSocket.open(server());
    assert.deepEqual(await ping(socket, 'before-join'), { type: 'livechat:pong', id: 'before-join' });
    socket.send({ type: 'client:ping' });
    assert.deepEqual(await socket.next((f) => f.type === 'livechat:pong' && !('id' in f)), { type: 'livechat:pong' });
    const sessionId = await newSession(server());
    socket.send({ type: 'client:join', ...at(sessionId), as: 'user' });
    await socket.next((f) => f.ok === true);
    assert.deepEqual(await ping(socket, 'after-join'), { type: 'livechat:pong', id: 'after-join' });
    assert.ok(!socket.frames.some((f) => f.type === 'livechat:error'), JSON.stringify(socket.frames));
  });
});

describe('heartbeatMs: 0', () => {
  const server = useServer({ heartbeatMs: 0, files: false });

  test('turns the offer off: the acknowledgement is the bare { ok: true }', async () => {
    const user = await TestSocket.joined(server(), await newSession(server()), 'user');
    assert.deepEqual(user.frames, [{ type: 'livechat:status', ok: true }]);
  });
});

describe('pings and the frame rate limit', () => {
  const clock = fakeClock();
  const HEARTBEAT_MS = 10_000;
  const server = useServer({ clock, ...NO_PINGS, heartbeatMs: HEARTBEAT_MS, rateLimit: { socket: { limit: 3, windowMs: 60_000 } } });

  test('a client pinging every heartbeatMs is answered every time, even with its frame budget spent', async () => {
    const sessionId = await newSession(server());
    const user = await TestSocket.joined(server(), sessionId, 'user'); // frame 1 of 3
    const typing = () => user.send({ type: 'client:typing', ...at(sessionId), sender: 'user', isTyping: true });
    typing();
    typing();
    typing();
    await user.error('rate_limited');
    for (let round = 1; round <= 30; round++) {
      clock.advance(HEARTBEAT_MS);
      // The budget refills one frame every 20 s: typing takes it, the pings must not need it.
      typing();
      await ping(user, `beat-${round}`);
    }
  });

  test('a flood of pings far beyond the offered rate is limited like any frame', async () => {
    const user = await TestSocket.joined(server(), await newSession(server()), 'user');
    for (let i = 0; i < 20; i++) user.send({ type: 'client:ping', id: `flood-${i}` });
    await user.error('rate_limited');
    await user.sync();
    const pongs = user.frames.filter((f) => f.type === 'livechat:pong').length;
    assert.ok(pongs < 20, `${pongs} of 20 pings answered`);
  });
});

describe('a ping as a sign of life', () => {
  const clock = fakeClock();
  const server = useServer({ clock, pingIntervalMs: 30_000 });

  test("a socket that answers no WebSocket ping but sends heartbeats stays; once they stop, it is closed", async () => {
    const sessionId = await newSession(server());
    const quiet = await TestSocket.open(server(), { autoPong: false });
    quiet.send({ type: 'client:join', ...at(sessionId), as: 'user' });
    await quiet.next((f) => f.ok === true);
    for (let round = 1; round <= 3; round++) {
      clock.advance(30_000);
      await ping(quiet, `alive-${round}`);
    }
    assert.equal(quiet.ws.readyState, WebSocket.OPEN);
    clock.advance(30_000); // this round still counts the last heartbeat
    clock.advance(30_000); // nothing since: closed
    assert.equal((await quiet.closedWithin()).code, 1006);
  });
});
