/**
 * The conversation as a pure function: `update(model, input, config) → { model, effects }`.
 *
 * Nothing here touches the network, timers, storage or the clock: the runner in client.ts
 * carries out the effects and feeds their outcomes back as inputs (with the time and a
 * jitter draw), so every rule of the protocol can be tested by calling `update`. This file
 * only dispatches; each concern has its module: transcript.ts (ordering, merging),
 * socket.ts (the socket's lifecycle, the outbox), rest-sends.ts, history.ts, typing.ts,
 * frames.ts (what the socket brings), persisted.ts (the stored shape).
 */
import { MAX_MESSAGE_LENGTH, isValidMessageText } from './protocol.ts';
import { conversationOf, fail, initialModel, isLive, type Config, type Draft, type Effect, type Input, type Model } from './model.ts';
import { onFrame } from './frames.ts';
import { onHistory, onHistoryFail, requestHistory } from './history.ts';
import { deliver, failQueued, restFail, restOk } from './rest-sends.ts';
import { closeSocket, dropSocket, endLive, forgetSession, goOffline, goOnline, onClose, onOpen, onTimer, sendEnd, sync } from './socket.ts';
import { add, patch, stamp } from './transcript.ts';
import { startTyping, stopTyping } from './typing.ts';
import { cancelFiles, failUploads, pump, retryFiles, sendFiles, uploadFail, uploadOk, uploadProgress } from './file-sends.ts';
import type { ChatMessage } from './types.ts';

export { initialModel, conversationOf, type Config, type Effect, type Input, type Model } from './model.ts';
export type { TimerName } from './model.ts';
export { order } from './transcript.ts';
export { restore } from './persisted.ts';

const persistedKeys: ReadonlySet<keyof Model> = new Set(['sessionId', 'mode', 'status', 'agent', 'messages', 'outbox', 'unread']);

export function update(model: Model, input: Input, config: Config): { model: Model; effects: Effect[] } {
  const draft: Draft = { ...model };
  const effects: Effect[] = [];
  step(draft, input, config, effects);
  draft.typing = draft.restInFlight !== null || draft.restQueue.length > 0 || draft.agentTyping;
  draft.conversation = conversationOf(draft);
  // "Chat ended" shows from the moment a live chat ends until the visitor writes again.
  const wasLive = isLive(model);
  const wrote = (input.type === 'send' || input.type === 'retry' || input.type === 'sendFile') && draft.messages !== model.messages;
  // [ext] Files waiting for a live chat that is over cannot go any more.
  if (!isLive(draft) && (draft.uploads.length || draft.uploading)) failUploads(draft, effects, { code: 'connection', message: 'The live chat ended before this file was sent.' });
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
      if (retryFiles(m, fx, config, message)) return;
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
      return onOpen(m, fx, config, input.gen);
    case 'socketFrame':
      if (m.socket?.gen === input.gen) onFrame(m, fx, config, input.parse);
      return;
    case 'socketClose':
      if (m.socket?.gen === input.gen) onClose(m, fx, config, input.now, input.jitter, input.code);
      return;
    case 'timer':
      switch (input.name) {
        case 'agentTyping':
          m.agentTyping = false;
          return;
        case 'typing':
          return stopTyping(m, fx, config);
        case 'history':
          return requestHistory(m, fx);
        default:
          return onTimer(m, fx, config, input.name, input.now ?? 0, input.jitter ?? 0);
      }
    case 'online':
      goOnline(m, fx, config);
      return pump(m, fx, config);
    case 'sendFile':
      return sendFiles(m, fx, config, input);
    case 'uploadProgress':
      return uploadProgress(m, input.id, input.fraction);
    case 'uploadOk':
      return uploadOk(m, fx, config, input.id, input.file);
    case 'uploadFail':
      return uploadFail(m, fx, config, input.id, input.error);
    case 'cancelUpload':
      cancelFiles(m, fx, config, input.id);
      return;
    case 'offline':
      return goOffline(m, fx, config);
    case 'typing':
      if (input.on) startTyping(m, fx, config);
      else stopTyping(m, fx, config);
      return;
    case 'end':
      if (!isLive(m)) return;
      endLive(m, fx, config);
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
    case 'suspend':
      // Sends waiting their turn can't leave any more; the one on the wire fails when its
      // request is aborted. The conversation stays, for `start()` to pick up.
      failQueued(m, { code: 'network', message: 'The chat was closed before this message left.' });
      m.lingering = false;
      m.history = null;
      return dropSocket(m, fx);
  }
}
