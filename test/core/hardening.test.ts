// The defects outside trials found in the core, each as a visitor or an integrator meets it,
// against the fake service (real HTTP and WebSocket servers).
import { expect } from '@open-wc/testing';
import { ChatConfigurationError, createChatClient } from '../../src/core/client.ts';
import { initialModel, type Model } from '../../src/core/model.ts';
import { readPersisted, serialise } from '../../src/core/persisted.ts';
import { memoryStorage } from '../../src/core/storage.ts';
import type { ChatClientOptions, ChatState, StorageAdapter } from '../../src/core/types.ts';
import { fakeClock } from '../support/fake-clock.ts';
import { newClient, service, until, waitFor } from './harness.ts';

const NOTICE = 'The chat with Dana has ended. The assistant is back.';

async function inLiveChat(options: Partial<ChatClientOptions> = {}) {
  const setup = newClient(options);
  await setup.client.requestHuman();
  await until(setup.client, (s) => s.connection.state === 'joined', 'the join');
  return { ...setup, sessionId: setup.client.state.sessionId! };
}

const transcript = (state: ChatState) => state.messages.map((m) => `${m.sender}: ${m.content}`);

describe('1. the notice that ends a live chat', () => {
  it('lands live when the service sends it after livechat:ended, and the transcript equals the one after a reload', async () => {
    const storage = memoryStorage();
    const { client, chatbotId, sessionId } = await inLiveChat({ storage });
    await service.configure(chatbotId, { endNotice: NOTICE });
    await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name: 'Dana' } });
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Fixed it', agent: { name: 'Dana' } });
    await service.act(chatbotId, sessionId, { type: 'end' });
    await until(client, (s) => s.messages.some((m) => m.content === NOTICE), 'the notice, live');
    expect(client.state).to.include({ conversation: 'bot', ended: true });
    await until(client, (s) => s.connection.state === 'idle', 'the socket gone after the end');
    client.dispose();
    const reloaded = newClient({ storage, chatbotId });
    await reloaded.client.start();
    expect(transcript(reloaded.client.state)).to.deep.equal(transcript(client.state));
  });

  it('lands through one history load when the socket never carries it', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat();
    await service.configure(chatbotId, { endNotice: NOTICE, endNoticeLive: false });
    client.endLiveChat();
    await until(client, (s) => s.messages.some((m) => m.content === NOTICE), 'the notice, from the history');
    expect(client.state.messages.filter((m) => m.content === NOTICE)).to.have.length(1);
    const loads = (await service.log(chatbotId)).requests.filter((r) => r.path === '/api/chat/history');
    expect(loads).to.have.length(1);
    expect(sessionId).to.equal(client.state.sessionId);
  });

  it('a watching (monitor) socket keeps system messages', async () => {
    const { client, chatbotId } = newClient({ monitor: true });
    await client.send('hello');
    await until(client, (s) => s.connection.state === 'joined', 'the widget join');
    const sessionId = client.state.sessionId!;
    const frame = { type: 'livechat:message', sessionId, id: 'sys-1', sender: 'system', content: 'Maintenance tonight at 22:00.', createdAt: new Date().toISOString() };
    await service.act(chatbotId, sessionId, { type: 'raw', data: JSON.stringify(frame) });
    await until(client, (s) => s.messages.some((m) => m.content === 'Maintenance tonight at 22:00.'), 'the system message');
    expect(client.state.conversation).to.equal('bot');
  });
});

