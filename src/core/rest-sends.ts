/**
 * The visitor's messages over REST: one request at a time, in the order typed, so each
 * carries the session id its predecessor got (two first messages start one session). At
 * its turn a queued message goes where the conversation is then: REST, or the live chat's
 * outbox if the conversation moved there meanwhile.
 */
import { applyStatus, fail, isLive, type Config, type Draft, type Effect } from './model.ts';
import type { ChatResponse } from './protocol.ts';
import { dropSocket, forgetSession, live } from './socket-base.ts';
import { add, patch, stamp } from './transcript.ts';
import type { ChatError, ChatMessage } from './types.ts';
import { visitorField } from './visitor.ts';

/** Sends a visitor's message over the channel the conversation is in. */
export function deliver(m: Draft, fx: Effect[], config: Config, message: ChatMessage): void {
  if (isLive(m)) return live(config).queueLive(m, fx, config, message);
  m.restQueue = [...m.restQueue, message.id];
  next(m, fx, config);
}

/** Starts the next queued REST send when none is on the wire. */
function next(m: Draft, fx: Effect[], config: Config): void {
  while (!m.restInFlight && m.restQueue.length) {
    const [id, ...rest] = m.restQueue;
    m.restQueue = rest;
    const message = m.messages.find((x) => x.id === id && x.delivery === 'sending');
    if (!message) continue;
    if (isLive(m)) {
      live(config).queueLive(m, fx, config, message);
      continue;
    }
    m.restInFlight = { id: message.id, statusSeq: m.statusSeq };
    const pageUrl = config.pageUrl ? { pageUrl: config.pageUrl } : {};
    fx.push({ type: 'rest', id: message.id, sessionId: m.sessionId, body: { message: message.content, chatbotId: config.chatbotId, ...pageUrl, ...visitorField(config.visitor) } });
  }
}

/** The bot answered. Returns false for an answer nobody waits for (reset meanwhile). */
export function restOk(m: Draft, fx: Effect[], config: Config, id: string, sessionId: string | null, body: ChatResponse, now: number): boolean {
  const request = m.restInFlight;
  const message = m.messages.find((x) => x.id === id);
  if (request?.id !== id || !message) return false;
  m.restInFlight = null;
  if (sessionId && sessionId !== m.sessionId) {
    // A new session (the server let the old one go): a socket joined to the old one must go.
    dropSocket(m, fx);
    m.sessionId = sessionId;
  }
  m.error = null;
  patch(m, { ...message, delivery: 'sent' });
  if (body.reply.trim()) {
    add(m, fx, {
      id: body.messageId ?? `${id}:reply`,
      serverId: body.messageId ?? undefined,
      sender: 'bot',
      content: body.reply,
      html: true,
      sources: body.sources ?? [],
      createdAt: stamp(m, now),
    });
  }
  // A socket event since the request left is newer news than this answer.
  if (request.statusSeq === m.statusSeq) applyStatus(m, body.mode ?? 'bot', body.status ?? null);
  next(m, fx, config);
  return true;
}

export function restFail(m: Draft, fx: Effect[], config: Config, id: string, error: ChatError): ChatError | null {
  const message = m.messages.find((x) => x.id === id);
  if (m.restInFlight?.id !== id || !message) return null;
  m.restInFlight = null;
  // A 404 to a first message can only mean the chatbot: there is no session to be unknown.
  const known = error.status === 404 && !m.sessionId && !error.serverCode ? { ...error, serverCode: 'unknown_chatbot' } : error;
  const shown = fail(m, fx, known);
  patch(m, { ...message, delivery: 'failed', error: shown });
  // The session is gone: the next send must not carry its id.
  if (shown.status === 404 && m.sessionId) forgetSession(m, fx, config);
  next(m, fx, config);
  return shown;
}

/** Sends that can no longer leave (the client is put away): they fail, their text kept. */
export function failQueued(m: Draft, error: ChatError): void {
  const queued = new Set(m.restQueue);
  m.restQueue = [];
  for (const message of m.messages) if (queued.has(message.id)) patch(m, { ...message, delivery: 'failed', error });
}
