// The pure state machine, driven input by input: cheap, exhaustive checks of the rules the
// browser tests exercise over the network.
import { expect } from '@open-wc/testing';
import { initialModel, order, restore, update } from '../../src/core/conversation.ts';
import * as live from '../../src/core/live.ts';
import { serialise } from '../../src/core/persisted.ts';
import type { Config, Effect, Input, Model } from '../../src/core/conversation.ts';
import type { ServerFrame } from '../../src/core/protocol.ts';
import type { ChatMessage } from '../../src/core/types.ts';

// The reducer with its live part loaded, as the client has it once a socket is wanted.
const config: Config = { chatbotId: 'bot-1', initialDelayMs: 1000, maxDelayMs: 30000, typingTimeoutMs: 4000, lang: 'en', live };
const T0 = Date.parse('2026-01-01T10:00:00Z');
const iso = (t: number) => new Date(T0 + t).toISOString();
/** The history's start of every live conversation built by `waiting()`. */
const opening = [
  { id: 'h1', sender: 'user' as const, content: 'human please', createdAt: iso(0) },
  { id: 'h2', sender: 'bot' as const, content: 'Hold on', createdAt: iso(1) },
];

function drive(model: Model, ...inputs: Input[]): { model: Model; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const input of inputs) {
    const result = update(model, input, config);
    model = result.model;
    effects.push(...result.effects);
  }
  return { model, effects };
}

const frame = (gen: number, f: Record<string, unknown>): Input => ({ type: 'socketFrame', gen, parse: { kind: 'frame', frame: f as ServerFrame } });
/** The model once it asked for the history (the request remembers the transcript as it is). */
const asking = (model: Model) => drive(model, { type: 'resume' }).model;
const seqOf = (model: Model) => model.history!.seq;
const sentFrames = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));

/** A conversation that got its session over REST and was switched to live chat (waiting). */
function waiting(): { model: Model; gen: number } {
  let { model } = drive(initialModel(), { type: 'send', id: 'u1', text: 'human please', now: T0 });
  ({ model } = drive(model, { type: 'restOk', id: 'u1', sessionId: 's1', body: { reply: 'Hold on', mode: 'human', status: 'waiting' }, now: T0 + 10 }));
  return { model, gen: model.socket!.gen };
}

function joinedLive(): { model: Model; gen: number } {
  const { model, gen } = waiting();
  return { model: drive(model, { type: 'socketOpen', gen }, frame(gen, { type: 'livechat:status', ok: true })).model, gen };
}

