import { expect } from '@open-wc/testing';
import { memoryStorage } from '../../src/core/storage.ts';
import type { StorageAdapter } from '../../src/core/types.ts';
import { fakeClock } from '../support/fake-clock.ts';
import { newClient, service, until, waitFor } from './harness.ts';

/** A client that joined a live chat and went away; its session then expired on the server. */
async function expiredWhileAway(configure: { historyMissing?: boolean } = {}) {
  const storage = memoryStorage();
  const first = newClient({ storage });
  await service.configure(first.chatbotId, configure);
  await first.client.requestHuman();
  await until(first.client, (s) => s.connection.state === 'joined', 'the join');
  first.client.dispose();
  await service.act(first.chatbotId, first.client.state.sessionId!, { type: 'expire' });
  return { storage, first };
}

describe('i. persistence and resuming', () => {
  it('a new client on the same storage resumes the session and the transcript', async () => {
    const storage = memoryStorage();
    const first = newClient({ storage });
    await first.client.send('remember me');
    first.client.dispose();

    const second = newClient({ storage, chatbotId: first.chatbotId });
    expect(second.client.state.sessionId).to.equal(first.client.state.sessionId);
    expect(second.client.state.messages.map((m) => m.content)).to.deep.equal(['remember me', 'Echo: remember me']);
    await second.client.start();
    await second.client.send('and continue');
    const { requests } = await service.log(first.chatbotId);
    expect(requests.filter((r) => r.path === '/api/chat').at(-1)!.sessionHeader).to.equal(first.client.state.sessionId);
    expect(second.client.state.messages).to.have.length(4);
  });

  it('resumes a live chat when the server history says the session is in it', async () => {
    const storage = memoryStorage();
    const first = newClient({ storage });
    await first.client.requestHuman();
    await until(first.client, (s) => s.connection.state === 'joined', 'the first join');
    const sessionId = first.client.state.sessionId!;
    await service.act(first.chatbotId, sessionId, { type: 'takeover', agent: { name: 'Ana' } });
    await until(first.client, (s) => s.conversation === 'live', 'live');
    first.client.dispose();

    const second = newClient({ storage, chatbotId: first.chatbotId });
    await second.client.start();
    expect(second.client.state).to.include({ conversation: 'live', sessionId });
    await until(second.client, (s) => s.connection.state === 'joined', 'the join after resuming');
    await service.act(first.chatbotId, sessionId, { type: 'say', content: 'Welcome back' });
    await until(second.client, (s) => s.messages.at(-1)?.content === 'Welcome back', 'the agent message');
  });

  it('without a history endpoint (404) keeps the local transcript and resumes from it', async () => {
    const storage = memoryStorage();
    const first = newClient({ storage });
    await service.configure(first.chatbotId, { historyMissing: true });
    await first.client.requestHuman();
    await until(first.client, (s) => s.connection.state === 'joined', 'the join');
    await first.client.send('live text');
    await until(first.client, (s) => s.messages.at(-1)?.delivery === 'sent', 'the echo');
    first.client.dispose();

    const second = newClient({ storage, chatbotId: first.chatbotId });
    await second.client.start();
    expect(second.client.state.error).to.equal(null);
    expect(second.client.state.messages.map((m) => m.content)).to.deep.equal(first.client.state.messages.map((m) => m.content));
    await until(second.client, (s) => s.connection.state === 'joined', 'the join after resuming');
  });

  it('g. an invalid history body is a typed error; the local transcript stays and the chat resumes from it', async () => {
    const storage = memoryStorage();
    const first = newClient({ storage });
    await first.client.requestHuman();
    await until(first.client, (s) => s.connection.state === 'joined', 'the join');
    first.client.dispose();
    await service.configure(first.chatbotId, { historyRaw: '{"messages":"nope"}' });

    const second = newClient({ storage, chatbotId: first.chatbotId });
    await second.client.start();
    expect(second.client.state.error).to.include({ code: 'invalid_response' });
    expect(second.client.state.messages.map((m) => m.content)).to.deep.equal(first.client.state.messages.map((m) => m.content));
    expect(second.client.state.conversation).to.equal('waiting');
    await until(second.client, (s) => s.connection.state === 'joined', 'the join after resuming');
  });

  it('keeps the transcript, failed text included, through a reload after the server dropped the session (404)', async () => {
    const storage = memoryStorage();
    const first = newClient({ storage });
    await first.client.send('hello');
    await service.script(first.chatbotId, { status: 404, body: { error: { code: 'unknown_session', message: 'Unknown or expired session.' } } });
    await first.client.send('still there?');
    expect(first.client.state.sessionId).to.equal(null);
    first.client.dispose();

    const second = newClient({ storage, chatbotId: first.chatbotId });
    const shown = () => second.client.state.messages.map((m) => [m.content, m.delivery]);
    expect(shown()).to.deep.equal([['hello', 'sent'], ['Echo: hello', undefined], ['still there?', 'failed']]);
    await second.client.start();
    await second.client.retry(second.client.state.messages.at(-1)!.id);
    expect(shown().slice(-2)).to.deep.equal([['still there?', 'sent'], ['Echo: still there?', undefined]]);
    const { requests } = await service.log(first.chatbotId);
    expect(requests.at(-1)).to.include({ path: '/api/chat', sessionHeader: null });
  });

  it('a session that expired meanwhile (history 404 unknown_session) is dropped: transcript kept, the next message starts a new one', async () => {
    const { storage, first } = await expiredWhileAway();
    const second = newClient({ storage, chatbotId: first.chatbotId });
    await second.client.start();
    expect(second.client.state).to.include({ sessionId: null, conversation: 'new', error: null });
    expect(second.client.state.connection.state).to.equal('idle');
    expect(second.client.state.messages.map((m) => m.content)).to.deep.equal(first.client.state.messages.map((m) => m.content));
    await second.client.send('hello again');
    expect(second.client.state.messages.at(-1)).to.include({ content: 'Echo: hello again' });
    const { requests, frames } = await service.log(first.chatbotId);
    expect(requests.at(-1)).to.include({ path: '/api/chat', sessionHeader: null });
    expect(frames.filter((f) => f.frame.type === 'client:join')).to.have.length(1);
  });

  it('a join refused for an unknown session stops reconnecting, goes back to REST and fails the queued message, text kept', async () => {
    const clock = fakeClock();
    const { storage, first } = await expiredWhileAway({ historyMissing: true });
    const second = newClient({ storage, chatbotId: first.chatbotId, timers: clock.timers, now: clock.now });
    await second.client.start();
    expect(second.client.state.conversation).to.equal('waiting');
    void second.client.send('anyone there?');
    await until(second.client, (s) => s.error, 'the refusal');
    expect(second.client.state.error).to.include({ code: 'live_chat_refused', serverCode: 'unknown_session' });
    expect(second.client.state).to.include({ sessionId: null, conversation: 'new' });
    clock.advance(60_000);
    expect(second.client.state.connection.state).to.equal('idle');
    const queued = second.client.state.messages.at(-1)!;
    expect(queued).to.include({ content: 'anyone there?', delivery: 'failed' });
    await second.client.retry(queued.id);
    expect(second.client.state.messages.at(-1)).to.include({ content: 'Echo: anyone there?' });
    const { requests, frames } = await service.log(first.chatbotId);
    expect(requests.at(-1)).to.include({ path: '/api/chat', sessionHeader: null });
    expect(frames.filter((f) => f.frame.type === 'client:join')).to.have.length(2);
  });

  it('reset() forgets the session and the transcript and closes the socket', async () => {
    const storage = memoryStorage();
    const { client, chatbotId } = newClient({ storage });
    await client.requestHuman();
    await until(client, (s) => s.connection.state === 'joined', 'the join');
    client.reset();
    expect(client.state).to.include({ sessionId: null, conversation: 'new', mode: 'bot', status: null });
    expect(client.state.messages).to.deep.equal([]);
    expect(client.state.connection.state).to.equal('idle');
    expect(storage.getItem(`webchat-agent:${chatbotId}`)).to.equal(null);
    await waitFor(async () => (await service.log(chatbotId)).sockets.every((s) => !s.open), 'the socket closed');
    await client.send('a new start');
    const { requests } = await service.log(chatbotId);
    expect(requests.filter((r) => r.path === '/api/chat').at(-1)!.sessionHeader).to.equal(null);
    const fresh = newClient({ storage, chatbotId });
    expect(fresh.client.state.messages).to.have.length(0);
  });

  it('writes storage debounced, not on every change', async () => {
    const clock = fakeClock();
    let writes = 0;
    const inner = memoryStorage();
    // One save writes the head and the chunk of messages that changed (saved-transcript.ts).
    const storage: StorageAdapter = { ...inner, setItem: (key, value) => { if (!key.includes(':', 'webchat-agent:'.length)) writes++; inner.setItem(key, value); } };
    const { client, chatbotId } = newClient({ storage, timers: clock.timers, now: clock.now });
    await client.send('one');
    await client.send('two');
    await client.send('three');
    expect(writes).to.equal(0);
    clock.advance(1000);
    expect(writes).to.equal(1);
    const reopened = newClient({ storage, chatbotId });
    expect(reopened.client.state.messages).to.have.length(6);
  });

  it('writes at once when the page is hidden for good (pagehide)', async () => {
    const clock = fakeClock();
    const storage = memoryStorage();
    const { client, chatbotId } = newClient({ storage, timers: clock.timers, now: clock.now });
    await client.send('just before leaving');
    expect(storage.getItem(`webchat-agent:${chatbotId}`)).to.equal(null);
    window.dispatchEvent(new Event('pagehide'));
    const reopened = newClient({ storage, chatbotId });
    expect(reopened.client.state.messages.map((m) => m.content)).to.deep.equal(['just before leaving', 'Echo: just before leaving']);
  });

  it('drops the oldest messages when the storage refuses (quota), keeping the session and recent ones', async () => {
    const inner = memoryStorage();
    const storage: StorageAdapter = {
      ...inner,
      setItem(key, value) {
        if (value.length > 1500) throw new DOMException('full', 'QuotaExceededError');
        inner.setItem(key, value);
      },
    };
    const { client, chatbotId } = newClient({ storage });
    for (let i = 1; i <= 8; i++) await client.send(`message number ${i} ${'x'.repeat(40)}`);
    client.dispose();
    const reopened = newClient({ storage, chatbotId });
    const contents = reopened.client.state.messages.map((m) => m.content);
    expect(reopened.client.state.sessionId).to.equal(client.state.sessionId);
    expect(contents.length).to.be.greaterThan(0).and.lessThan(16);
    expect(contents.at(-1)).to.equal(client.state.messages.at(-1)!.content);
  });

  it('a send cut off by a page unload shows failed; once the history shows the server got it, it shows once, answered', async () => {
    const storage = memoryStorage();
    const { client, chatbotId } = newClient({ storage });
    await client.send('first');
    await service.script(chatbotId, { hold: true });
    void client.send('in flight');
    void client.send('never left');
    await waitFor(async () => (await service.log(chatbotId)).requests.length === 2, 'the request');
    client.dispose(); // the page goes away before the answer
    const reopened = newClient({ storage, chatbotId });
    const shown = (content: string) => reopened.client.state.messages.filter((m) => m.content === content).map((m) => m.delivery);
    expect(shown('in flight')).to.deep.equal(['failed']);
    expect(shown('never left')).to.deep.equal(['failed']);

    await reopened.client.start();
    expect(shown('in flight')).to.deep.equal(['sent']);
    expect(shown('Echo: in flight')).to.deep.equal([undefined]);
    expect(shown('never left')).to.deep.equal(['failed']);
    await reopened.client.retry(reopened.client.state.messages.find((m) => m.content === 'never left')!.id);
    expect(shown('never left')).to.deep.equal(['sent']);
    expect(shown('Echo: never left')).to.deep.equal([undefined]);
    await service.release(chatbotId);
  });
});

