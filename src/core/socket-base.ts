/**
 * What every conversation needs of the socket's lifecycle, socket or not: letting one go,
 * failing the outbox, forgetting a session. The rest (joining, reconnecting, frames, typing,
 * files) is the live part (live.ts), which only visitors in or near a live chat load: a
 * step that needs it and finds it missing throws `NEEDS_LIVE`, and `update` then asks the
 * runner to load it and hands the input back, unapplied.
 */
import { backToBot, isLive, type Config, type Draft, type Effect } from './model.ts';
import type { LivePart } from './live.ts';
import { order } from './transcript.ts';
import type { ChatError } from './types.ts';

/** Thrown by a step that needs the live part before it is loaded. */
export const NEEDS_LIVE: unique symbol = Symbol('webchat-agent: the live part is needed');

/** The live part, or a throw of NEEDS_LIVE. */
export function live(config: Config): LivePart {
  if (!config.live) throw NEEDS_LIVE;
  return config.live;
}

/** Opens, swaps or closes the socket so it matches the conversation. Without a socket to
 * keep or to open, this is what the live part's `sync` does too, so the part is not needed. */
export function sync(m: Draft, fx: Effect[], config: Config): void {
  if (config.live || m.socket || m.lingering || m.ending || isLive(m) || (config.monitor && m.sessionId)) return live(config).sync(m, fx, config);
  failOutbox(m, { code: 'connection', message: 'The live chat ended before delivery.' });
  m.reload = false;
  dropSocket(m, fx);
}

export function failOutbox(m: Draft, error: ChatError): void {
  m.strikes = 0;
  m.echoDue = false;
  if (m.outbox.length === 0) return;
  m.messages = order(m.messages.map((x) => (m.outbox.includes(x.id) ? { ...x, delivery: 'failed', error } : x)));
  m.outbox = [];
}

export function sendEnd(m: Draft, fx: Effect[], config: Config): void {
  fx.push({ type: 'frame', frame: { type: 'client:end', chatbotId: config.chatbotId, sessionId: m.sessionId!, sender: 'user' } });
}

export function dropSocket(m: Draft, fx: Effect[]): void {
  if (m.socket) closeSocket(m, fx);
  if (m.lingering) fx.push({ type: 'cancel', name: 'linger' });
  m.lingering = false;
  m.socket = null;
  m.connection = { state: 'idle' };
  m.attempt = 0;
}

export function closeSocket(m: Draft, fx: Effect[]): void {
  m.typingSent = false;
  m.agentTyping = false;
  m.pingOut = false;
  m.echoDue = false;
  fx.push(
    { type: 'cancel', name: 'reconnect' }, { type: 'cancel', name: 'delivery' }, { type: 'cancel', name: 'heartbeat' }, { type: 'cancel', name: 'join' },
    { type: 'close' },
  );
}

/** The server no longer knows the session (expired, server restarted): the next message
 * starts a new one instead of failing forever. The transcript stays. */
export function forgetSession(m: Draft, fx: Effect[], config: Config): void {
  m.sessionId = null;
  m.ending = false;
  dropSocket(m, fx);
  backToBot(m);
  m.status = null;
  sync(m, fx, config);
}