describe('3. bounds where the schema parses', () => {
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('a reply whose source nests 100,000 levels deep is an invalid_response that changes nothing else', async () => {
    const storage = memoryStorage();
    const { client, chatbotId } = newClient({ storage });
    await client.send('first');
    const before = client.state;
    const body = `{"reply":"<p>ok</p>","mode":"bot","sources":[{"type":"web","source":${deep(100_000)},"data":{"x":${deep(50)}}}]}`;
    await service.script(chatbotId, { raw: body, headers: { 'Content-Type': 'application/json' } });
    await client.send('second');
    expect(client.state.error).to.include({ code: 'invalid_response' });
    expect(client.state.messages.at(-1)).to.include({ content: 'second', delivery: 'failed' });
    expect(client.state.messages.slice(0, -1)).to.deep.equal(before.messages);
    // Valid replies go on rendering and storing, and a reload keeps every message.
    await client.retry(client.state.messages.at(-1)!.id);
    expect(client.state.messages.at(-1)).to.include({ content: 'Echo: second' });
    client.dispose();
    expect(transcript(newClient({ storage, chatbotId }).client.state)).to.deep.equal(transcript(client.state));
  });

  it('a live frame with a source past the bounds is an invalid_frame; the conversation goes on', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat();
    const frame = `{"type":"livechat:message","sessionId":"${sessionId}","id":"x","sender":"admin","content":"hi","createdAt":"${new Date().toISOString()}","sources":[{"type":"web","source":"https://a.example","data":${deep(20)}}]}`;
    await service.act(chatbotId, sessionId, { type: 'raw', data: frame });
    await until(client, (s) => s.error?.code === 'invalid_frame', 'the refusal');
    await service.act(chatbotId, sessionId, { type: 'raw', data: `{"type":"livechat:message","sessionId":"${sessionId}","id":"y","sender":"admin","content":"${'x'.repeat(70_000)}","createdAt":"${new Date().toISOString()}"}` });
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Still here' });
    await until(client, (s) => s.messages.at(-1)?.content === 'Still here', 'the next message');
    const ids = client.state.messages.map((m) => m.serverId);
    expect(ids).to.not.include('x');
    expect(ids).to.not.include('y');
  });

  it('a message that cannot be serialised is left out alone, not taken for a full storage', () => {
    const message = (id: string) => ({ id, sender: 'user' as const, content: id, html: false, sources: [], createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(), delivery: 'sent' as const });
    const circular: Record<string, unknown> = { type: 'product' };
    circular['self'] = circular;
    const messages = [message('a'), message('b'), { ...message('bad'), sources: [circular] }, message('c'), { ...message('big'), sources: [{ type: 'x', n: 1n }] }, message('d')];
    const model: Model = { ...initialModel(), sessionId: 's1', messages: messages as never };
    const stored = readPersisted(JSON.parse(serialise(model)));
    expect(stored!.messages.map((m) => m.id)).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(stored!.sessionId).to.equal('s1');
  });

  it('a storage that refuses for a reason other than space keeps the stored copy whole', async () => {
    const inner = memoryStorage();
    let limit = Infinity;
    // Refuses what is longer than it held, but not for lack of space: trimming is no answer.
    const storage: StorageAdapter = { ...inner, setItem: (key, value) => { if (value.length > limit) throw new TypeError('locked'); inner.setItem(key, value); } };
    const { client, chatbotId } = newClient({ storage });
    for (let i = 1; i <= 5; i++) await client.send(`message ${i}`);
    client.dispose();
    limit = inner.getItem(`webchat-agent:${chatbotId}`)!.length;
    const again = newClient({ storage, chatbotId });
    await again.client.send('not storable now');
    again.client.dispose();
    expect(newClient({ storage, chatbotId }).client.state.messages.map((m) => m.content)).to.deep.equal(client.state.messages.map((m) => m.content));
  });
});

