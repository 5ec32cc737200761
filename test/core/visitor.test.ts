// The visitor's identity [ext] and the translation fields, through the real client against
// the fake service: what goes on the wire, and whose conversation a client shows.
import { expect } from '@open-wc/testing';
import type { ClientFrame } from '../../src/core/protocol.ts';
import { memoryStorage } from '../../src/core/storage.ts';
import type { BotLog } from '../support/fake-service.ts';
import { newClient, service, until } from './harness.ts';

const framesOf = (log: BotLog) => log.frames.map((f) => f.frame as ClientFrame);
const ada = { id: 'u-1001', name: 'Ada Lovelace', email: 'ada@example.com', attributes: { plan: 'pro', seats: 12, admin: false }, hash: 'ab12' };

describe('the visitor option [ext]', () => {
  it('goes with every REST message and as client:meta right after the join', async () => {
    const { client, chatbotId } = newClient({ visitor: ada, pageUrl: 'https://intranet.example/hr', lang: 'de' });
    await client.send('hello');
    await client.requestHuman();
    await until(client, (s) => s.connection.state === 'joined', 'the join');
    const sessionId = client.state.sessionId!;
    const log = await service.log(chatbotId);
    expect(log.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { visitor?: unknown }).visitor)).to.deep.equal([ada, ada]);
    const frames = framesOf(await service.log(chatbotId));
    expect(frames[0]).to.deep.equal({ type: 'client:join', chatbotId, sessionId, as: 'user', lang: 'de' });
    expect(frames[1]).to.deep.equal({ type: 'client:meta', chatbotId, sessionId, pageUrl: 'https://intranet.example/hr', visitor: ada });
  });

  it('sends nothing of an identity the host left empty', async () => {
    const { client, chatbotId } = newClient({ visitor: { name: '' }, pageUrl: 'https://intranet.example/' });
    await client.send('hello');
    expect((await service.log(chatbotId)).requests[0]!.body).to.deep.equal({ message: 'hello', chatbotId, pageUrl: 'https://intranet.example/' });
  });

  it('keeps one conversation per visitor: a client for someone else shows none of the last one\'s and starts a new session', async () => {
    const storage = memoryStorage();
    const first = newClient({ visitor: { id: 'alice' }, storage, persistDelayMs: 0 });
    await first.client.send('my salary question');
    await until(first.client, (s) => s.messages.length === 2, 'the answer');
    const aliceSession = first.client.state.sessionId;
    first.client.dispose();

    const second = newClient({ chatbotId: first.chatbotId, visitor: { id: 'bob' }, storage });
    expect(second.client.state.messages).to.deep.equal([]);
    expect(second.client.state.sessionId).to.equal(null);
    await second.client.start();
    await second.client.send('hello');
    const posts = (await service.log(first.chatbotId)).requests.filter((r) => r.method === 'POST');
    expect(posts.at(-1)!.sessionHeader).to.equal(null);
    expect(second.client.state.sessionId).not.to.equal(aliceSession);

    // Alice, back on the machine, has her own conversation again.
    second.client.dispose();
    const back = newClient({ chatbotId: first.chatbotId, visitor: { id: 'alice' }, storage });
    expect(back.client.state.sessionId).to.equal(aliceSession);
    expect(back.client.state.messages.map((m) => m.content)).to.deep.equal(['my salary question', 'Echo: my salary question']);
  });
});

describe('the translate option', () => {
  it('asks for translation on the join, with the language', async () => {
    const { client, chatbotId } = newClient({ translate: true, lang: 'fr' });
    await client.requestHuman();
    await until(client, (s) => s.connection.state === 'joined', 'the join');
    const [join] = framesOf(await service.log(chatbotId));
    expect(join).to.include({ type: 'client:join', lang: 'fr', translateEnabled: true, retranslateBacklog: true });
  });

  it('keeps the original of a translated message, live and from the history', async () => {
    const storage = memoryStorage();
    const { client, chatbotId } = newClient({ translate: true, lang: 'fr', storage, persistDelayMs: 0 });
    await client.requestHuman();
    await until(client, (s) => s.connection.state === 'joined', 'the join');
    const sessionId = client.state.sessionId!;
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Bonjour, je regarde cela.', originalContent: 'Hello, let me look into it.', agent: { name: 'Dana' } });
    await until(client, (s) => s.messages.some((m) => m.sender === 'admin'), 'the agent message');
    const translated = { content: 'Bonjour, je regarde cela.', original: 'Hello, let me look into it.' };
    expect(client.state.messages.find((m) => m.sender === 'admin')).to.include(translated);
    client.dispose();

    // Another page of the same visitor: from what was stored, then merged with the history.
    const next = newClient({ chatbotId, translate: true, lang: 'fr', storage });
    expect(next.client.state.messages.find((m) => m.sender === 'admin')).to.include(translated);
    await next.client.start();
    expect(next.client.state.messages.find((m) => m.sender === 'admin')).to.include(translated);
  });
});