describe('dispose()', () => {
  it('stops the client: an answer arriving afterwards opens no socket, arms no timer, writes no storage; start() resumes', async () => {
    const clock = fakeClock();
    const storage = memoryStorage();
    let sockets = 0;
    class Counting extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets++;
      }
    }
    const { client, chatbotId } = newClient({ storage, timers: clock.timers, now: clock.now, WebSocket: Counting });
    await service.script(chatbotId, { hold: true, body: { reply: 'An agent will be with you shortly.', mode: 'human', status: 'waiting' } });
    const sending = client.send('I need a person');
    await waitFor(async () => (await service.log(chatbotId)).requests.length === 1, 'the request');
    client.dispose();
    const stored = storage.getItem(`webchat-agent:${chatbotId}`);
    await service.release(chatbotId);
    await sending;
    expect(sockets).to.equal(0);
    expect(clock.pending()).to.deep.equal([]);
    expect(storage.getItem(`webchat-agent:${chatbotId}`)).to.equal(stored);
    const cutOff = client.state.messages.at(-1)!;
    expect(cutOff).to.include({ content: 'I need a person', delivery: 'failed' });
    expect(client.state.typing).to.equal(false);

    await client.start();
    await client.retry(cutOff.id);
    expect(client.state.messages.map((m) => [m.content, m.delivery])).to.deep.equal([['I need a person', 'sent'], ['Echo: I need a person', undefined]]);
  });
});
