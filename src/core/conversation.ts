/**
 * The conversation as a pure function: `update(model, input, config) → { model, effects }`.
 *
 * Nothing here touches the network, timers, storage or the clock: the runner in client.ts
 * carries out the effects and feeds their outcomes back as inputs (with the time and a
 * jitter draw), so every rule of the protocol can be tested by calling `update`. This file
 * only dispatches; each concern has its module: transcript.ts (ordering, merging),
 * socket.ts (the socket's lifecycle, the outbox), rest-sends.ts, history.ts, typing.ts,
 * frames.ts (what the socket brings), persisted.ts (the stored shape). What needs a socket
 * is the live part (live.ts, socket-base.ts): before it is loaded, an input that needs it
 * leaves the model as it was, with one `load` effect, and the runner gives the input again
 * once the part is there.
 */
import { MAX_MESSAGE_LENGTH, isValidMessageText } from './protocol.ts';
import { conversationOf, fail, initialModel, isLive, type Config, type Draft, type Effect, type Input, type Model } from './model.ts';
import { onHistory, onHistoryFail, requestHistory } from './history.ts';
import { deliver, failQueued, restFail, restOk } from './rest-sends.ts';
import { NEEDS_LIVE, closeSocket, dropSocket, forgetSession, live, sendEnd, sync } from './socket-base.ts';
import { add, patch, stamp } from './transcript.ts';
import type { ChatMessage } from './types.ts';

export { initialModel, conversationOf, type Config, type Effect, type Input, type Model } from './model.ts';
export type { TimerName } from './model.ts';
export { order } from './transcript.ts';
export { restore } from './persisted.ts';

const persistedKeys: ReadonlySet<keyof Model> = new Set(['sessionId', 'mode', 'status', 'agent', 'messages', 'outbox', 'unread']);

export function update(model: Model, input: Input, config: Config): { model: Model; effects: Effect[] } {
  try {
    return apply(model, input, config);
  } catch (error) {
    if (error === NEEDS_LIVE) return { model, effects: [{ type: 'load', part: 'live' }] };
    throw error;
  }
}

function apply(model: Model, input: Input, config: Config): { model: Model; effects: Effect[] } {
  const draft: Draft = { ...model };
  const effects: Effect[] = [];
  step(draft, input, config, effects);
  draft.typing = draft.restInFlight !== null || draft.restQueue.length > 0 || draft.agentTyping;
  draft.conversation = conversationOf(draft);
  // "Chat ended" shows from the moment a live chat ends until the visitor writes again.
  const wasLive = isLive(model);
  const wrote = (input.type === 'send' || input.type === 'retry' || input.type === 'sendFile') && draft.messages !== model.messages;
  // [ext] Files waiting for a live chat that is over cannot go any more.
  if (!isLive(draft) && (draft.uploads.length || draft.uploading)) live(config).failUploads(draft, effects, { code: 'connection', message: 'The live chat ended before this file was sent.' });
  if (isLive(draft) || wrote || !draft.sessionId) draft.ended = false;
  else if (wasLive && draft.sessionId === model.sessionId) draft.ended = true;
  const changed = (Object.keys(draft) as (keyof Model)[]).filter((key) => draft[key] !== model[key]);
  if (changed.length === 0) return { model, effects };
  if (changed.some((key) => persistedKeys.has(key)) && input.type !== 'reset') effects.push({ type: 'persist' });
  return { model: draft, effects };
}