describe('conversation: the state machine', () => {
  it('c. asks for the socket on mode human + waiting, and sends only the join before the acknowledgement', () => {
    const { model, gen } = waiting();
    expect(model.conversation).to.equal('waiting');
    expect(model.connection).to.deep.equal({ state: 'connecting', attempt: 0 });
    const opened = drive(model, { type: 'socketOpen', gen }, { type: 'send', id: 'u2', text: 'early', now: T0 + 20 }, { type: 'typing', on: true });
    expect(sentFrames(opened.effects)).to.deep.equal([{ type: 'client:join', chatbotId: 'bot-1', sessionId: 's1', as: 'user', lang: 'en' }]);
    expect(opened.effects.some((e) => e.type === 'rest')).to.equal(false);
    const acked = drive(opened.model, frame(gen, { type: 'livechat:status', ok: true }));
    expect(sentFrames(acked.effects)).to.deep.equal([
      { type: 'client:message', chatbotId: 'bot-1', sessionId: 's1', sender: 'user', content: 'early', clientMessageId: 'u2', lang: 'en' },
    ]);
    expect(acked.model.connection).to.deep.equal({ state: 'joined' });
  });

  it('d. drops frames for another session, without one, and acknowledgements nobody asked for', () => {
    const { model, gen } = joinedLive();
    const now = new Date(T0).toISOString();
    const result = drive(
      model,
      frame(gen, { type: 'livechat:message', sessionId: 'other', id: 'x', sender: 'admin', content: 'x', createdAt: now }),
      frame(gen, { type: 'livechat:status', mode: 'bot', status: 'closed' }),
      frame(gen, { type: 'livechat:status', ok: true }),
      frame(gen, { type: 'livechat:error', code: 'c', message: 'm' }),
      frame(gen, { type: 'livechat:ended', sessionId: 'other' }),
      frame(gen + 1, { type: 'livechat:ended', sessionId: 's1' }),
    );
    expect(result.model).to.equal(model);
    expect(result.effects).to.deep.equal([]);
  });

  it('d. takes an acknowledgement that carries this session id as the join; one for another session is ignored', () => {
    const { model, gen } = waiting();
    const opened = drive(model, { type: 'socketOpen', gen }).model;
    expect(drive(opened, frame(gen, { type: 'livechat:status', ok: true, sessionId: 'other' })).model.connection.state).to.equal('connecting');
    expect(drive(opened, frame(gen, { type: 'livechat:status', ok: true, sessionId: 's1' })).model.connection).to.deep.equal({ state: 'joined' });
  });

  it('d. accepts a refusal of its pending join (no sessionId) as a typed error', () => {
    const { model, gen } = waiting();
    const result = drive(model, { type: 'socketOpen', gen }, frame(gen, { type: 'livechat:error', code: 'busy', message: 'Try later' }));
    expect(result.model.error).to.deep.equal({ code: 'live_chat_refused', message: 'Try later', serverCode: 'busy' });
  });

  it('a join refused for good (frame or close code 4404/4401) stops reconnecting and goes back to REST', () => {
    const { model, gen } = waiting();
    const typed = drive(model, { type: 'socketOpen', gen }, { type: 'send', id: 'u2', text: 'queued', now: T0 + 20 }).model;
    const unknown = drive(typed, frame(gen, { type: 'livechat:error', code: 'unknown_session', message: 'No such session' }));
    expect(unknown.model).to.include({ sessionId: null, conversation: 'new', socket: null });
    expect(unknown.model.connection).to.deep.equal({ state: 'idle' });
    expect(unknown.model.messages.at(-1)).to.include({ id: 'u2', delivery: 'failed' });
    expect(unknown.effects.map((e) => e.type)).to.include('close').and.not.include('timer');
    const closed = drive(typed, { type: 'socketClose', gen, now: T0, jitter: 0, code: 4401 });
    expect(closed.model).to.include({ sessionId: 's1', conversation: 'bot', socket: null });
    expect(closed.model.error).to.include({ serverCode: 'unauthorized' });
    expect(closed.effects.some((e) => e.type === 'timer')).to.equal(false);
    expect(drive(closed.model, { type: 'retry', id: 'u2' }).effects.some((e) => e.type === 'rest')).to.equal(true);
  });

  it('a history 404 naming an unknown session drops the session; a plain 404 error would not reach the reducer', () => {
    const model = asking(waiting().model);
    const error = { code: 'not_found' as const, message: 'Unknown or expired session.', status: 404, serverCode: 'unknown_session' };
    const result = drive(model, { type: 'historyFail', seq: seqOf(model), sessionId: 's1', error });
    expect(result.model).to.include({ sessionId: null, conversation: 'new', socket: null, error: null });
  });

  it('e. ended and status closed go back to bot with the same session; unconfirmed live messages fail, text kept', () => {
    const { model, gen } = joinedLive();
    const typed = drive(model, { type: 'send', id: 'u2', text: 'unanswered', now: T0 + 30 });
    const ended = drive(typed.model, frame(gen, { type: 'livechat:ended', sessionId: 's1', by: 'admin' }));
    expect(ended.model).to.include({ conversation: 'bot', sessionId: 's1', mode: 'bot', status: 'closed', ended: true });
    expect(ended.model.messages.at(-1)).to.include({ content: 'unanswered', delivery: 'failed' });
    // 1. The notice that follows the end (the hosted order) still lands on the socket, which
    // stays a moment; then it goes, and one history load catches anything it missed.
    expect(ended.effects).to.deep.include({ type: 'timer', name: 'linger', ms: 3000 });
    expect(ended.effects.map((e) => e.type)).to.not.include('close');
    const notice = drive(ended.model, frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'n1', sender: 'system', content: 'The chat with Ana has ended.', createdAt: iso(500) }));
    expect(notice.model.messages.find((m) => m.sender === 'system')).to.include({ content: 'The chat with Ana has ended.' });
    const left = drive(notice.model, { type: 'timer', name: 'linger' });
    expect(left.effects.map((e) => e.type)).to.include.members(['close', 'history']);
    expect(left.model).to.include({ socket: null, lingering: false });
    expect(left.model.connection).to.deep.equal({ state: 'idle' });
    const retried = drive(ended.model, { type: 'retry', id: 'u2' });
    expect(retried.effects.find((e) => e.type === 'rest')).to.deep.equal({ type: 'rest', id: 'u2', sessionId: 's1', body: { message: 'unanswered', chatbotId: 'bot-1' } });
    const closed = drive(model, frame(gen, { type: 'livechat:status', sessionId: 's1', mode: 'human', status: 'closed' }));
    expect(closed.model.conversation).to.equal('bot');
  });

  it('f. backs off exponentially with full jitter, capped, and starts over after a join', () => {
    let { model, gen } = joinedLive();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const closed = drive(model, { type: 'socketClose', gen, now: T0, jitter: 0.999 });
      const timer = closed.effects.find((e) => e.type === 'timer');
      expect(timer).to.include({ name: 'reconnect' });
      delays.push((timer as { ms: number }).ms);
      expect(closed.model.connection).to.deep.equal({ state: 'reconnecting', attempt: i + 1, retryAt: T0 + delays[i]! });
      model = drive(closed.model, { type: 'timer', name: 'reconnect' }).model;
      gen = model.socket!.gen;
      expect(model.connection).to.deep.equal({ state: 'connecting', attempt: i + 1 });
    }
    expect(delays).to.deep.equal([999, 1998, 3996, 7992, 15984, 29970, 29970, 29970]);
    expect(drive(model, { type: 'socketClose', gen, now: T0, jitter: 0 }).effects.find((e) => e.type === 'timer')).to.include({ ms: 0 });
    model = drive(model, { type: 'socketOpen', gen }, frame(gen, { type: 'livechat:status', ok: true })).model;
    const again = drive(model, { type: 'socketClose', gen, now: T0, jitter: 0.5 });
    expect(again.model.connection).to.deep.equal({ state: 'reconnecting', attempt: 1, retryAt: T0 + 500 });
  });

  it('f. after a rejoin resends the outbox with the same ids and reloads the history', () => {
    const { model, gen } = joinedLive();
    const typed = drive(model, { type: 'send', id: 'u2', text: 'before the drop', now: T0 + 30 });
    const lost = drive(typed.model, { type: 'socketClose', gen, now: T0, jitter: 0 }, { type: 'send', id: 'u3', text: 'while away', now: T0 + 40 });
    expect(sentFrames(lost.effects)).to.deep.equal([]);
    const back = drive(lost.model, { type: 'timer', name: 'reconnect' });
    const gen2 = back.model.socket!.gen;
    const rejoined = drive(back.model, { type: 'socketOpen', gen: gen2 }, frame(gen2, { type: 'livechat:status', ok: true }));
    const resent = sentFrames(rejoined.effects).filter((f) => f.type === 'client:message');
    expect(resent.map((f) => f.type === 'client:message' && f.clientMessageId)).to.deep.equal(['u2', 'u3']);
    expect(rejoined.effects).to.deep.include({ type: 'history', seq: seqOf(rejoined.model), sessionId: 's1' });
    const echoed = drive(rejoined.model, frame(gen2, { type: 'livechat:message', sessionId: 's1', id: 'srv-2', sender: 'user', content: 'before the drop', createdAt: new Date(T0 + 35).toISOString(), clientMessageId: 'u2' }));
    expect(echoed.model.messages.find((m) => m.id === 'u2')).to.include({ serverId: 'srv-2', delivery: 'sent' });
    expect(echoed.model.outbox).to.deep.equal(['u3']);
    expect(echoed.effects.filter((e) => e.type === 'emit' && e.event.type === 'message')).to.deep.equal([]);
  });

  it('an echo without clientMessageId confirms the oldest pending message, preferably with the same text', () => {
    const { model, gen } = joinedLive();
    const typed = drive(model, { type: 'send', id: 'u2', text: 'first', now: T0 + 30 }, { type: 'send', id: 'u3', text: 'second', now: T0 + 40 });
    const echo = (id: string, content: string) => frame(gen, { type: 'livechat:message', sessionId: 's1', id, sender: 'user', content, createdAt: new Date(T0 + 50).toISOString() });
    const second = drive(typed.model, echo('srv-3', 'second'));
    expect(second.model.messages.find((m) => m.id === 'u3')).to.include({ serverId: 'srv-3', delivery: 'sent' });
    expect(second.model.outbox).to.deep.equal(['u2']);
    const reworded = drive(second.model, echo('srv-2', 'first, as the server stored it'));
    expect(reworded.model.messages.find((m) => m.id === 'u2')).to.include({ serverId: 'srv-2', delivery: 'sent' });
    expect(reworded.model.outbox).to.deep.equal([]);
    expect(reworded.model.messages.filter((m) => m.sender === 'user')).to.have.length(3);
    expect(drive(reworded.model, echo('srv-4', 'from another tab')).model.messages.at(-1)).to.include({ id: 'srv-4', delivery: 'sent' });
  });

  it('a history or REST reply requested before a socket status change does not undo it', () => {
    let { model, gen } = joinedLive();
    model = drive(model, { type: 'socketClose', gen, now: T0, jitter: 0 }, { type: 'timer', name: 'reconnect' }).model;
    gen = model.socket!.gen;
    const rejoined = drive(model, { type: 'socketOpen', gen }, frame(gen, { type: 'livechat:status', ok: true }));
    expect(rejoined.effects).to.deep.include({ type: 'history', seq: seqOf(rejoined.model), sessionId: 's1' });
    const ended = drive(rejoined.model, frame(gen, { type: 'livechat:ended', sessionId: 's1', by: 'admin' }));
    const stale = drive(ended.model, { type: 'history', seq: seqOf(rejoined.model), sessionId: 's1', body: { mode: 'human', status: 'open', messages: [] } });
    expect(stale.model.conversation).to.equal('bot');
    expect(stale.effects.some((e) => e.type === 'open')).to.equal(false);

    const monitor = { ...config, monitor: true };
    let watching = update(initialModel(), { type: 'send', id: 'u1', text: 'hi', now: T0 }, monitor).model;
    watching = update(watching, { type: 'restOk', id: 'u1', sessionId: 's1', body: { reply: 'Hello', mode: 'bot' }, now: T0 }, monitor).model;
    const widget = watching.socket!.gen;
    watching = update(watching, { type: 'socketOpen', gen: widget }, monitor).model;
    watching = update(watching, frame(widget, { type: 'livechat:status', ok: true }), monitor).model;
    const asked = update(watching, { type: 'send', id: 'u2', text: 'more', now: T0 + 10 }, monitor).model;
    const takenOver = update(asked, frame(widget, { type: 'livechat:status', sessionId: 's1', mode: 'human', status: 'open' }), monitor).model;
    const reply = update(takenOver, { type: 'restOk', id: 'u2', sessionId: 's1', body: { reply: 'Bot says', mode: 'bot' }, now: T0 + 20 }, monitor);
    expect(reply.model.conversation).to.equal('live');
    expect(reply.model.messages.at(-1)).to.include({ content: 'Bot says' });
  });

  it("the agent's typing indicator goes off by itself when its stop frame is lost", () => {
    const { model, gen } = joinedLive();
    const typing = drive(model, frame(gen, { type: 'livechat:typing', sessionId: 's1', sender: 'admin', isTyping: true }));
    expect(typing.model.typing).to.equal(true);
    expect(typing.effects).to.deep.include({ type: 'timer', name: 'agentTyping', ms: 8000 });
    expect(drive(typing.model, { type: 'timer', name: 'agentTyping' }).model.typing).to.equal(false);
  });

  it('a REST reply with a new session id moves the watching socket to the new session', () => {
    const monitor = { ...config, monitor: true };
    let model = update(initialModel(), { type: 'send', id: 'u1', text: 'hi', now: T0 }, monitor).model;
    model = update(model, { type: 'restOk', id: 'u1', sessionId: 's1', body: { reply: 'Hello' }, now: T0 }, monitor).model;
    const old = model.socket!.gen;
    model = update(model, { type: 'socketOpen', gen: old }, monitor).model;
    model = update(model, frame(old, { type: 'livechat:status', ok: true }), monitor).model;
    model = update(model, { type: 'send', id: 'u2', text: 'later', now: T0 + 10 }, monitor).model;
    const renewed = update(model, { type: 'restOk', id: 'u2', sessionId: 's2', body: { reply: 'Hello again' }, now: T0 + 20 }, monitor);
    expect(renewed.effects.map((e) => e.type)).to.include.members(['close', 'open']);
    const gen = renewed.model.socket!.gen;
    expect(gen).to.not.equal(old);
    const join = update(renewed.model, { type: 'socketOpen', gen }, monitor);
    expect(sentFrames(join.effects)).to.deep.equal([{ type: 'client:join', chatbotId: 'bot-1', sessionId: 's2', as: 'widget', lang: 'en' }]);
  });

  it('6. a missing echo reconnects and resends with the same id; a second one in a row fails with Retry; a refusal fails at once', () => {
    const { model, gen } = joinedLive();
    const sent = drive(model, { type: 'send', id: 'u2', text: 'hello?', now: T0 + 30 });
    expect(sent.effects).to.deep.include({ type: 'timer', name: 'delivery', ms: 15_000 });
    const late = drive(sent.model, { type: 'timer', name: 'delivery', now: T0 + 15_030, jitter: 0.5 });
    // Most likely a dead connection: it is closed and reconnected, the message still on its way.
    expect(late.effects.map((e) => e.type)).to.include('close');
    expect(late.model.connection).to.include({ state: 'reconnecting', attempt: 1 });
    expect(late.model.messages.at(-1)).to.include({ id: 'u2', delivery: 'sending' });
    expect(late.model.outbox).to.deep.equal(['u2']);
    const back = drive(late.model, { type: 'timer', name: 'reconnect' });
    const gen2 = back.model.socket!.gen;
    const rejoined = drive(back.model, { type: 'socketOpen', gen: gen2 }, frame(gen2, { type: 'livechat:status', ok: true }));
    expect(sentFrames(rejoined.effects).filter((f) => f.type === 'client:message').map((f) => f.type === 'client:message' && f.clientMessageId)).to.deep.equal(['u2']);
    const again = drive(rejoined.model, { type: 'timer', name: 'delivery', now: T0 + 40_000, jitter: 0.5 });
    expect(again.model.messages.at(-1)).to.include({ id: 'u2', delivery: 'failed' });
    expect(again.model.outbox).to.deep.equal([]);
    const retried = drive(again.model, { type: 'retry', id: 'u2' });
    expect(sentFrames(retried.effects).filter((f) => f.type === 'client:message')).to.have.length(1);
    // An echo in between starts the count again.
    const echoed = drive(rejoined.model, frame(gen2, { type: 'livechat:message', sessionId: 's1', id: 'srv', sender: 'user', content: 'hello?', createdAt: iso(100), clientMessageId: 'u2' }));
    const next = drive(echoed.model, { type: 'send', id: 'u3', text: 'more', now: T0 + 200 }, { type: 'timer', name: 'delivery', now: T0 + 20_000, jitter: 0 });
    expect(next.model.messages.at(-1)).to.include({ id: 'u3', delivery: 'sending' });

    const refused = drive(sent.model, frame(gen, { type: 'livechat:error', sessionId: 's1', code: 'rate_limited', message: 'Too many frames' }));
    expect(refused.model.messages.at(-1)).to.include({ id: 'u2', delivery: 'failed' });
    expect(refused.model.messages.at(-1)!.error).to.include({ serverCode: 'rate_limited' });
    expect(refused.model.connection).to.deep.equal({ state: 'joined' });
  });

  it('1. while the socket lingers after the end, the bot conversation\'s own messages come over REST only, once', () => {
    const { model, gen } = joinedLive();
    const ended = drive(model, frame(gen, { type: 'livechat:ended', sessionId: 's1', by: 'admin' }));
    const asked = drive(ended.model, { type: 'send', id: 'u5', text: 'back to the bot', now: T0 + 600 });
    const relayed = drive(
      asked.model,
      frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'srv-u5', sender: 'user', content: 'back to the bot', createdAt: iso(601) }),
      frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'b5', sender: 'bot', content: 'Sure', createdAt: iso(602) }),
      { type: 'restOk', id: 'u5', sessionId: 's1', body: { reply: 'Sure', messageId: 'b5', mode: 'bot', status: 'closed' }, now: T0 + 603 },
    );
    expect(relayed.model.messages.filter((m) => m.content === 'back to the bot')).to.have.length(1);
    expect(relayed.model.messages.filter((m) => m.content === 'Sure')).to.have.length(1);
    expect(relayed.model.ended).to.equal(false);
  });

  it('6. the echo deadline runs from the oldest unconfirmed send: writing on does not push it back', () => {
    const { model } = joinedLive();
    const first = drive(model, { type: 'send', id: 'u2', text: 'one', now: T0 + 10 });
    expect(first.effects).to.deep.include({ type: 'timer', name: 'delivery', ms: 15_000 });
    const more = drive(first.model, { type: 'send', id: 'u3', text: 'two', now: T0 + 5000 }, { type: 'send', id: 'u4', text: 'three', now: T0 + 10_000 });
    expect(more.effects.filter((e) => e.type === 'timer' && e.name === 'delivery')).to.deep.equal([]);
    expect(sentFrames(more.effects)).to.have.length(2);
  });

  it('6. a socket whose join goes unanswered for 10 s is taken for dead and replaced', () => {
    const { model, gen } = waiting();
    const opened = drive(model, { type: 'socketOpen', gen });
    expect(opened.effects).to.deep.include({ type: 'timer', name: 'join', ms: 10_000 });
    const silent = drive(opened.model, { type: 'timer', name: 'join', now: T0 + 10_000, jitter: 0 });
    expect(silent.effects.map((e) => e.type)).to.include('close');
    expect(silent.model.connection).to.include({ state: 'reconnecting' });
    const acked = drive(opened.model, frame(gen, { type: 'livechat:status', ok: true }));
    expect(acked.effects).to.deep.include({ type: 'cancel', name: 'join' });
    expect(drive(acked.model, { type: 'timer', name: 'join', now: T0, jitter: 0 }).model).to.equal(acked.model);
  });

  it('a session found gone (404) is dropped before the next queued send leaves: it starts a new one', () => {
    const bot = drive(initialModel(), { type: 'send', id: 'u1', text: 'hi', now: T0 });
    const known = drive(bot.model, { type: 'restOk', id: 'u1', sessionId: 's1', body: { reply: 'Hello' }, now: T0 + 1 }).model;
    const queued = drive(known, { type: 'send', id: 'u2', text: 'b', now: T0 + 2 }, { type: 'send', id: 'u3', text: 'c', now: T0 + 3 }).model;
    const error = { code: 'not_found' as const, message: 'Unknown or expired session.', status: 404, serverCode: 'unknown_session' };
    const gone = drive(queued, { type: 'restFail', id: 'u2', error });
    expect(gone.effects.find((e) => e.type === 'rest')).to.deep.include({ id: 'u3', sessionId: null });
    expect(gone.model.sessionId).to.equal(null);
  });

  it('13. a 404 to a first message names the chatbot: a configuration error and a warning', () => {
    const sent = drive(initialModel(), { type: 'send', id: 'u1', text: 'hi', now: T0 });
    const failed = drive(sent.model, { type: 'restFail', id: 'u1', error: { code: 'not_found', message: 'The chat service answered HTTP 404.', status: 404 } });
    expect(failed.model.error).to.include({ code: 'configuration' });
    expect(failed.effects.some((e) => e.type === 'warn')).to.equal(true);
  });

  it('1. an agent\'s goodbye on the lingering socket is shown, and does not reopen the chat', () => {
    const { model, gen } = joinedLive();
    const ended = drive(model, frame(gen, { type: 'livechat:ended', sessionId: 's1', by: 'admin' }), frame(gen, { type: 'livechat:status', sessionId: 's1', mode: 'bot', status: 'closed' }));
    const bye = drive(ended.model, frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'bye', sender: 'admin', content: 'Bye!', createdAt: iso(700) }));
    expect(bye.model).to.include({ conversation: 'bot', ended: true, lingering: true });
    expect(bye.model.messages.at(-1)).to.include({ content: 'Bye!' });
    expect(drive(bye.model, { type: 'send', id: 'u9', text: 'thanks', now: T0 + 800 }).effects.some((e) => e.type === 'rest')).to.equal(true);
  });

  it('1. a new session during the linger ends it: no stale timer closes the new session\'s socket', () => {
    const monitor = { ...config, monitor: true };
    const { model, gen } = joinedLive();
    const ended = update(model, frame(gen, { type: 'livechat:ended', sessionId: 's1', by: 'admin' }), monitor).model;
    const asked = update(ended, { type: 'send', id: 'u9', text: 'new', now: T0 + 800 }, monitor).model;
    const renewed = update(asked, { type: 'restOk', id: 'u9', sessionId: 's2', body: { reply: 'Hi' }, now: T0 + 900 }, monitor);
    expect(renewed.model).to.include({ lingering: false, sessionId: 's2' });
    expect(renewed.effects).to.deep.include({ type: 'cancel', name: 'linger' });
    expect(renewed.model.socket).to.include({ role: 'widget', sessionId: 's2' });
  });

  it('4. whatever the wire accepted survives a reload: odd times, long ids', () => {
    const { model, gen } = joinedLive();
    const odd = drive(
      model,
      frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'x'.repeat(2000), sender: 'admin', content: 'long id', createdAt: iso(50) }),
      frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'epoch', sender: 'admin', content: 'epoch time', createdAt: '1767261600000' }),
    ).model;
    const reloaded = restore(JSON.parse(serialise(odd)));
    expect(reloaded.messages.map((m) => m.content).sort()).to.deep.equal(odd.messages.map((m) => m.content).sort());
  });

  it('a watching widget socket back from an outage loads the history: a takeover it missed shows', () => {
    const monitor = { ...config, monitor: true };
    let model = update(initialModel(), { type: 'send', id: 'u1', text: 'hi', now: T0 }, monitor).model;
    model = update(model, { type: 'restOk', id: 'u1', sessionId: 's1', body: { reply: 'Hello', mode: 'bot' }, now: T0 }, monitor).model;
    const gen = model.socket!.gen;
    model = update(model, { type: 'socketOpen', gen }, monitor).model;
    model = update(model, frame(gen, { type: 'livechat:status', ok: true }), monitor).model;
    model = update(model, { type: 'socketClose', gen, now: T0, jitter: 0 }, monitor).model;
    model = update(model, { type: 'timer', name: 'reconnect' }, monitor).model;
    const gen2 = model.socket!.gen;
    model = update(model, { type: 'socketOpen', gen: gen2 }, monitor).model;
    const back = update(model, frame(gen2, { type: 'livechat:status', ok: true }), monitor);
    expect(back.effects).to.deep.include({ type: 'history', seq: seqOf(back.model), sessionId: 's1' });
    const told = update(back.model, { type: 'history', seq: seqOf(back.model), sessionId: 's1', body: { mode: 'human', status: 'open', agent: { name: 'Ana' }, messages: [] } }, monitor);
    expect(told.model).to.include({ conversation: 'live' });
    expect(told.model.socket).to.include({ role: 'user' });
  });

  it('5. a failed history load is asked again with growing delays, capped at 30 s, until one succeeds', () => {
    let model = asking(joinedLive().model);
    const error = { code: 'server_error' as const, message: 'HTTP 503', status: 503 };
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const failed = drive(model, { type: 'historyFail', seq: seqOf(model), sessionId: 's1', error, jitter: 1 });
      const timer = failed.effects.find((e) => e.type === 'timer' && e.name === 'history') as { ms: number };
      delays.push(timer.ms);
      const again = drive(failed.model, { type: 'timer', name: 'history' });
      expect(again.effects).to.deep.include({ type: 'history', seq: seqOf(again.model), sessionId: 's1' });
      model = again.model;
    }
    expect(delays).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    const done = drive(model, { type: 'history', seq: seqOf(model), sessionId: 's1', body: { mode: 'human', status: 'waiting', messages: opening } });
    expect(done.model).to.include({ historyAttempt: 0, error: null, history: null });
    // A stale answer (an older request's) changes nothing.
    expect(drive(done.model, { type: 'history', seq: 1, sessionId: 's1', body: { mode: 'bot', messages: [] } }).model).to.equal(done.model);
  });

  it('6. heartbeat: pings only where the join offered it, and a ping unanswered by the next beat reconnects', () => {
    const { model: waited, gen } = waiting();
    const plain = drive(waited, { type: 'socketOpen', gen }, frame(gen, { type: 'livechat:status', ok: true }));
    expect(plain.effects.some((e) => e.type === 'timer' && e.name === 'heartbeat')).to.equal(false);
    const offered = drive(waited, { type: 'socketOpen', gen }, frame(gen, { type: 'livechat:status', ok: true, heartbeatMs: 10_000 }));
    expect(offered.effects).to.deep.include({ type: 'timer', name: 'heartbeat', ms: 10_000 });
    const beat = drive(offered.model, { type: 'timer', name: 'heartbeat', now: T0, jitter: 0 });
    expect(sentFrames(beat.effects)).to.deep.equal([{ type: 'client:ping' }]);
    // Anything received proves the connection: the next beat pings again.
    const answered = drive(beat.model, frame(gen, { type: 'livechat:pong' }), { type: 'timer', name: 'heartbeat', now: T0, jitter: 0 });
    expect(sentFrames(answered.effects)).to.deep.equal([{ type: 'client:ping' }]);
    expect(answered.model.connection).to.deep.equal({ state: 'joined' });
    const silent = drive(beat.model, { type: 'timer', name: 'heartbeat', now: T0 + 20_000, jitter: 0.25 });
    expect(silent.effects.map((e) => e.type)).to.include('close');
    expect(silent.model.connection).to.deep.equal({ state: 'reconnecting', attempt: 1, retryAt: T0 + 20_250 });
    // A server offering an hour still gets a beat that notices a dead socket within 30 s.
    const lazy = drive(waited, { type: 'socketOpen', gen }, frame(gen, { type: 'livechat:status', ok: true, heartbeatMs: 3_600_000 }));
    const beatMs = (lazy.effects.find((e) => e.type === 'timer' && e.name === 'heartbeat') as { ms: number }).ms;
    expect(2 * beatMs).to.be.at.most(30_000);
  });

  it('endLiveChat() while reconnecting ends at once for the visitor and tells the server right after the next join', () => {
    const { model, gen } = joinedLive();
    const lost = drive(model, { type: 'socketClose', gen, now: T0, jitter: 0 }, { type: 'end' });
    expect(lost.model.conversation).to.equal('bot');
    expect(sentFrames(lost.effects)).to.deep.equal([]);
    const back = drive(lost.model, { type: 'timer', name: 'reconnect' });
    const gen2 = back.model.socket!.gen;
    const rejoined = drive(back.model, { type: 'socketOpen', gen: gen2 }, frame(gen2, { type: 'livechat:status', ok: true }));
    expect(sentFrames(rejoined.effects).map((f) => f.type)).to.deep.equal(['client:join', 'client:end']);
    expect(rejoined.model).to.include({ conversation: 'bot', ending: false, lingering: true });
    const left = drive(rejoined.model, { type: 'timer', name: 'linger' });
    expect(left.effects.map((e) => e.type)).to.include('close');
    expect(left.model).to.include({ socket: null });
  });

  it('reset() in live chat tells the server before closing', () => {
    const { model } = joinedLive();
    const reset = drive(model, { type: 'reset' });
    const types = reset.effects.map((e) => (e.type === 'frame' ? e.frame.type : e.type));
    expect(types.indexOf('client:end')).to.be.within(0, types.indexOf('close'));
  });

  it('offline closes the socket and waits; online connects at once', () => {
    const { model } = joinedLive();
    const offline = drive(model, { type: 'offline' });
    expect(offline.model.connection).to.deep.equal({ state: 'offline' });
    expect(offline.effects.map((e) => e.type)).to.include('close');
    const online = drive(offline.model, { type: 'online' });
    expect(online.model.connection.state).to.equal('connecting');
    expect(online.effects.map((e) => e.type)).to.include('open');
  });

  it('g. an invalid frame sets only the error', () => {
    const { model, gen } = joinedLive();
    const result = drive(model, { type: 'socketFrame', gen, parse: { kind: 'invalid', reason: 'not JSON' } });
    const { error, ...rest } = result.model;
    expect(error).to.include({ code: 'invalid_frame' });
    const { error: _before, ...restBefore } = model;
    expect(rest).to.deep.equal(restBefore);
    expect(drive(model, { type: 'socketFrame', gen, parse: { kind: 'ignored', type: 'livechat:new' } }).model).to.equal(model);
  });

  it('h. an invalid message changes nothing but the error and asks for nothing', () => {
    const result = drive(initialModel(), { type: 'send', id: 'u1', text: ' ', now: T0 });
    expect(result.model.messages).to.deep.equal([]);
    expect(result.effects.map((e) => e.type)).to.deep.equal(['emit']);
    expect(result.model.error?.code).to.equal('invalid_message');
  });

  it('setTyping: only while joined as the visitor, de-duplicated, re-armed, off before a message', () => {
    const { model } = joinedLive();
    const result = drive(model, { type: 'typing', on: true }, { type: 'typing', on: true }, { type: 'typing', on: false }, { type: 'typing', on: false });
    expect(sentFrames(result.effects).map((f) => f.type === 'client:typing' && f.isTyping)).to.deep.equal([true, false]);
    expect(result.effects.filter((e) => e.type === 'timer')).to.have.length(2);
    const timedOut = drive(model, { type: 'typing', on: true }, { type: 'timer', name: 'typing' });
    expect(sentFrames(timedOut.effects).map((f) => f.type === 'client:typing' && f.isTyping)).to.deep.equal([true, false]);
    expect(drive(initialModel(), { type: 'typing', on: true }).effects).to.deep.equal([]);
  });

  it('j. monitor: a widget socket in bot mode; the takeover swaps it for a visitor socket', () => {
    const monitor = { ...config, monitor: true };
    let model = update(initialModel(), { type: 'send', id: 'u1', text: 'hi', now: T0 }, monitor).model;
    model = update(model, { type: 'restOk', id: 'u1', sessionId: 's1', body: { reply: 'Hello', mode: 'bot' }, now: T0 }, monitor).model;
    expect(model.socket).to.include({ role: 'widget' });
    const gen = model.socket!.gen;
    model = update(model, { type: 'socketOpen', gen }, monitor).model;
    model = update(model, frame(gen, { type: 'livechat:status', ok: true }), monitor).model;
    const echo = update(model, frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'm', sender: 'user', content: 'hi', createdAt: new Date(T0).toISOString() }), monitor);
    expect(echo.model).to.equal(model);
    const takeover = update(model, frame(gen, { type: 'livechat:status', sessionId: 's1', mode: 'human', status: 'open', agent: { name: 'Ana' } }), monitor);
    expect(takeover.model).to.include({ conversation: 'live' });
    expect(takeover.model.socket).to.include({ role: 'user', joined: false });
    expect(takeover.effects.map((e) => e.type)).to.include.members(['close', 'open']);
  });
});

