import { expect } from '@open-wc/testing';
import type { ClientFrame } from '../../src/core/protocol.ts';
import type { ChatClientOptions } from '../../src/core/types.ts';
import type { BotLog } from '../support/control.ts';
import { fakeClock } from '../support/fake-clock.ts';
import { newClient, service, until, waitFor } from './harness.ts';

const framesOf = (log: BotLog, type?: ClientFrame['type']) => log.frames.map((f) => f.frame).filter((f) => !type || f.type === type);

/** A client that asked for a human and joined the live chat as the visitor. */
async function inLiveChat(options: Partial<ChatClientOptions> = {}) {
  const setup = newClient(options);
  await setup.client.requestHuman();
  await until(setup.client, (s) => s.connection.state === 'joined', 'the join');
  return { ...setup, sessionId: setup.client.state.sessionId! };
}

describe('c. switching to live chat', () => {
  it('opens the socket, joins first and sends nothing else before the acknowledgement', async () => {
    const { client, chatbotId } = newClient({ lang: 'fr', pageUrl: 'https://intranet.example/page' });
    await service.configure(chatbotId, { ackJoin: false });
    await client.requestHuman();
    expect(client.state).to.include({ conversation: 'waiting', mode: 'human', status: 'waiting' });
    const sessionId = client.state.sessionId!;
    const log1 = await waitFor(async () => { const l = await service.log(chatbotId); return l.frames.length > 0 && l; }, 'the join');
    expect(framesOf(log1)).to.deep.equal([{ type: 'client:join', chatbotId, sessionId, as: 'user', lang: 'fr' }]);
    expect(client.state.connection.state).to.equal('connecting');

    await client.send('typed before the acknowledgement');
    expect(client.state.messages.at(-1)).to.include({ delivery: 'sending' });
    expect(framesOf(await service.log(chatbotId))).to.have.length(1);

    await service.act(chatbotId, sessionId, { type: 'ack' });
    await until(client, (s) => s.connection.state === 'joined', 'joined');
    await until(client, (s) => s.messages.at(-1)?.delivery === 'sent', 'the echo');
    const log2 = await service.log(chatbotId);
    expect(framesOf(log2).map((f) => f.type)).to.deep.equal(['client:join', 'client:meta', 'client:message']);
    expect(log2.requests.filter((r) => r.path === '/api/chat')).to.have.length(1);
  });

  it('sends visitor messages as client:message, never over REST, while waiting and live', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat();
    await client.send('waiting message');
    await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name: 'Ana' } });
    await until(client, (s) => s.conversation === 'live', 'live');
    expect(client.state.agent).to.deep.equal({ name: 'Ana' });
    await client.send('live message');
    await until(client, (s) => s.messages.filter((m) => m.delivery === 'sent').length === 3, 'both echoes');
    const log = await service.log(chatbotId);
    expect(log.requests.filter((r) => r.path === '/api/chat')).to.have.length(1);
    const sent = framesOf(log, 'client:message');
    expect(sent.map((f) => f.type === 'client:message' && f.content)).to.deep.equal(['waiting message', 'live message']);
    expect(client.state.messages.map((m) => m.content).slice(-2)).to.deep.equal(['waiting message', 'live message']);
  });

  it('a message queued behind the request for a human goes over the socket, not REST', async () => {
    const { client, chatbotId } = newClient();
    await Promise.all([client.requestHuman(), client.send('queued behind it')]);
    await until(client, (s) => s.messages.at(-1)?.delivery === 'sent', 'the echo');
    const log = await service.log(chatbotId);
    expect(log.requests.filter((r) => r.path === '/api/chat')).to.have.length(1);
    expect(framesOf(log, 'client:message')).to.have.length(1);
    expect(client.state.typing).to.equal(false);
  });

  it('shows what the agent writes and that the agent is typing', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat();
    await service.act(chatbotId, sessionId, { type: 'typing', isTyping: true });
    await until(client, (s) => s.typing, 'agent typing');
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Hello, I am Ana', agent: { name: 'Ana' } });
    await until(client, (s) => s.messages.at(-1)?.sender === 'admin', 'the agent message');
    expect(client.state.messages.at(-1)).to.include({ content: 'Hello, I am Ana', html: false });
    expect(client.state.typing).to.equal(false);
  });
});

