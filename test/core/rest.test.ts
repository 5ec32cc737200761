import { expect } from '@open-wc/testing';
import { MAX_MESSAGE_LENGTH } from '../../src/core/protocol.ts';
import { fakeClock } from '../support/fake-clock.ts';
import { newClient, service, waitFor } from './harness.ts';

describe('a. the session id', () => {
  it('is absent from the first request, then taken from the response and sent on every later one', async () => {
    const { client, chatbotId } = newClient();
    await client.send('hello');
    const sessionId = client.state.sessionId;
    expect(sessionId).to.be.a('string');
    await service.script(chatbotId, { omitSessionHeader: true });
    await client.send('second');
    await client.send('third');
    expect(client.state.sessionId).to.equal(sessionId);
    const { requests } = await service.log(chatbotId);
    expect(requests.map((r) => r.sessionHeader)).to.deep.equal([null, sessionId, sessionId]);
  });

  it('does not start two sessions when two messages are sent at once', async () => {
    const { client, chatbotId } = newClient();
    await Promise.all([client.send('one'), client.send('two')]);
    const { requests } = await service.log(chatbotId);
    expect(requests.map((r) => r.sessionHeader)).to.deep.equal([null, client.state.sessionId]);
  });
});

describe('a. an expired session', () => {
  it('after a 404 the next message starts a new session, the transcript stays', async () => {
    const { client, chatbotId } = newClient();
    await client.send('hello');
    const old = client.state.sessionId;
    await service.script(chatbotId, { status: 404, body: { error: { code: 'unknown_session', message: 'Unknown session' } } });
    await client.send('anyone?');
    expect(client.state.error).to.include({ code: 'not_found' });
    expect(client.state.sessionId).to.equal(null);
    await client.retry(client.state.messages.at(-1)!.id);
    const { requests } = await service.log(chatbotId);
    expect(requests.map((r) => r.sessionHeader)).to.deep.equal([null, old, null]);
    expect(client.state.sessionId).to.be.a('string').and.not.equal(old);
    expect(client.state.messages.map((m) => m.content)).to.deep.equal(['hello', 'Echo: hello', 'anyone?', 'Echo: anyone?']);
  });
});

describe('b. a bot reply', () => {
  it('becomes a bot message with its sources, after the visitor message marked sent', async () => {
    const { client, chatbotId, events } = newClient();
    await service.script(chatbotId, {
      body: { reply: '<p>Use the <b>VPN</b></p>', sources: [{ type: 'web', source: 'https://example.com/vpn' }, { type: 'video', source: 9 }], mode: 'bot', messageId: 'r1' },
    });
    const sending = client.send('How do I connect?');
    expect(client.state.messages[0]).to.include({ sender: 'user', content: 'How do I connect?', delivery: 'sending' });
    expect(client.state.typing, 'the bot types while the reply is pending').to.equal(true);
    await sending;
    const [mine, reply] = client.state.messages;
    expect(mine).to.include({ sender: 'user', delivery: 'sent' });
    expect(reply).to.include({ sender: 'bot', content: '<p>Use the <b>VPN</b></p>', html: true, serverId: 'r1' });
    expect(reply!.sources).to.have.length(2);
    expect(client.state).to.include({ typing: false, conversation: 'bot', mode: 'bot' });
    expect(events.filter((e) => e.type === 'message')).to.have.length(2);
  });

  it('applies mode and status: human with status closed stays with the bot', async () => {
    const { client, chatbotId } = newClient();
    await service.script(chatbotId, { body: { reply: 'Agents are offline', mode: 'human', status: 'closed' } });
    await client.send('agent please');
    expect(client.state).to.include({ conversation: 'bot', mode: 'bot', status: 'closed' });
    expect(client.state.connection.state).to.equal('idle');
  });
});

