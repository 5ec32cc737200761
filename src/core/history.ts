/**
 * Loading the server's history: on start, after a rejoin, after a live chat ends. A load
 * that fails is retried with capped exponential backoff until one succeeds, so messages
 * from an outage never stay missing.
 */
import { applyStatus, fail, type Draft, type Effect } from './model.ts';
import type { HistoryResponse } from './protocol.ts';
import { mergeHistory } from './transcript.ts';
import type { ChatError, ChatMessage } from './types.ts';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/** Asks for the history; the request remembers the transcript and status count as they are now. */
export function requestHistory(m: Draft, fx: Effect[]): void {
  if (!m.sessionId) return;
  m.historySeq++;
  m.history = { seq: m.historySeq, asOf: m.messages, statusSeq: m.statusSeq };
  fx.push({ type: 'cancel', name: 'history' }, { type: 'history', seq: m.historySeq, sessionId: m.sessionId });
}

/** The answer to the latest request (an older one's is stale, and ignored): true when taken. */
export function onHistory(m: Draft, seq: number, sessionId: string, body: HistoryResponse | null): boolean {
  const request = m.history;
  if (request?.seq !== seq || sessionId !== m.sessionId) return false;
  m.history = null;
  m.historyAttempt = 0;
  if (!body) return true;
  if (m.error && retryable(m.error)) m.error = null;
  const before = m.messages;
  m.messages = mergeHistory(m.messages, body.messages, request.asOf);
  if (!m.reading) m.unread += unseen(before, m.messages);
  const outbox = m.outbox.filter((id) => m.messages.some((x) => x.id === id && x.delivery === 'sending'));
  // The history confirmed some: the connection is not the one failing to echo.
  if (outbox.length < m.outbox.length) m.strikes = 0;
  m.outbox = outbox;
  if (request.statusSeq === m.statusSeq) {
    m.agent = body.agent ?? m.agent;
    applyStatus(m, body.mode, body.status ?? null);
  }
  return true;
}

/** What the other side wrote that this transcript never showed (it came while the page
 * was closed, or the socket down). A local copy under another id (a REST reply the server
 * lists under its own) is the same message, not news. */
function unseen(before: readonly ChatMessage[], after: readonly ChatMessage[]): number {
  const known = (x: ChatMessage) => before.some((b) => b.id === x.id || (!!b.serverId && b.serverId === x.serverId) || (b.sender === x.sender && b.content === x.content));
  return after.filter((x) => x.sender !== 'user' && !known(x)).length;
}

/** Retryable failures come back after a backoff. A 404 that reaches here names an unknown
 * session (rest.ts): not an error to show, the caller drops the session. */
export function onHistoryFail(m: Draft, fx: Effect[], seq: number, sessionId: string, error: ChatError, jitter: number): boolean {
  if (m.history?.seq !== seq || sessionId !== m.sessionId) return false;
  m.history = null;
  if (error.status === 404) return true;
  fail(m, fx, error);
  if (!retryable(error)) return true;
  const attempt = m.historyAttempt + 1;
  m.historyAttempt = attempt;
  // Full jitter, never below a tenth of the step: a retry storm after an outage is spread out.
  const step = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
  // A server that said when to come back is taken at its word.
  const asked = (error.retryAfter ?? 0) * 1000;
  fx.push({ type: 'timer', name: 'history', ms: Math.max(asked, Math.floor(step * (0.1 + 0.9 * jitter))) });
  return true;
}

/** Worth asking again: the network, the server's trouble, a rate limit, a garbled answer. */
function retryable(error: ChatError): boolean {
  return error.code === 'network' || error.code === 'server_error' || error.code === 'rate_limited' || error.code === 'invalid_response';
}