describe('d. the session guard', () => {
  it('ignores events without a sessionId or for another session, and a stray acknowledgement', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat();
    const before = client.state;
    const stray = [
      { type: 'livechat:message', sessionId: 'someone-else', id: 'x1', sender: 'admin', content: 'not for you', createdAt: new Date().toISOString() },
      { type: 'livechat:status', mode: 'bot', status: 'closed' },
      { type: 'livechat:error', code: 'other', message: 'no session' },
      { type: 'livechat:status', sessionId: 'someone-else', mode: 'bot', status: 'closed' },
      { type: 'livechat:typing', sessionId: 'someone-else', sender: 'admin', isTyping: true },
      { type: 'livechat:ended', sessionId: 'someone-else', by: 'admin' },
      { type: 'livechat:status', ok: true },
    ];
    for (const frame of stray) await service.act(chatbotId, sessionId, { type: 'raw', data: JSON.stringify(frame) });
    await service.act(chatbotId, sessionId, { type: 'say', content: 'for you' });
    await until(client, (s) => s.messages.at(-1)?.content === 'for you', 'the real message');
    expect(client.state.messages.map((m) => m.content)).to.not.include('not for you');
    expect(client.state).to.include({ conversation: 'waiting', typing: false, error: null, sessionId });
    expect(client.state.messages).to.have.length(before.messages.length + 1);
  });
});

describe('e. back to the bot', () => {
  it('livechat:ended returns to REST with the same session id', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat();
    await service.act(chatbotId, sessionId, { type: 'end' });
    await until(client, (s) => s.conversation === 'bot', 'back to bot');
    expect(client.state).to.include({ sessionId, mode: 'bot', status: 'closed', ended: true });
    // The socket stays a moment for what follows the end, then goes.
    await until(client, (s) => s.connection.state === 'idle', 'the socket closed after the end');
    await client.send('bot again');
    const log = await service.log(chatbotId);
    expect(log.requests.filter((r) => r.path === '/api/chat').at(-1)).to.include({ sessionHeader: sessionId });
    expect(client.state.messages.at(-1)).to.include({ content: 'Echo: bot again' });
  });

  it('a status frame with status closed returns to the bot too', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat();
    await service.act(chatbotId, sessionId, { type: 'raw', data: JSON.stringify({ type: 'livechat:status', sessionId, mode: 'human', status: 'closed' }) });
    await until(client, (s) => s.conversation === 'bot', 'back to bot');
    expect(client.state.sessionId).to.equal(sessionId);
  });

  it('endLiveChat() tells the server and returns to the bot', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat();
    client.endLiveChat();
    expect(client.state).to.include({ conversation: 'bot', sessionId });
    const log = await waitFor(async () => { const l = await service.log(chatbotId); return framesOf(l, 'client:end').length > 0 && l; }, 'client:end');
    expect(framesOf(log, 'client:end')).to.deep.equal([{ type: 'client:end', chatbotId, sessionId, sender: 'user' }]);
  });
});

