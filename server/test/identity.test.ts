/**
 * [ext] Visitor identities on the reference server: stored with the session and shown in the
 * console's list; with an identity secret, accepted only with hash = HMAC-SHA256(secret, id),
 * over REST and on the socket, refused with a clear error otherwise, and marked verified.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { chat, newSession, TestSocket, TOKEN, useServer, type Frame } from './support.ts';

const SECRET = 'host-backend-secret';
const hmac = (id: string) => createHmac('sha256', SECRET).update(id).digest('hex');
const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });
const ada = { id: 'u-1001', name: 'Ada Lovelace', email: 'ada@example.com', attributes: { plan: 'pro', seats: 12, admin: false } };

/** The console's row for a session, once `ok` holds for it. */
async function row(watcher: TestSocket, sessionId: string, ok: (row: Frame) => boolean = () => true): Promise<Frame> {
  const frame = await watcher.next((f) => f.type === 'livechat:sessions' && f.sessions.some((s: Frame) => s.sessionId === sessionId && ok(s)));
  return frame.sessions.find((s: Frame) => s.sessionId === sessionId);
}

async function watching(server: Parameters<typeof chat>[0]): Promise<TestSocket> {
  const watcher = await TestSocket.open(server);
  watcher.send({ type: 'client:watch', token: TOKEN });
  await watcher.next((f) => f.type === 'livechat:sessions');
  return watcher;
}

describe('visitor identities without a secret', () => {
  const server = useServer();

  test('reach the console as the host said them, attributes included, never marked verified', async () => {
    const watcher = await watching(server());
    const reply = await chat(server(), 'hello', null, { visitor: { ...ada, hash: 'not checked here' } });
    assert.equal(reply.status, 200);
    const shown = await row(watcher, reply.sessionId!, (s) => !!s.visitor);
    assert.deepEqual(shown.visitor, ada);
    watcher.close();
  });

  test('an identity claiming to be verified is not taken at its word', async () => {
    const watcher = await watching(server());
    const reply = await chat(server(), 'hello', null, { visitor: { id: 'u-7', verified: true } });
    assert.equal(reply.status, 200);
    assert.deepEqual((await row(watcher, reply.sessionId!, (s) => !!s.visitor)).visitor, { id: 'u-7' });
    watcher.close();
  });
});

describe('visitor identities with a secret', () => {
  const server = useServer({ identitySecret: SECRET });

  test('REST: the right hash is accepted and the identity marked verified; a wrong or missing one is refused', async () => {
    const watcher = await watching(server());
    const good = await chat(server(), 'hello', null, { visitor: { ...ada, hash: hmac(ada.id) } });
    assert.equal(good.status, 200);
    assert.deepEqual((await row(watcher, good.sessionId!, (s) => !!s.visitor)).visitor, { ...ada, verified: true });

    for (const visitor of [{ ...ada, hash: hmac('u-1002') }, { ...ada, hash: 'f'.repeat(64) }, ada, { name: 'No id', hash: hmac('') }]) {
      const bad = await chat(server(), 'hello', null, { visitor });
      assert.equal(bad.status, 403, JSON.stringify(visitor));
      assert.equal(bad.body.error.code, 'unverified_visitor');
      assert.match(bad.body.error.message, /could not be verified/);
    }
    // A visitor the host says nothing about is still welcome.
    assert.equal((await chat(server(), 'hello')).status, 200);
    watcher.close();
  });

  test('the socket: client:meta with a wrong hash is refused with livechat:error and nothing is stored; the right one is verified', async () => {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const watcher = await watching(server());
    const user = await TestSocket.joined(server(), sessionId, 'user');
    user.send({ type: 'client:meta', ...at(sessionId), pageUrl: 'https://intranet.example/', visitor: { ...ada, hash: hmac('someone else') } });
    const error = await user.next((f) => f.type === 'livechat:error');
    assert.equal(error.code, 'unverified_visitor');
    assert.match(error.message, /HMAC-SHA256/);

    user.send({ type: 'client:meta', ...at(sessionId), pageUrl: 'https://intranet.example/', visitor: { ...ada, hash: hmac(ada.id) } });
    const shown = await row(watcher, sessionId, (s) => !!s.visitor);
    assert.deepEqual(shown.visitor, { ...ada, verified: true });
    user.close();
    watcher.close();
  });
});
