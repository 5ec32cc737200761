/**
 * The embedded default keeps everything in SQLite under the data folder: the real server
 * process, killed with SIGKILL in the middle of a live chat and started again, resumes the
 * conversation. The visitor's socket rejoins, the history is intact, and the agent carries on.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import type { RunningServer } from '../app.ts';
import { fakeClock } from './fake-clock.ts';
import { freePort } from './redis-server.ts';
import { chat, request, TestSocket, TOKEN, type Frame } from './support.ts';
import { SqliteStore } from '../store/sqlite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });
const dataDir = mkdtempSync(join(tmpdir(), 'webchat-data-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** `server/main.ts` as `npm start` runs it, on a fixed port and the test's data folder. */
async function startMain(port: number): Promise<{ child: ChildProcess; server: RunningServer }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--data-dir', dataDir], {
    cwd: root,
    env: { ...process.env, PORT: String(port), AGENT_TOKEN: TOKEN, REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      if (output.includes('Ctrl-C stops the server.')) resolve();
    });
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${output}`)));
  });
  assert.match(output, /State: +.*webchat\.sqlite \(SQLite\)/);
  // Only what the helpers read: the URL and the token.
  return { child, server: { url: `http://127.0.0.1:${port}`, port, agentToken: TOKEN } as RunningServer };
}

function killed(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    child.once('exit', (_code, signal) => resolve(signal));
    child.kill('SIGKILL');
  });
}

describe('SQLite under the data folder', () => {
  test('a server killed with SIGKILL mid-chat comes back with the session, its history and its agent', async () => {
    const port = await freePort();
    let { child, server } = await startMain(port);
    assert.ok(existsSync(join(dataDir, 'webchat.sqlite')), 'the file is in the data folder');

    const first = await chat(server, 'How do I reset my password?');
    const sessionId = first.sessionId!;
    assert.equal((await chat(server, DEFAULT_HUMAN_REQUEST, sessionId)).body.status, 'waiting');
    const user = await TestSocket.joined(server, sessionId, 'user');
    const admin = await TestSocket.joined(server, sessionId, 'admin', TOKEN);
    admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
    await user.message('Dana joined the chat.');
    user.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'My VPN drops every hour', clientMessageId: 'u-1' });
    await admin.message('My VPN drops every hour');
    admin.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'Which client version?', clientMessageId: 'a-1' });
    await user.message('Which client version?');
    const before = (await request(server, '/api/chat/history?chatbotId=demo', { sessionId })).body;

    assert.equal(await killed(child), 'SIGKILL');
    assert.equal((await user.closedWithin()).code, 1006, 'the socket died with the process');
    await admin.closedWithin();

    ({ child, server } = await startMain(port));
    try {
      const rejoined = await TestSocket.joined(server, sessionId, 'user');
      const history = (await request(server, '/api/chat/history?chatbotId=demo', { sessionId })).body;
      assert.deepEqual(history.messages, before.messages, 'every message, with its id and time');
      assert.deepEqual(
        history.messages.map((m: Frame) => m.content),
        ['How do I reset my password?', history.messages[1].content, DEFAULT_HUMAN_REQUEST, history.messages[3].content, 'Dana joined the chat.', 'My VPN drops every hour', 'Which client version?'],
      );
      assert.equal(history.status, 'open');
      assert.deepEqual(history.agent, { name: 'Dana' });

      // The console reconnects and takes its session again: nothing is announced, the chat goes on.
      const console2 = await TestSocket.joined(server, sessionId, 'admin', TOKEN);
      console2.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
      await console2.next((f) => f.type === 'livechat:status' && f.sessionId === sessionId && f.status === 'open');
      rejoined.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: '4.2, I think', clientMessageId: 'u-2' });
      await console2.message('4.2, I think');
      // A resend of a message stored before the crash is recognised: still one copy.
      rejoined.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'My VPN drops every hour', clientMessageId: 'u-1' });
      assert.equal((await rejoined.message('My VPN drops every hour')).id, before.messages[5].id);
      console2.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'Please update to 4.3', clientMessageId: 'a-2' });
      await rejoined.message('Please update to 4.3');
      const after = (await request(server, '/api/chat/history?chatbotId=demo', { sessionId })).body;
      assert.equal(after.messages.filter((m: Frame) => m.content === 'Dana joined the chat.').length, 1);
      assert.equal(after.messages.filter((m: Frame) => m.content === 'My VPN drops every hour').length, 1);
      assert.equal(after.messages.length, 9);
      await rejoined.close();
      await console2.close();
    } finally {
      await killed(child);
    }
  });

  test('a waiting session restored after a restart still times out at its original deadline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webchat-data-'));
    const clock = fakeClock();
    const { startServer } = await import('../app.ts');
    let server = await startServer({ port: 0, agentToken: TOKEN, dataDir: dir, clock, handoffTimeoutMs: 60_000, pingIntervalMs: 86_400_000 });
    const sessionId = (await chat(server, 'How do I print?')).sessionId!;
    await chat(server, DEFAULT_HUMAN_REQUEST, sessionId);
    await server.close();
    clock.advance(40_000);
    server = await startServer({ port: 0, agentToken: TOKEN, dataDir: dir, clock, handoffTimeoutMs: 60_000, pingIntervalMs: 86_400_000 });
    try {
      const user = await TestSocket.joined(server, sessionId, 'user');
      clock.advance(19_999);
      await user.sync();
      assert.ok(!user.frames.some((f) => f.type === 'livechat:ended'), 'not before the deadline');
      clock.advance(1);
      assert.equal((await user.next((f) => f.type === 'livechat:ended')).by, 'timeout');
      await user.close();
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a stored record that fails its schema is refused at the read, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webchat-data-'));
    try {
      const store = new SqliteStore(join(dir, 'webchat.sqlite'), fakeClock());
      await store.create({ id: 's-1', chatbotId: 'demo', createdAt: new Date(0).toISOString(), lastActivity: 0, activityOrder: 0, lastSeq: 0, version: 0, state: { mode: 'bot' } });
      await store.close();
      const db = new Database(join(dir, 'webchat.sqlite'));
      db.prepare('UPDATE sessions SET state = ? WHERE id = ?').run(JSON.stringify({ mode: 'robot' }), 's-1');
      db.close();
      const reopened = new SqliteStore(join(dir, 'webchat.sqlite'), fakeClock());
      await assert.rejects(reopened.get('s-1'), /session s-1.*state\.mode/);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