function step(m: Draft, input: Input, config: Config, fx: Effect[]): void {
  switch (input.type) {
    case 'send': {
      // An integrator's script may pass anything: it gets the same typed refusal as blank text.
      const text = typeof input.text === 'string' ? input.text.trim() : '';
      if (!isValidMessageText(text)) {
        fail(m, fx, { code: 'invalid_message', message: `A message must be 1 to ${MAX_MESSAGE_LENGTH} characters long.` });
        return;
      }
      const message: ChatMessage = {
        id: input.id,
        clientMessageId: input.id,
        sender: 'user',
        content: text,
        html: false,
        sources: [],
        createdAt: stamp(m, input.now),
        delivery: 'sending',
      };
      add(m, fx, message);
      return deliver(m, fx, config, message);
    }
    case 'retry': {
      const message = m.messages.find((x) => x.id === input.id && x.delivery === 'failed');
      if (!message) return;
      if (message.upload && live(config).retryFiles(m, fx, config, message)) return;
      const again = { ...message, delivery: 'sending' as const, error: undefined };
      patch(m, again);
      return deliver(m, fx, config, again);
    }
    case 'restOk':
      if (restOk(m, fx, config, input.id, input.sessionId, input.body, input.now)) sync(m, fx, config);
      return;
    case 'restFail':
      restFail(m, fx, config, input.id, input.error);
      return;
    case 'resume':
      return requestHistory(m, fx);
    case 'history':
      if (onHistory(m, input.seq, input.sessionId, input.body)) sync(m, fx, config);
      return;
    case 'historyFail':
      if (!onHistoryFail(m, fx, input.seq, input.sessionId, input.error, input.jitter ?? 0.5)) return;
      // A history 404 that fails names an unknown session (rest.ts): it expired meanwhile.
      if (input.error.status === 404) return forgetSession(m, fx, config);
      return sync(m, fx, config);
    case 'socketOpen':
      return live(config).onOpen(m, fx, config, input.gen);
    case 'socketFrame':
      if (m.socket?.gen === input.gen) live(config).onFrame(m, fx, config, input.parse);
      return;
    case 'socketClose':
      if (m.socket?.gen === input.gen) live(config).onClose(m, fx, config, input.now, input.jitter, input.code);
      return;
    case 'timer':
      switch (input.name) {
        case 'agentTyping':
          m.agentTyping = false;
          return;
        case 'typing':
          return stopTypingIfSent(m, fx, config);
        case 'history':
          return requestHistory(m, fx);
        default:
          return live(config).onTimer(m, fx, config, input.name, input.now ?? 0, input.jitter ?? 0);
      }
    case 'online':
      // Without a socket or files waiting, there is nothing for the live part to do.
      if (!m.socket && !m.uploads.length) return void (m.online = true);
      live(config).goOnline(m, fx, config);
      return live(config).pump(m, fx, config);
    case 'sendFile':
      return live(config).sendFiles(m, fx, config, input);
    case 'uploadProgress':
      return live(config).uploadProgress(m, input.id, input.fraction);
    case 'uploadOk':
      return live(config).uploadOk(m, fx, config, input.id, input.file);
    case 'uploadFail':
      return live(config).uploadFail(m, fx, config, input.id, input.error);
    case 'cancelUpload':
      if (m.messages.some((x) => x.id === input.id && x.upload)) live(config).cancelFiles(m, fx, config, input.id);
      return;
    case 'offline':
      if (!m.socket) return void (m.online = false);
      return live(config).goOffline(m, fx, config);
    case 'typing':
      // Typing is told only on a joined socket, which only the live part opens.
      if (input.on ? m.socket?.joined : m.typingSent) live(config)[input.on ? 'startTyping' : 'stopTyping'](m, fx, config);
      return;
    case 'end':
      if (!isLive(m)) return;
      live(config).endLive(m, fx, config);
      return sync(m, fx, config);
    case 'reset':
      // The server must not keep the visitor waiting for an agent.
      if (m.socket?.joined && m.socket.role === 'user' && isLive(m)) sendEnd(m, fx, config);
      closeSocket(m, fx);
      fx.push({ type: 'cancel', name: 'typing' }, { type: 'cancel', name: 'linger' }, { type: 'cancel', name: 'history' }, { type: 'forget' });
      Object.assign(m, initialModel(), { gen: m.gen, online: m.online, historySeq: m.historySeq, reading: m.reading });
      return;
    case 'reading':
      m.reading = input.on;
      if (input.on) m.unread = 0;
      return;
    case 'markRead':
      m.unread = 0;
      return;
    case 'part':
      if (input.error) fail(m, fx, input.error);
      else if (m.error?.serverCode === 'part_unavailable') m.error = null;
      return;
    case 'suspend':
      // Sends waiting their turn can't leave any more; the one on the wire fails when its
      // request is aborted. The conversation stays, for `start()` to pick up.
      failQueued(m, { code: 'network', message: 'The chat was closed before this message left.' });
      m.lingering = false;
      m.history = null;
      return dropSocket(m, fx);
  }
}

function stopTypingIfSent(m: Draft, fx: Effect[], config: Config): void {
  if (m.typingSent) live(config).stopTyping(m, fx, config);
}
