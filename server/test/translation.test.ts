/**
 * [ext] Translation on the reference server: it translates nothing, and passes through what
 * a translating side says. A visitor's join may ask for translation; an agent's message may
 * carry its original beside the translated content, and the visitor gets both, live and in
 * the history.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { chat, newSession, request, TestSocket, TOKEN, useServer } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });

describe('translation fields', () => {
  const server = useServer();

  test('a join asking for translation is accepted; an agent message\'s original reaches the visitor and the history', async () => {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const user = await TestSocket.open(server());
    user.send({ type: 'client:join', ...at(sessionId), as: 'user', lang: 'de', translateEnabled: true, retranslateBacklog: true });
    await user.next((f) => f.type === 'livechat:status' && f.ok === true);
    const admin = await TestSocket.joined(server(), sessionId, 'admin', TOKEN);
    admin.send({ type: 'client:takeover', ...at(sessionId), agent: { name: 'Dana' } });
    await user.next((f) => f.type === 'livechat:status' && f.status === 'open');
    admin.send({ type: 'client:message', ...at(sessionId), sender: 'admin', content: 'Ich sehe mir das an.', originalContent: 'Let me look into that.', clientMessageId: 'a-1' });
    const live = await user.next((f) => f.type === 'livechat:message' && f.sender === 'admin');
    assert.equal(live.content, 'Ich sehe mir das an.');
    assert.equal(live.originalContent, 'Let me look into that.');
    const history = await request(server(), '/api/chat/history?chatbotId=demo', { sessionId });
    const stored = history.body.messages.find((m: { sender: string }) => m.sender === 'admin');
    assert.equal(stored.originalContent, 'Let me look into that.');
    user.close();
    admin.close();
  });
});
