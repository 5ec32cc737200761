// The headless core in Node: a whole conversation through the same client, with Node's
// fetch and `ws`'s WebSocket, against the fake service started in this process.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { createChatClient } from '../../src/core/index.ts';
import type { ChatClient, ChatState } from '../../src/core/index.ts';
import { freshChatbotId, serviceControl, waitFor } from '../support/control.ts';
import type { ServiceControl } from '../support/control.ts';
import { startFakeService } from '../support/fake-service.ts';
import type { FakeService } from '../support/fake-service.ts';

let fake: FakeService;
let service: ServiceControl;

before(async () => {
  fake = await startFakeService();
  service = serviceControl(fake.url);
});

after(() => fake.close());

const until = (client: ChatClient, check: (state: ChatState) => unknown, what: string) => waitFor(() => check(client.state), what);

test('a conversation from the bot to a human and back, in Node with ws', async () => {
  const chatbotId = freshChatbotId();
  const client = createChatClient({ baseUrl: fake.url, chatbotId, WebSocket, lang: 'en', pageUrl: 'https://intranet.example/', reconnect: { initialDelayMs: 20 } });
  try {
    await client.send('How do I reset my password?');
    assert.equal(client.state.conversation, 'bot');
    assert.equal(client.state.messages.at(-1)?.content, 'Echo: How do I reset my password?');

    await client.requestHuman();
    assert.equal(client.state.conversation, 'waiting');
    await until(client, (s) => s.connection.state === 'joined', 'the join');
    const sessionId = client.state.sessionId!;

    await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name: 'Ana' } });
    await until(client, (s) => s.conversation === 'live', 'the takeover');
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Hi, Ana here', agent: { name: 'Ana' } });
    await client.send('My password does not work');
    await until(client, (s) => s.messages.at(-1)?.delivery === 'sent', 'the echo');

    // Typed the moment the socket is lost: it waits in the outbox for the rejoin.
    const typedWhileAway = new Promise<void>((resolve) => {
      const unsubscribe = client.subscribe((event) => {
        if (event.type !== 'state' || event.state.connection.state !== 'reconnecting') return;
        unsubscribe();
        void client.send('Are you still there?');
        assert.equal(client.state.messages.at(-1)?.delivery, 'sending');
        resolve();
      });
    });
    await service.act(chatbotId, sessionId, { type: 'drop' });
    await typedWhileAway;
    await until(client, (s) => s.connection.state === 'joined' && s.messages.at(-1)?.delivery === 'sent', 'the rejoin and the outbox');

    await until(client, (s) => s.messages.every((m) => m.serverId), 'the history after the rejoin');

    await service.act(chatbotId, sessionId, { type: 'end' });
    await until(client, (s) => s.conversation === 'bot', 'back to the bot');
    await client.send('Thanks');
    assert.equal(client.state.sessionId, sessionId);

    assert.deepEqual(
      client.state.messages.map((m) => `${m.sender}: ${m.content}`),
      [
        'user: How do I reset my password?',
        'bot: Echo: How do I reset my password?',
        'user: I would like to talk to a human',
        'bot: An agent will be with you shortly.',
        'admin: Hi, Ana here',
        'user: My password does not work',
        'user: Are you still there?',
        'user: Thanks',
        'bot: Echo: Thanks',
      ],
    );
    const log = await service.log(chatbotId);
    assert.deepEqual(log.violations, []);
    const messages = log.frames.filter((f) => f.frame.type === 'client:message');
    assert.equal(messages.length, 2);
  } finally {
    client.dispose();
  }
});