describe('conversation: messages', () => {
  const message = (id: string, createdAt: number, delivery?: ChatMessage['delivery']): ChatMessage => ({
    id, sender: 'user', content: id, html: false, sources: [], createdAt: new Date(createdAt).toISOString(), delivery,
  });

  it('orders by server time with messages still sending last, in the order typed', () => {
    const sorted = order([message('p1', T0 + 5, 'sending'), message('b', T0 + 2), message('a', T0 + 1), message('p2', T0, 'sending'), message('f', T0 + 3, 'failed')]);
    expect(sorted.map((m) => m.id)).to.deep.equal(['a', 'b', 'f', 'p1', 'p2']);
  });

  it('a device clock behind the server does not put new messages above older ones', () => {
    const { model, gen } = joinedLive();
    const serverTime = new Date(T0 + 3_600_000).toISOString();
    const agent = drive(model, frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'a1', sender: 'admin', content: 'from the future', createdAt: serverTime }));
    const typed = drive(agent.model, { type: 'send', id: 'u9', text: 'after', now: T0 + 100 });
    expect(typed.model.messages.at(-1)).to.include({ id: 'u9', createdAt: serverTime });
    const ended = drive(typed.model, frame(gen, { type: 'livechat:ended', sessionId: 's1' }), { type: 'send', id: 'u10', text: 'bot again', now: T0 + 200 });
    const answered = drive(ended.model, { type: 'restOk', id: 'u10', sessionId: null, body: { reply: 'Sure' }, now: T0 + 300 });
    expect(answered.model.messages.map((m) => m.content).slice(-3)).to.deep.equal(['after', 'bot again', 'Sure']);
  });

  it('merges the history by id and clientMessageId, keeping local ids and pending messages', () => {
    const { model } = joinedLive();
    const local = asking(drive(model, { type: 'send', id: 'u2', text: 'pending', now: T0 + 50 }, { type: 'send', id: 'u3', text: 'echoed', now: T0 + 60 }).model);
    const merged = drive(local, {
      type: 'history',
      seq: seqOf(local),
      sessionId: 's1',
      body: {
        mode: 'human',
        status: 'open',
        messages: [
          ...opening,
          { id: 'h3', sender: 'user', content: 'echoed', createdAt: iso(61), clientMessageId: 'u3' },
          { id: 'h4', sender: 'admin', content: 'Hi', createdAt: iso(70) },
        ],
      },
    });
    expect(merged.model.messages.map((m) => [m.id, m.delivery])).to.deep.equal([
      ['h1', 'sent'], ['h2', undefined], ['u3', 'sent'], ['h4', undefined], ['u2', 'sending'],
    ]);
    expect(merged.model.outbox).to.deep.equal(['u2']);
    expect(merged.model.conversation).to.equal('live');
  });

  it('keeps live messages that arrived after the history snapshot was taken', () => {
    const joined = joinedLive();
    const gen = joined.gen;
    const model = asking(joined.model);
    // The echo and an agent message arrive while the history request is in flight.
    const live = drive(
      model,
      { type: 'send', id: 'u2', text: 'hello Ana', now: T0 + 50 },
      frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'h3', sender: 'user', content: 'hello Ana', createdAt: iso(80), clientMessageId: 'u2' }),
      frame(gen, { type: 'livechat:message', sessionId: 's1', id: 'h4', sender: 'admin', content: 'Hi!', createdAt: iso(90) }),
    );
    const merged = drive(live.model, {
      type: 'history',
      seq: seqOf(model),
      sessionId: 's1',
      body: {
        mode: 'human',
        status: 'open',
        messages: [
          ...opening,
        ],
      },
    });
    expect(merged.model.messages.map((m) => [m.id, m.delivery])).to.deep.equal([
      ['h1', 'sent'], ['h2', undefined], ['u2', 'sent'], ['h4', undefined],
    ]);
  });

  it('keeps a REST send made while the history was in flight, and unchanged messages keep their object', () => {
    const bot = { id: 'b1', serverId: 'b1', sender: 'bot' as const, content: 'Hello', html: true, sources: [], createdAt: iso(1) };
    const asked = asking(restore({ sessionId: 's1', mode: 'bot', messages: [{ ...message('u1', T0, 'sent'), content: 'hi' }, bot] }));
    const sent = drive(asked, { type: 'send', id: 'u2', text: 'meanwhile', now: T0 + 100 });
    const answered = drive(sent.model, { type: 'restOk', id: 'u2', sessionId: 's1', body: { reply: 'Answer', messageId: 'b2' }, now: T0 + 200 });
    const merged = drive(answered.model, {
      type: 'history',
      seq: seqOf(asked),
      sessionId: 's1',
      body: { mode: 'bot', messages: [{ id: 'h1', sender: 'user', content: 'hi', createdAt: iso(0) }, { id: 'b1', sender: 'bot', content: 'Hello', createdAt: iso(1) }] },
    });
    expect(merged.model.messages.map((m) => [m.id, m.content])).to.deep.equal([['h1', 'hi'], ['b1', 'Hello'], ['u2', 'meanwhile'], ['b2', 'Answer']]);
    expect(merged.model.messages[1]).to.equal(asked.messages[1]);
    // The server took the send before its snapshot: its copy stands alone.
    const both = drive(answered.model, {
      type: 'history',
      seq: seqOf(asked),
      sessionId: 's1',
      body: { mode: 'bot', messages: [{ id: 'b1', sender: 'bot', content: 'Hello', createdAt: iso(1) }, { id: 'h2', sender: 'user', content: 'meanwhile', createdAt: iso(2) }, { id: 'b2', sender: 'bot', content: 'Answer', createdAt: iso(3) }] },
    });
    // 7. The history starts at b1: u1, older, is outside its window and stays.
    expect(both.model.messages.map((m) => m.id)).to.deep.equal(['u1', 'b1', 'h2', 'b2']);
  });

  it('drops a send failed with no answer only when the history has its text after the message shown before it', () => {
    const asked = asking(restore({
      sessionId: 's1',
      mode: 'bot',
      messages: [
        { ...message('u1', T0, 'sent'), content: 'yes' },
        { id: 'b1', serverId: 'b1', sender: 'bot', content: 'And the other one?', html: true, sources: [], createdAt: iso(1) },
        { ...message('u2', T0 + 2, 'sending'), content: 'yes' },
      ],
    }));
    const history = (...extra: { id: string; sender: 'user' | 'bot'; content: string; createdAt: string }[]): Input => ({
      type: 'history',
      seq: seqOf(asked),
      sessionId: 's1',
      body: { mode: 'bot', messages: [{ id: 'h1', sender: 'user', content: 'yes', createdAt: iso(0) }, { id: 'b1', sender: 'bot', content: 'And the other one?', createdAt: iso(1) }, ...extra] },
    });
    const lost = drive(asked, history());
    expect(lost.model.messages.map((m) => [m.id, m.delivery])).to.deep.equal([['h1', 'sent'], ['b1', undefined], ['u2', 'failed']]);
    const got = drive(asked, history({ id: 'h2', sender: 'user', content: 'yes', createdAt: iso(3) }, { id: 'b2', sender: 'bot', content: 'Done', createdAt: iso(4) }));
    expect(got.model.messages.map((m) => [m.id, m.delivery])).to.deep.equal([['h1', 'sent'], ['b1', undefined], ['h2', 'sent'], ['b2', undefined]]);
  });

  it('two sends cut off in the same moment: the one the history has goes, the other stays failed, whichever of them is shown first', () => {
    const bot = { id: 'b1', serverId: 'b1', sender: 'bot' as const, content: 'Echo: first', html: true, sources: [], createdAt: iso(1) };
    const inFlight = { ...message('u2', T0 + 2, 'failed'), content: 'in flight' };
    const neverLeft = { ...message('u3', T0 + 2, 'failed'), content: 'never left' };
    const history: Input = {
      type: 'history',
      seq: 1,
      sessionId: 's1',
      body: {
        mode: 'bot',
        messages: [
          { id: 'h1', sender: 'user', content: 'first', createdAt: iso(0) },
          { id: 'b1', sender: 'bot', content: 'Echo: first', createdAt: iso(1) },
          { id: 'h2', sender: 'user', content: 'in flight', createdAt: iso(3) },
          { id: 'b2', sender: 'bot', content: 'Echo: in flight', createdAt: iso(4) },
        ],
      },
    };
    for (const failed of [[inFlight, neverLeft], [neverLeft, inFlight]]) {
      const asked = asking(restore({ sessionId: 's1', mode: 'bot', messages: [{ ...message('u1', T0, 'sent'), content: 'first' }, bot, ...failed] }));
      const merged = drive(asked, { ...history, seq: seqOf(asked) } as Input);
      const shown = (content: string) => merged.model.messages.filter((m) => m.content === content).map((m) => [m.id, m.delivery]);
      expect(shown('in flight'), failed.map((m) => m.content).join(', ')).to.deep.equal([['h2', 'sent']]);
      expect(shown('never left')).to.deep.equal([['u3', 'failed']]);
    }
  });

  it('keeps the transcript ordered as messages, echoes and late arrivals come in, without re-sorting it all', () => {
    let { model, gen } = joinedLive();
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const pending: string[] = [];
    for (let step = 0; step < 400; step++) {
      const roll = random();
      let input: Input;
      if (roll < 0.3) {
        const id = `u${step}`;
        pending.push(id);
        input = { type: 'send', id, text: `visitor ${step}`, now: T0 + step * 10 };
      } else if (roll < 0.5 && pending.length > 0) {
        const id = pending.splice(Math.floor(random() * pending.length), 1)[0]!;
        const text = model.messages.find((m) => m.id === id)!.content;
        input = frame(gen, { type: 'livechat:message', sessionId: 's1', id: `e${step}`, sender: 'user', content: text, createdAt: iso(step * 10 + 5), clientMessageId: id });
      } else {
        // Agent messages, some arriving later than newer ones (jittered server times).
        input = frame(gen, { type: 'livechat:message', sessionId: 's1', id: `a${step}`, sender: 'admin', content: `agent ${step}`, createdAt: iso(step * 10 - Math.floor(random() * 60)) });
      }
      ({ model } = drive(model, input));
      expect(model.messages.map((m) => m.id), `after step ${step}`).to.deep.equal(order(model.messages).map((m) => m.id));
    }
    expect(model.messages.filter((m) => m.delivery === 'sending').map((m) => m.id)).to.deep.equal(pending);
  });

  it('restores: a REST message cut off is failed; live ones stay in the outbox', () => {
    const model = restore({
      sessionId: 's1', mode: 'human', status: 'open', outbox: ['l1'],
      messages: [message('r1', T0, 'sending'), message('l1', T0 + 1, 'sending')],
    });
    expect(model.messages.map((m) => [m.id, m.delivery])).to.deep.equal([['r1', 'failed'], ['l1', 'sending']]);
    expect(model.conversation).to.equal('live');
    expect(drive(model, { type: 'resume' }).effects).to.deep.include({ type: 'history', seq: 1, sessionId: 's1' });
  });

  it('restores a transcript without a session: a first message that never got an answer stays, failed', () => {
    const model = restore({ sessionId: null, outbox: ['r1'], messages: [message('r1', T0, 'sending')] });
    expect(model).to.include({ sessionId: null, conversation: 'new' });
    expect(model.outbox).to.deep.equal([]);
    expect(model.messages.map((m) => [m.id, m.delivery])).to.deep.equal([['r1', 'failed']]);
    expect(drive(model, { type: 'resume' }).effects).to.deep.equal([]);
  });

  it('11. the reducer routes a queued send at its turn: over the socket once live, nowhere after a reset', () => {
    const result = drive(
      initialModel(),
      { type: 'send', id: 'u0', text: 'human please', now: T0 },
      { type: 'send', id: 'u1', text: 'queued', now: T0 + 1 },
    );
    // One request at a time: the second waits for the first's session id.
    expect(result.effects.filter((e) => e.type === 'rest').map((e) => e.type === 'rest' && e.id)).to.deep.equal(['u0']);
    const live = drive(result.model, { type: 'restOk', id: 'u0', sessionId: 's1', body: { reply: 'Hold on', mode: 'human', status: 'waiting' }, now: T0 + 2 });
    expect(live.effects.filter((e) => e.type === 'rest')).to.deep.equal([]);
    expect(live.model).to.include({ typing: false });
    expect(live.model.outbox).to.deep.equal(['u1']);
    const reset = drive(result.model, { type: 'reset' });
    expect(drive(reset.model, { type: 'restOk', id: 'u0', sessionId: 's1', body: { reply: 'x' }, now: T0 }).model).to.equal(reset.model);
    const next = drive(result.model, { type: 'restOk', id: 'u0', sessionId: 's1', body: { reply: 'Hi' }, now: T0 + 2 });
    expect(next.effects.find((e) => e.type === 'rest')).to.deep.equal({ type: 'rest', id: 'u1', sessionId: 's1', body: { message: 'queued', chatbotId: 'bot-1' } });
  });

  it('ignores a REST answer for a conversation that was reset meanwhile', () => {
    const sent = drive(initialModel(), { type: 'send', id: 'u1', text: 'hi', now: T0 });
    const reset = drive(sent.model, { type: 'reset' });
    expect(reset.effects.map((e) => e.type)).to.include('forget');
    const late = drive(reset.model, { type: 'restOk', id: 'u1', sessionId: 's1', body: { reply: 'x' }, now: T0 });
    expect(late.model).to.equal(reset.model);
  });
});

