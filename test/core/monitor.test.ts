import { expect } from '@open-wc/testing';
import type { BotLog } from '../support/control.ts';
import { newClient, service, until, waitFor } from './harness.ts';

const joins = (log: BotLog) => log.frames.map((f) => f.frame).filter((f) => f.type === 'client:join');

describe('j. monitoring a bot conversation', () => {
  it('is off by default: no socket in bot mode', async () => {
    const { client, chatbotId } = newClient();
    await client.send('hi');
    expect(client.state.connection.state).to.equal('idle');
    expect((await service.log(chatbotId)).sockets).to.deep.equal([]);
  });

  it('with monitor, a widget socket sees the takeover at once and the visitor joins the live chat', async () => {
    const { client, chatbotId } = newClient({ monitor: true });
    await client.send('hi');
    const sessionId = client.state.sessionId!;
    await until(client, (s) => s.connection.state === 'joined', 'the widget join');
    expect(joins(await service.log(chatbotId))).to.deep.equal([{ type: 'client:join', chatbotId, sessionId, as: 'widget' }]);
    await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name: 'Ana' } });
    await until(client, (s) => s.conversation === 'live', 'the takeover');
    await until(client, (s) => s.connection.state === 'joined', 'the visitor join');
    const log = await service.log(chatbotId);
    expect(joins(log).map((f) => f.type === 'client:join' && f.as)).to.deep.equal(['widget', 'user']);
    expect(log.sockets.map((s) => [s.role, s.open])).to.deep.equal([['widget', false], ['user', true]]);
    await client.send('hello Ana');
    await until(client, (s) => s.messages.at(-1)?.delivery === 'sent', 'the echo');
  });

  it('an agent message on the widget socket counts as a takeover too', async () => {
    const { client, chatbotId } = newClient({ monitor: true });
    await client.send('hi');
    const sessionId = client.state.sessionId!;
    await until(client, (s) => s.connection.state === 'joined', 'the widget join');
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Ana here, can I help?' });
    await until(client, (s) => s.conversation === 'live', 'the takeover');
    expect(client.state.messages.at(-1)).to.include({ sender: 'admin', content: 'Ana here, can I help?' });
    await until(client, (s) => s.connection.state === 'joined', 'the visitor join');
    await until(client, (s) => s.messages.every((m) => m.serverId), 'the history after switching');
    expect(client.state.messages.filter((m) => m.sender === 'admin')).to.have.length(1);
  });

  it('goes back to watching when the live chat ends', async () => {
    const { client, chatbotId } = newClient({ monitor: true });
    await client.requestHuman();
    const sessionId = client.state.sessionId!;
    await until(client, (s) => s.connection.state === 'joined', 'the join');
    await service.act(chatbotId, sessionId, { type: 'end' });
    await until(client, (s) => s.conversation === 'bot', 'back to bot');
    await waitFor(async () => joins(await service.log(chatbotId)).length === 2, 'the widget join');
    expect(joins(await service.log(chatbotId)).map((f) => f.type === 'client:join' && f.as)).to.deep.equal(['user', 'widget']);
  });
});