describe('f. reconnecting', () => {
  it('backs off with jitter, rejoins, reloads the history and sends the outbox once', async () => {
    const clock = fakeClock();
    const { client, chatbotId, sessionId } = await inLiveChat({ timers: clock.timers, now: clock.now, random: () => 0.5, reconnect: { initialDelayMs: 1000 } });
    await service.act(chatbotId, sessionId, { type: 'drop' });
    await until(client, (s) => s.connection.state === 'reconnecting', 'reconnecting');
    expect(client.state.connection).to.deep.equal({ state: 'reconnecting', attempt: 1, retryAt: clock.now() + 500 });

    await client.send('typed while away');
    expect(client.state.messages.at(-1)).to.include({ delivery: 'sending' });
    const historyBefore = (await service.log(chatbotId)).requests.filter((r) => r.path === '/api/chat/history').length;

    clock.advance(500);
    await until(client, (s) => s.connection.state === 'joined', 'rejoined');
    await until(client, (s) => s.messages.at(-1)?.delivery === 'sent', 'the echo');
    const log = await waitFor(async () => {
      const l = await service.log(chatbotId);
      return l.requests.filter((r) => r.path === '/api/chat/history').length > historyBefore && l;
    }, 'the history reload');
    expect(framesOf(log, 'client:join')).to.have.length(2);
    const sent = framesOf(log, 'client:message');
    expect(sent).to.have.length(1);
    expect(sent[0]).to.include({ content: 'typed while away', clientMessageId: client.state.messages.at(-1)!.id });
    await until(client, (s) => s.messages.filter((m) => m.content === 'typed while away').length === 1 && s.messages.every((m) => m.serverId), 'the merged history');
    expect(client.state.messages.filter((m) => m.content === 'typed while away')).to.have.length(1);
  });

  it('resends an unconfirmed message with the same clientMessageId, and it shows once', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat({ reconnect: { initialDelayMs: 20 } });
    await service.configure(chatbotId, { echo: false });
    await client.send('did it arrive?');
    const id = client.state.messages.at(-1)!.id;
    await waitFor(async () => framesOf(await service.log(chatbotId), 'client:message').length === 1, 'the first send');
    expect(client.state.messages.at(-1)).to.include({ delivery: 'sending' });
    await service.configure(chatbotId, { echo: true });
    await service.act(chatbotId, sessionId, { type: 'drop' });
    await until(client, (s) => s.messages.find((m) => m.id === id)?.delivery === 'sent', 'confirmation after the resend');
    const sent = framesOf(await service.log(chatbotId), 'client:message');
    expect(sent.map((f) => f.type === 'client:message' && f.clientMessageId)).to.deep.equal([id, id]);
    await until(client, (s) => s.messages.every((m) => m.serverId), 'the history');
    expect(client.state.messages.filter((m) => m.content === 'did it arrive?')).to.have.length(1);
  });

  it('an echo without clientMessageId (as the hosted service may send) confirms the pending message: shown once, never resent', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat({ reconnect: { initialDelayMs: 20 } });
    await service.configure(chatbotId, { clientMessageIds: false });
    await client.send('same words');
    await client.send('same words');
    await client.send('other words');
    const own = () => client.state.messages.filter((m) => m.sender === 'user');
    await until(client, () => own().length === 4 && own().every((m) => m.delivery === 'sent'), 'the echoes');
    expect(own().map((m) => m.content).slice(1)).to.deep.equal(['same words', 'same words', 'other words']);
    const historyBefore = (await service.log(chatbotId)).requests.filter((r) => r.path === '/api/chat/history').length;
    await service.act(chatbotId, sessionId, { type: 'drop' });
    await waitFor(async () => (await service.log(chatbotId)).requests.filter((r) => r.path === '/api/chat/history').length > historyBefore, 'the rejoin');
    await until(client, (s) => s.connection.state === 'joined' && s.messages.every((m) => m.serverId), 'the merged history');
    expect(own()).to.have.length(4);
    expect(framesOf(await service.log(chatbotId), 'client:message')).to.have.length(3);
  });

  it('a socket the page may not open (CSP) is a connection error, retried, and the client keeps working', async () => {
    const clock = fakeClock();
    class Blocked {
      constructor() {
        throw new DOMException("Refused to connect: it violates the Content Security Policy directive 'connect-src'", 'SecurityError');
      }
    }
    const { client, events } = newClient({ WebSocket: Blocked as never, timers: clock.timers, now: clock.now, random: () => 1 });
    await client.requestHuman();
    await until(client, (s) => s.connection.state === 'reconnecting', 'the failed attempt');
    expect(client.state.error).to.include({ code: 'connection' });
    expect(client.state.connection).to.deep.equal({ state: 'reconnecting', attempt: 1, retryAt: clock.now() + 1000 });
    clock.advance(1000);
    await until(client, (s) => s.connection.state === 'reconnecting' && s.connection.attempt === 2, 'the second attempt');
    expect(events.filter((e) => e.type === 'error')).to.have.length(1);
    await client.send('still typing');
    expect(client.state.messages.at(-1)).to.include({ content: 'still typing', delivery: 'sending' });
  });

  it('goes offline with the browser and reconnects when it is back online', async () => {
    const { client, chatbotId } = await inLiveChat();
    window.dispatchEvent(new Event('offline'));
    expect(client.state.connection.state).to.equal('offline');
    window.dispatchEvent(new Event('online'));
    await until(client, (s) => s.connection.state === 'joined', 'rejoined');
    expect(framesOf(await service.log(chatbotId), 'client:join')).to.have.length(2);
  });
});