describe('conversation: unread messages', () => {
  const say = (gen: number, id: string, sender: string, t: number) =>
    frame(gen, { type: 'livechat:message', sessionId: 's1', id, sender, content: `${sender} ${id}`, createdAt: iso(t) });

  it('counts bot, agent and system messages added while not being read; the visitor\'s own never', () => {
    const { model, gen } = joinedLive();
    expect(model.unread).to.equal(0);
    const away = drive(model, { type: 'reading', on: false }, say(gen, 'a1', 'admin', 100), say(gen, 'a2', 'system', 101), { type: 'send', id: 'u9', text: 'me', now: T0 + 102 });
    expect(away.model.unread).to.equal(2);
    expect(away.effects.some((e) => e.type === 'persist')).to.equal(true);
    // A bot reply over REST counts the same way.
    const bot = drive(initialModel(), { type: 'reading', on: false }, { type: 'send', id: 'u1', text: 'hi', now: T0 });
    expect(drive(bot.model, { type: 'restOk', id: 'u1', sessionId: 's1', body: { reply: 'Hello' }, now: T0 + 5 }).model.unread).to.equal(1);
  });

  it('reading again or markRead() clears the count; messages read as they arrive add nothing', () => {
    const { model, gen } = joinedLive();
    const away = drive(model, { type: 'reading', on: false }, say(gen, 'a1', 'admin', 100));
    expect(drive(away.model, { type: 'reading', on: true }).model.unread).to.equal(0);
    const marked = drive(away.model, { type: 'markRead' }, say(gen, 'a2', 'admin', 101));
    // Marked read but still not shown: the next one counts again.
    expect(marked.model.unread).to.equal(1);
    expect(drive(model, say(gen, 'a3', 'admin', 102)).model.unread).to.equal(0);
  });

  it('the count is stored with the conversation; an entry from before it loads as 0', () => {
    const { model, gen } = joinedLive();
    const away = drive(model, { type: 'reading', on: false }, say(gen, 'a1', 'admin', 100), say(gen, 'a2', 'admin', 101)).model;
    expect(restore(JSON.parse(serialise(away))).unread).to.equal(2);
    const stored = JSON.parse(serialise(away)) as Record<string, unknown>;
    delete stored['unread'];
    expect(restore(stored).unread).to.equal(0);
    expect(restore(stored).messages).to.have.length(away.messages.length);
    expect(restore({ ...stored, unread: -3 }).unread).to.equal(0);
  });
});

describe('conversation: unread messages from the history', () => {
  const history = (model: Model, messages: Record<string, unknown>[]) => {
    const asked = drive(model, { type: 'resume' }).model;
    return drive(asked, { type: 'history', seq: asked.history!.seq, sessionId: 's1', body: { messages, mode: 'human', status: 'open' } as never }).model;
  };
  const agentWrote = { id: 'a1', sender: 'admin', content: 'Still there?', createdAt: iso(50) };

  it('what the other side wrote while the page was closed counts when the history brings it; what was shown does not', () => {
    const { model } = waiting();
    const away = drive(model, { type: 'reading', on: false }).model;
    // "Hold on" was shown (under a local id, the server lists it under its own).
    expect(history(away, [...opening, agentWrote]).unread).to.equal(1);
    expect(history(model, [...opening, agentWrote]).unread).to.equal(0);
    expect(history(away, opening).unread).to.equal(0);
  });
});