describe('4. stored data is checked', () => {
  const key = (chatbotId: string) => `webchat-agent:${chatbotId}`;
  const good = (id: string, t: number) => ({ id, sender: 'user', content: `text ${id}`, html: false, sources: [], createdAt: new Date(Date.UTC(2026, 0, 1, 10, 0, t)).toISOString(), delivery: 'sent' });

  it('writes the versioned shape and drops only the entries that fail their schema', async () => {
    const storage = memoryStorage();
    const { client, chatbotId } = newClient({ storage });
    await client.send('hello');
    client.dispose();
    const saved = JSON.parse(storage.getItem(key(chatbotId))!);
    expect(saved).to.include({ v: 2, sessionId: client.state.sessionId });
    // The messages are in chunks of 100 beside the head: the first holds these.
    const chunk = JSON.parse(storage.getItem(`${key(chatbotId)}:0`)!);
    chunk.push(
      { ...good('bad-1', 1), content: 42 },
      { ...good('bad-2', 2), sources: 'none' },
      { ...good('bad-3', 3), createdAt: 12345 },
      { ...good('bad-4', 4), sender: 'hacker' },
      { ...good('bad-5', 5), sources: [{ type: 'web', source: JSON.parse(`${'['.repeat(30)}${']'.repeat(30)}`) }] },
      null,
      'text',
      good('ok', 6),
    );
    storage.setItem(`${key(chatbotId)}:0`, JSON.stringify(chunk));
    storage.setItem(key(chatbotId), JSON.stringify({ ...saved, span: { from: 0, to: chunk.length } }));
    const reopened = newClient({ storage, chatbotId }).client.state;
    expect(reopened.messages.map((m) => m.content)).to.deep.equal(['text ok', 'hello', 'Echo: hello']);
  });

  it("migrates the earlier unversioned shape, messages without sources or html included", () => {
    const storage = memoryStorage();
    const chatbotId = 'legacy-bot';
    storage.setItem(key(chatbotId), JSON.stringify({
      sessionId: 's-legacy',
      mode: 'bot',
      status: null,
      messages: [
        { id: 'a', sender: 'user', content: 'old question', createdAt: '2026-01-01T10:00:00.000Z', delivery: 'sent' },
        { id: 'b', sender: 'bot', content: '<p>old answer</p>', createdAt: '2026-01-01T10:00:01.000Z', serverId: null },
        { id: 'c', sender: 'admin', content: 7, createdAt: '2026-01-01T10:00:02.000Z' },
      ],
    }));
    const client = createChatClient({ baseUrl: service.url, chatbotId, storage });
    expect(client.state.sessionId).to.equal('s-legacy');
    expect(client.state.messages.map((m) => [m.id, m.html, m.sources.length])).to.deep.equal([['a', false, 0], ['b', true, 0], ]);
    client.dispose();
    expect(JSON.parse(storage.getItem(key(chatbotId))!)).to.include({ v: 2 });
    expect(JSON.parse(storage.getItem(`${key(chatbotId)}:0`)!).map((m: { id: string }) => m.id)).to.deep.equal(['a', 'b']);
  });
});

describe('5. a history with one bad entry', () => {
  it('keeps the rest of the window: the bad message alone is left out', async () => {
    const { client, chatbotId, sessionId } = await inLiveChat();
    const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s)).toISOString();
    const deep = JSON.parse(`${'['.repeat(20)}${']'.repeat(20)}`);
    await service.configure(chatbotId, {
      historyRaw: JSON.stringify({
        mode: 'human',
        status: 'waiting',
        messages: [
          { id: 'h1', sender: 'admin', content: 'first', createdAt: at(1) },
          { id: 'h2', sender: 'admin', content: 'too deep', createdAt: at(2), sources: [{ type: 'product', source: 'p', data: { x: deep } }] },
          { id: 'h3', sender: 'admin', content: 'third', createdAt: at(3) },
        ],
      }),
    });
    await service.act(chatbotId, sessionId, { type: 'drop' });
    await until(client, (s) => s.messages.some((m) => m.content === 'third'), 'the window');
    expect(client.state.messages.map((m) => m.content)).to.include('first').and.not.include('too deep');
    expect(client.state.error).to.equal(null);
  });
});

describe('10. events', () => {
  it('are handed out frozen, once the snapshot that holds them exists', async () => {
    const { client } = newClient();
    const seen: { frozen: boolean; inState: boolean }[] = [];
    client.subscribe((event) => {
      if (event.type === 'message') seen.push({ frozen: Object.isFrozen(event.message) && Object.isFrozen(event.message.sources), inState: client.state.messages.includes(event.message) });
    });
    await client.send('hello');
    expect(seen).to.deep.equal([{ frozen: true, inState: true }, { frozen: true, inState: true }]);
  });
});

