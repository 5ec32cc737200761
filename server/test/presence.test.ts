/**
 * [ext] Presence on a fake clock: agents hear "left" when the visitor's last socket has been
 * gone for the grace time and "back" when one joins again; a reload within the grace is
 * not news; a live chat whose visitor stays away is closed and leaves the LIVE list.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { STALE_NOTICE } from '../presence.ts';
import { FAKE_START, fakeClock, NO_PINGS } from './fake-clock.ts';
import { chat, eventually, newSession, TestSocket, TOKEN, useServer, type Frame } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });
const GRACE = 20_000;
const STALE = 120_000;

describe('presence', () => {
  const clock = fakeClock();
  const server = useServer({ clock, ...NO_PINGS, presenceGraceMs: GRACE, staleLiveMs: STALE, handoffTimeoutMs: 10 * 60_000 });

  async function liveChat() {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const user = await TestSocket.joined(server(), sessionId, 'user');
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
    await user.message('Dana joined the chat.');
    const watcher = await TestSocket.open(server());
    watcher.send({ type: 'client:watch', token: TOKEN });
    await watcher.next((f) => f.type === 'livechat:sessions');
    return { sessionId, user, admin, watcher };
  }

  /** Closes the visitor's socket; resolves once the server has armed its grace timer, so time may move. */
  async function leave(user: TestSocket) {
    const armed = () => clock.pending().filter((ms) => ms === GRACE).length;
    const before = armed();
    await user.close();
    await eventually(async () => armed(), (count) => count > before, 'the grace timer');
  }
  const row = (watcher: TestSocket, sessionId: string, ok: (row: Frame) => boolean) =>
    watcher.next((f) => f.type === 'livechat:sessions' && f.sessions.some((s: Frame) => s.sessionId === sessionId && ok(s)));

  test('the agent hears "left" after the grace and "back" when the visitor returns; the list row says so', async () => {
    const { sessionId, user, admin, watcher } = await liveChat();
    await leave(user);
    clock.advance(GRACE - 1);
    await admin.sync();
    assert.ok(!admin.frames.some((f) => f.type === 'livechat:presence'), 'not within the grace');
    clock.advance(1);
    assert.deepEqual(await admin.next((f) => f.type === 'livechat:presence'), {
      type: 'livechat:presence',
      sessionId,
      visitor: 'left',
      at: new Date(clock.now() - GRACE).toISOString(),
    });
    const left = await row(watcher, sessionId, (s) => s.visitorLeftAt !== null);
    assert.equal(left.sessions.find((s: Frame) => s.sessionId === sessionId).status, 'open', 'still live within the stale time');

    const back = await TestSocket.joined(server(), sessionId, 'user');
    assert.equal((await admin.next((f) => f.type === 'livechat:presence')).visitor, 'back');
    await row(watcher, sessionId, (s) => s.visitorLeftAt === null);
    await back.close();
  });

  test('a reload within the grace tells the agent nothing', async () => {
    const { sessionId, user, admin } = await liveChat();
    await leave(user);
    clock.advance(GRACE / 2);
    const reloaded = await TestSocket.joined(server(), sessionId, 'user');
    clock.advance(GRACE * 2);
    reloaded.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'back after a reload', clientMessageId: 'r-1' });
    await admin.message('back after a reload');
    assert.ok(!admin.frames.some((f) => f.type === 'livechat:presence'));
    await reloaded.close();
  });

  test('a live chat whose visitor stays away is closed and leaves the LIVE list', async () => {
    const { sessionId, user, admin, watcher } = await liveChat();
    await leave(user);
    clock.advance(GRACE);
    await admin.next((f) => f.type === 'livechat:presence' && f.visitor === 'left');
    clock.advance(STALE - GRACE);
    assert.equal((await admin.next((f) => f.type === 'livechat:ended')).by, 'timeout');
    assert.equal((await admin.message(STALE_NOTICE)).sender, 'system');
    const list = await row(watcher, sessionId, (s) => s.status === 'closed');
    const live = list.sessions.filter((s: Frame) => s.status === 'waiting' || s.status === 'open').map((s: Frame) => s.sessionId);
    assert.ok(!live.includes(sessionId));
    assert.ok(clock.now() - FAKE_START >= STALE);
  });

  test("who the visitor is, from the REST body or client:meta, reaches the console's row; a malformed one is refused like any bad field", async () => {
    const watcher = await TestSocket.open(server());
    watcher.send({ type: 'client:watch', token: TOKEN });
    const first = await chat(server(), 'How do I print?', null, { visitor: { name: 'Robin Park', email: 'robin@northwind.example' }, pageUrl: 'https://intranet.example/printers' });
    const sessionId = first.sessionId!;
    const named = await row(watcher, sessionId, (s) => s.visitor?.name === 'Robin Park');
    assert.deepEqual(named.sessions.find((s: Frame) => s.sessionId === sessionId).visitor, { name: 'Robin Park', email: 'robin@northwind.example' });
    assert.equal((await chat(server(), 'And scanning?', sessionId, { visitor: { name: 42 } })).status, 400);
    const user = await TestSocket.joined(server(), sessionId, 'user');
    user.send({ type: 'client:meta', ...at(sessionId), pageUrl: 'https://intranet.example/scan', pageTitle: 'Scanning', visitor: { id: 'emp-1138', hash: 'ab12' } });
    const meta = await row(watcher, sessionId, (s) => s.visitor?.id === 'emp-1138');
    const summary = meta.sessions.find((s: Frame) => s.sessionId === sessionId);
    assert.equal(summary.pageTitle, 'Scanning');
    assert.equal(summary.pageUrl, 'https://intranet.example/scan');
    assert.deepEqual(summary.visitor, { id: 'emp-1138' }, 'the verification hash is not kept');
    await user.close();
  });
});