describe('g. invalid frames', () => {
  it('garbage becomes an invalid_frame error, changes nothing else, and the chat keeps working', async () => {
    const { client, chatbotId, sessionId, events } = await inLiveChat();
    const before = client.state;
    await service.act(chatbotId, sessionId, { type: 'raw', data: 'not json at all' });
    await until(client, (s) => s.error, 'the error');
    expect(client.state.error).to.include({ code: 'invalid_frame' });
    expect(events.filter((e) => e.type === 'error')).to.have.length(1);
    expect(client.state).to.include({ messages: before.messages, conversation: before.conversation, sessionId });
    await service.act(chatbotId, sessionId, { type: 'raw', data: JSON.stringify({ type: 'livechat:message', sessionId, sender: 'admin' }) });
    await until(client, (s) => s.error?.message.includes('livechat:message'), 'the schema error');
    await service.act(chatbotId, sessionId, { type: 'raw', data: JSON.stringify({ type: 'livechat:reaction', sessionId }) });
    await service.act(chatbotId, sessionId, { type: 'say', content: 'still here' });
    await until(client, (s) => s.messages.at(-1)?.content === 'still here', 'the next message');
    expect(client.state.connection.state).to.equal('joined');
  });
});

describe('k. pageUrl and lang in live chat', () => {
  it('sends client:meta after the join and lang with each live message', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat({ lang: 'de', pageUrl: 'https://intranet.example/hr', pageTitle: 'HR' });
    await client.send('Hallo');
    await until(client, (s) => s.messages.at(-1)?.delivery === 'sent', 'the echo');
    const frames = framesOf(await service.log(chatbotId));
    expect(frames[0]).to.include({ type: 'client:join', lang: 'de' });
    expect(frames[1]).to.deep.equal({ type: 'client:meta', chatbotId, sessionId, pageUrl: 'https://intranet.example/hr', pageTitle: 'HR' });
    expect(frames.at(-1)).to.include({ type: 'client:message', content: 'Hallo', lang: 'de', sender: 'user' });
  });
});

describe('setTyping', () => {
  it('sends nothing in bot mode, even on the socket that watches for a takeover', async () => {
    const { client, chatbotId } = newClient({ monitor: true });
    await client.send('hi');
    await until(client, (s) => s.connection.state === 'joined', 'the widget join');
    client.setTyping(true);
    client.setTyping(false);
    await client.send('still the bot');
    expect(framesOf(await service.log(chatbotId)).map((f) => f.type)).to.deep.equal(['client:join']);
  });

  it('de-duplicates, stops by itself after a while, and stops when a message is sent', async () => {
    const clock = fakeClock();
    const { client, chatbotId } = await inLiveChat({ timers: clock.timers, now: clock.now, typingTimeoutMs: 3000 });
    const typing = async () => framesOf(await service.log(chatbotId), 'client:typing').map((f) => f.type === 'client:typing' && f.isTyping);
    client.setTyping(true);
    client.setTyping(true);
    clock.advance(2000);
    client.setTyping(true);
    clock.advance(2000);
    await waitFor(async () => (await typing()).length === 1, 'one typing frame');
    clock.advance(1000);
    await waitFor(async () => (await typing()).length === 2, 'the automatic stop');
    client.setTyping(true);
    await client.send('done typing');
    await waitFor(async () => framesOf(await service.log(chatbotId), 'client:message').length === 1, 'the message');
    expect(await typing()).to.deep.equal([true, false, true, false]);
    const order = framesOf(await service.log(chatbotId)).map((f) => f.type).slice(-2);
    expect(order).to.deep.equal(['client:typing', 'client:message']);
  });
});