describe('5. a failed history load', () => {
  it('is retried with growing, capped delays until it succeeds, and the outage messages land', async () => {
    const clock = fakeClock();
    const { client, chatbotId, sessionId } = await inLiveChat({ timers: clock.timers, now: clock.now, random: () => 0.999 });
    await service.configure(chatbotId, { historyRaw: 'garbage' });
    await service.act(chatbotId, sessionId, { type: 'drop' });
    await until(client, (s) => s.connection.state === 'reconnecting', 'the drop');
    await service.act(chatbotId, sessionId, { type: 'say', content: 'while you were away' });
    clock.advance(1000);
    await until(client, (s) => s.connection.state === 'joined', 'the rejoin');
    const loads = async () => (await service.log(chatbotId)).requests.filter((r) => r.path === '/api/chat/history').length;
    await waitFor(async () => (await loads()) === 1, 'the first load');
    await until(client, (s) => s.error?.code === 'invalid_response', 'its failure');
    // Each retry waits longer, never past 30 s: a 30 s step always brings exactly one more.
    for (let attempt = 2; attempt <= 8; attempt++) {
      // (Timers of exactly 30 s are the requests' own time-outs.)
      const retry = () => clock.pending().filter((ms) => ms > 250 && ms < 30_000);
      await waitFor(() => retry().length === 1, `retry ${attempt} armed`);
      clock.advance(retry()[0]!);
      await waitFor(async () => (await loads()) === attempt, `load ${attempt}`);
    }
    await service.configure(chatbotId, { historyRaw: null });
    clock.advance(30_000);
    await until(client, (s) => s.messages.some((m) => m.content === 'while you were away'), 'the outage message');
    expect(client.state.error).to.equal(null);
  });
});

describe('6. a half-open socket', () => {
  it('is noticed by the heartbeat within 30 s; the outbox is resent with the same ids and never failed', async () => {
    const clock = fakeClock();
    const chatbot = newClient({ timers: clock.timers, now: clock.now, random: () => 0 });
    await service.configure(chatbot.chatbotId, { heartbeatMs: 10_000 });
    await chatbot.client.requestHuman();
    const { client, chatbotId } = chatbot;
    await until(client, (s) => s.connection.state === 'joined', 'the join');
    const sessionId = client.state.sessionId!;
    await service.act(chatbotId, sessionId, { type: 'freeze' });
    await client.send('are you there?');
    const id = client.state.messages.at(-1)!.id;
    clock.advance(10_000);
    clock.advance(10_000);
    expect(client.state.connection.state).to.not.equal('joined');
    clock.advance(0);
    await until(client, (s) => s.messages.find((m) => m.id === id)?.delivery === 'sent', 'the resend delivered');
    expect(client.state.messages.filter((m) => m.content === 'are you there?')).to.have.length(1);
    const sent = (await service.log(chatbotId)).frames.filter((f) => f.frame.type === 'client:message');
    expect(sent.map((f) => f.frame.type === 'client:message' && f.frame.clientMessageId)).to.deep.equal([id]);
  });

  it('without a heartbeat, a missing echo reconnects and resends instead of failing the message', async () => {
    const clock = fakeClock();
    const { client, chatbotId, sessionId } = await inLiveChat({ timers: clock.timers, now: clock.now, random: () => 0 });
    await service.act(chatbotId, sessionId, { type: 'freeze' });
    await client.send('hello?');
    clock.advance(15_000);
    expect(client.state.messages.at(-1)).to.include({ delivery: 'sending' });
    clock.advance(0);
    await until(client, (s) => s.messages.at(-1)?.delivery === 'sent', 'the resend delivered');
    expect((await service.log(chatbotId)).violations).to.deep.equal([]);
  });
});