describe('g. REST errors', () => {
  const cases = [
    { status: 400, code: 'bad_request' },
    { status: 403, code: 'forbidden' },
    { status: 404, code: 'not_found' },
    { status: 413, code: 'payload_too_large' },
    { status: 500, code: 'server_error' },
    { status: 503, code: 'server_error' },
  ] as const;
  for (const { status, code } of cases) {
    it(`HTTP ${status} becomes "${code}", the message fails with its text kept`, async () => {
      const { client, chatbotId, events } = newClient();
      await service.script(chatbotId, { status, body: { error: { code: 'x_reason', message: `Refused (${status})` } } });
      await client.send('keep me');
      expect(client.state.error).to.include({ code, status, message: `Refused (${status})`, serverCode: 'x_reason' });
      expect(client.state.messages).to.have.length(1);
      expect(client.state.messages[0]).to.include({ content: 'keep me', delivery: 'failed' });
      expect(events.some((e) => e.type === 'error' && e.error.code === code)).to.equal(true);
    });
  }

  it('429 carries Retry-After in seconds', async () => {
    const { client, chatbotId } = newClient();
    await service.script(chatbotId, { status: 429, headers: { 'Retry-After': '12' }, body: { error: { code: 'rate_limited', message: 'Slow down' } } });
    await client.send('fast');
    expect(client.state.error).to.include({ code: 'rate_limited', retryAfter: 12, status: 429 });
  });

  it('a non-JSON error body still gives a typed error', async () => {
    const { client, chatbotId } = newClient();
    await service.script(chatbotId, { status: 502, raw: '<html>Bad gateway</html>', headers: { 'Content-Type': 'text/html' } });
    await client.send('hi');
    expect(client.state.error).to.include({ code: 'server_error', status: 502 });
    expect(client.state.error!.message).to.be.a('string').and.not.equal('');
  });

  it('a 200 that is not JSON, or fails its schema, is invalid_response and changes nothing else', async () => {
    const { client, chatbotId } = newClient();
    await client.send('first');
    const before = client.state;
    await service.script(chatbotId, { raw: 'oops' }, { body: { reply: 42, mode: 'robot' } });
    await client.send('second');
    expect(client.state.error).to.include({ code: 'invalid_response' });
    await client.send('third');
    expect(client.state.error?.code).to.equal('invalid_response');
    expect(client.state.error!.message).to.match(/reply/);
    expect(client.state).to.include({ sessionId: before.sessionId, mode: 'bot', conversation: 'bot' });
    expect(client.state.messages.map((m) => [m.content, m.delivery])).to.deep.equal([
      ['first', 'sent'],
      ['Echo: first', undefined],
      ['second', 'failed'],
      ['third', 'failed'],
    ]);
  });

  it('a network failure is "network" and the message keeps its text', async () => {
    const { client } = newClient({ baseUrl: 'http://127.0.0.1:9' });
    await client.send('lost?');
    expect(client.state.error?.code).to.equal('network');
    const failed = client.state.messages[0]!;
    expect(failed).to.include({ delivery: 'failed', content: 'lost?' });
    expect(failed.error?.code).to.equal('network');
  });

  it('a request unanswered for 30 s fails as "network" (timed out) and the messages queued behind it go on', async () => {
    const clock = fakeClock();
    const { client, chatbotId } = newClient({ timers: clock.timers, now: clock.now });
    await service.script(chatbotId, { hold: true });
    const hung = client.send('hello?');
    const queued = client.send('anyone?');
    await waitFor(async () => (await service.log(chatbotId)).requests.length === 1, 'the request');
    expect(client.state.typing).to.equal(true);
    clock.advance(30_000);
    await hung;
    expect(client.state.messages[0]).to.include({ content: 'hello?', delivery: 'failed' });
    expect(client.state.messages[0]!.error).to.include({ code: 'network' });
    expect(client.state.messages[0]!.error!.message).to.contain('no answer within 30 s');
    await queued;
    expect(client.state.messages.at(-1)).to.include({ content: 'Echo: anyone?' });
    expect(client.state.typing).to.equal(false);
    await service.release(chatbotId);
  });

  it('retry ignores a message that did not fail', async () => {
    const { client, chatbotId } = newClient();
    await client.send('first');
    await client.retry(client.state.messages[0]!.id);
    expect(client.state.messages).to.have.length(2);
    expect((await service.log(chatbotId)).requests).to.have.length(1);
  });

  it('retry keeps the identity of a failed message and delivers it', async () => {
    const { client, chatbotId } = newClient();
    await service.script(chatbotId, { status: 500 });
    await client.send('try again');
    const id = client.state.messages[0]!.id;
    expect(client.state.messages[0]!.delivery).to.equal('failed');
    await client.retry(id);
    expect(client.state.messages[0]).to.include({ id, clientMessageId: id, delivery: 'sent', content: 'try again' });
    expect(client.state.messages[0]!.error).to.equal(undefined);
    expect(client.state.messages[1]).to.include({ content: 'Echo: try again' });
    expect(client.state.messages).to.have.length(2);
  });
});

describe('h. message length', () => {
  for (const [label, text] of [
    ['empty', ''],
    ['only spaces', '   \n\t '],
    ['701 characters', 'x'.repeat(MAX_MESSAGE_LENGTH + 1)],
  ] as const) {
    it(`refuses a message that is ${label}: clear error, nothing sent`, async () => {
      const { client, chatbotId, events } = newClient();
      await client.send(text);
      expect(client.state.error).to.include({ code: 'invalid_message' });
      expect(client.state.error!.message).to.contain('700');
      expect(client.state.messages).to.deep.equal([]);
      expect(events.some((e) => e.type === 'error')).to.equal(true);
      expect((await service.log(chatbotId)).requests).to.deep.equal([]);
    });
  }

  it('sends 700 characters surrounded by spaces, trimmed', async () => {
    const { client, chatbotId } = newClient();
    const text = 'y'.repeat(MAX_MESSAGE_LENGTH);
    await client.send(`  ${text}  `);
    const { requests } = await service.log(chatbotId);
    expect((requests[0]!.body as { message: string }).message).to.equal(text);
  });
});

describe('k. pageUrl and lang over REST', () => {
  it('sends exactly message, chatbotId and pageUrl: no other field', async () => {
    const { client, chatbotId } = newClient({ pageUrl: 'https://intranet.example/vpn', lang: 'de' });
    await client.send('hello');
    const { requests } = await service.log(chatbotId);
    expect(requests[0]!.body).to.deep.equal({ message: 'hello', chatbotId, pageUrl: 'https://intranet.example/vpn' });
  });

  it('leaves pageUrl out when none is given', async () => {
    const { client, chatbotId } = newClient();
    await client.send('hello');
    expect((await service.log(chatbotId)).requests[0]!.body).to.deep.equal({ message: 'hello', chatbotId });
  });
});
