// The headless core in Node against the reference server: the journey's end as a terminal
// client sees it. The notice that ends a live chat reaches the transcript live, and the
// transcript is the same after a reload.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from '../../server/app.ts';
import { createChatClient, memoryStorage } from '../../src/core/index.ts';
import type { ChatClient, ChatState, ServerFrame } from '../../src/core/index.ts';
import { waitFor } from '../support/control.ts';

let server: RunningServer;

before(async () => {
  server = await startServer({ port: 0 });
});

after(() => server.close());

const until = (client: ChatClient, check: (state: ChatState) => unknown, what: string) => waitFor(() => check(client.state), what);
const transcript = (state: ChatState) => state.messages.map((m) => `${m.sender}: ${m.content}`);

/** An agent's console socket, joined to the session and taking it over. */
async function agent(sessionId: string, name: string) {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/livechat`);
  const frames: ServerFrame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise((resolve) => ws.once('open', resolve));
  const send = (frame: object) => ws.send(JSON.stringify({ chatbotId: 'demo', sessionId, ...frame }));
  send({ type: 'client:join', as: 'admin', token: server.agentToken });
  await waitFor(() => frames.some((f) => f.type === 'livechat:status' && f.ok), 'the agent join');
  send({ type: 'client:takeover', agent: { name } });
  return { send, close: () => ws.close() };
}

test('an agent ends the live chat: the notice is in the transcript at once, and after a reload', async () => {
  const storage = memoryStorage();
  const client = createChatClient({ baseUrl: server.url, chatbotId: 'demo', WebSocket, storage });
  try {
    await client.send('How do I connect to the VPN?');
    await client.requestHuman();
    await until(client, (s) => s.connection.state === 'joined', 'the visitor join');
    const dana = await agent(client.state.sessionId!, 'Dana');
    await until(client, (s) => s.conversation === 'live', 'the takeover');
    dana.send({ type: 'client:message', sender: 'admin', content: 'Try the backup portal', clientMessageId: 'a-1' });
    await until(client, (s) => s.messages.some((m) => m.content === 'Try the backup portal'), 'the agent message');
    dana.send({ type: 'client:end', sender: 'admin' });
    await until(client, (s) => s.messages.some((m) => m.content === 'The chat with Dana has ended. The assistant is back.'), 'the notice');
    assert.equal(client.state.conversation, 'bot');
    assert.equal(client.state.ended, true);
    dana.close();
    await client.send('How many days of annual leave do I get?');
    await until(client, (s) => s.connection.state === 'idle', 'the socket gone');
    client.dispose();
    const reloaded = createChatClient({ baseUrl: server.url, chatbotId: 'demo', WebSocket, storage });
    await reloaded.start();
    assert.deepEqual(transcript(reloaded.state), transcript(client.state));
    reloaded.dispose();
  } finally {
    client.dispose();
  }
});

test('the visitor ends the live chat: the notice arrives on the socket that stays for it', async () => {
  const client = createChatClient({ baseUrl: server.url, chatbotId: 'demo', WebSocket });
  try {
    await client.requestHuman();
    await until(client, (s) => s.connection.state === 'joined', 'the visitor join');
    const sam = await agent(client.state.sessionId!, 'Sam');
    await until(client, (s) => s.conversation === 'live', 'the takeover');
    client.endLiveChat();
    await until(client, (s) => s.messages.some((m) => m.content === 'The chat with Sam has ended. The assistant is back.'), 'the notice');
    sam.close();
  } finally {
    client.dispose();
  }
});