describe('10. the public state is the contract', () => {
  it('has exactly the documented keys and is frozen, messages included', async () => {
    const { client, events } = newClient();
    await client.send('hello');
    const state = client.state;
    expect(Object.keys(state).sort()).to.deep.equal(['agent', 'connection', 'conversation', 'ended', 'error', 'files', 'messages', 'mode', 'sessionId', 'status', 'typing', 'unread']);
    const fromEvent = events.filter((e) => e.type === 'state').at(-1)!;
    expect(fromEvent.type === 'state' && fromEvent.state).to.equal(state);
    expect(() => (state.messages as unknown[]).push({ id: 'forged' })).to.throw(TypeError);
    expect(() => ((state.messages[0] as { content: string }).content = 'forged')).to.throw(TypeError);
    expect(() => ((state as { sessionId: string | null }).sessionId = 'forged')).to.throw(TypeError);
    expect(() => ((state.messages[1]!.sources as unknown[]).length = 0)).to.throw(TypeError);
    expect(client.state.messages.map((m) => m.content)).to.deep.equal(['hello', 'Echo: hello']);
  });
});

describe('13. configuration errors', () => {
  it('without WebSocket, asking for a human gives a configuration error and no reconnect loop', async () => {
    const clock = fakeClock();
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    const original = globalThis.WebSocket;
    try {
      (globalThis as { WebSocket?: unknown }).WebSocket = undefined;
      const { client } = newClient({ timers: clock.timers, now: clock.now });
      await client.requestHuman();
      expect(client.state.error).to.include({ code: 'configuration' });
      expect(client.state.connection).to.deep.equal({ state: 'idle' });
      await client.send('anyone?');
      clock.advance(120_000);
      expect(clock.pending().filter((ms) => ms > 0)).to.deep.equal([]);
      expect(client.state.messages.at(-1)).to.include({ delivery: 'failed' });
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/WebSocket/);
    } finally {
      globalThis.WebSocket = original;
      console.warn = warn;
    }
  });

  it('an invalid base URL or a missing chatbot id is refused when the client is created', () => {
    for (const baseUrl of ['not a url', 'ftp://example.com', 'javascript:alert(1)']) {
      expect(() => createChatClient({ baseUrl, chatbotId: 'demo' })).to.throw(ChatConfigurationError);
    }
    expect(() => createChatClient({ baseUrl: service.url, chatbotId: '' })).to.throw(ChatConfigurationError, /chatbot id/);
    expect(() => createChatClient({ baseUrl: service.url, chatbotId: undefined as never })).to.throw(ChatConfigurationError);
  });

  it('an unknown chatbot id warns the integrator and tells the visitor plainly, not the server text', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      const { client, chatbotId } = newClient();
      await service.script(chatbotId, { status: 404, body: { error: { code: 'unknown_chatbot', message: `Unknown chatbot "${chatbotId}".` } } });
      await client.send('hello');
      expect(client.state.error).to.include({ code: 'configuration' });
      expect(client.state.error!.message).to.not.include(chatbotId);
      expect(client.state.error!.message).to.match(/not available/);
      expect(warnings.join('\n')).to.include(chatbotId);
      expect(client.state.messages.at(-1)).to.include({ content: 'hello', delivery: 'failed' });
    } finally {
      console.warn = warn;
    }
  });

  it('send() never throws nor rejects: a throwing listener, text that is not a string', async () => {
    const { client } = newClient();
    const reported: unknown[] = [];
    const error = console.error;
    console.error = (value: unknown) => void reported.push(value);
    try {
      client.subscribe(() => {
        throw new Error('listener bug');
      });
      await client.send('hello');
      await client.send(undefined as never);
      await client.send(42 as never);
    } finally {
      console.error = error;
    }
    expect(client.state.messages.map((m) => m.content)).to.deep.equal(['hello', 'Echo: hello']);
    expect(client.state.error).to.include({ code: 'invalid_message' });
    expect(reported.length).to.be.greaterThan(0);
  });
});
