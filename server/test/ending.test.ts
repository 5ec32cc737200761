/**
 * How a live chat ends, as the visitor's socket sees it: the notice first, then
 * `livechat:ended`, then the status. A client that goes back to the bot on
 * `livechat:ended` (and leaves the socket) still has the notice.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { TIMEOUT_NOTICE } from '../conversations.ts';
import { fakeClock, NO_PINGS } from './fake-clock.ts';
import { chat, newSession, TestSocket, TOKEN, useServer, type Frame } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });
const HANDOFF_MS = 60_000;

describe('the end of a live chat, in the order the visitor receives it', () => {
  const clock = fakeClock();
  const server = useServer({ clock, ...NO_PINGS, handoffTimeoutMs: HANDOFF_MS });

  /** A waiting session with the visitor's socket joined; with `agent`, taken over by Dana. */
  async function liveChat(agent: boolean) {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const user = await TestSocket.joined(server(), sessionId, 'user');
    if (!agent) return { sessionId, user };
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
    await user.message('Dana joined the chat.');
    return { sessionId, user, admin };
  }

  /** What the visitor's socket receives from now until the status that hands it back to the bot. */
  async function framesOfTheEnd(user: TestSocket, end: () => void): Promise<Frame[]> {
    const from = user.frames.length;
    end();
    await user.next((f) => f.type === 'livechat:status' && f.mode === 'bot', 'the status back to the bot');
    return user.frames.slice(from);
  }

  function assertNoticeFirst(frames: Frame[], sessionId: string, notice: string, by: string): void {
    assert.deepEqual(
      frames.map((f) => f.type),
      ['livechat:message', 'livechat:ended', 'livechat:status'],
    );
    assert.equal(frames[0]!.sender, 'system');
    assert.equal(frames[0]!.content, notice);
    assert.deepEqual(frames[1], { type: 'livechat:ended', sessionId, by });
    assert.equal(frames[2]!.status, 'closed');
  }

  test('the agent ends it', async () => {
    const { sessionId, user, admin } = await liveChat(true);
    const frames = await framesOfTheEnd(user, () => admin!.send({ type: 'client:end', ...at(sessionId), sender: 'admin' }));
    assertNoticeFirst(frames, sessionId, 'The chat with Dana has ended. The assistant is back.', 'admin');
  });

  test('the visitor ends it', async () => {
    const { sessionId, user } = await liveChat(true);
    const frames = await framesOfTheEnd(user, () => user.send({ type: 'client:end', ...at(sessionId), sender: 'user' }));
    assertNoticeFirst(frames, sessionId, 'The chat with Dana has ended. The assistant is back.', 'user');
  });

  test('the visitor cancels the request before an agent joins', async () => {
    const { sessionId, user } = await liveChat(false);
    const frames = await framesOfTheEnd(user, () => user.send({ type: 'client:end', ...at(sessionId), sender: 'user' }));
    assertNoticeFirst(frames, sessionId, 'The request for a person was cancelled. The assistant is back.', 'user');
  });

  test('no agent joins before the handoff timeout', async () => {
    const { sessionId, user } = await liveChat(false);
    const frames = await framesOfTheEnd(user, () => clock.advance(HANDOFF_MS));
    assertNoticeFirst(frames, sessionId, TIMEOUT_NOTICE, 'timeout');
  });
});
