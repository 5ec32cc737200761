/**
 * The REST transport: `POST /api/chat` and `GET /api/chat/history`. Every answer is parsed
 * with its schema; every failure becomes a typed ChatError, never a throw.
 */
import { CHAT_PATH, ChatResponse, ErrorBody, HISTORY_PATH, SESSION_HEADER, describeIssue, endpointUrl, parseHistory } from './protocol.ts';
import type { HistoryResponse } from './protocol.ts';
import type { ChatRequest } from './protocol.ts';
import type { ChatError, ChatErrorCode } from './types.ts';

export type RestResult<T> =
  | { ok: true; body: T; sessionId: string | null }
  | { ok: false; error: ChatError };

type Fetch = typeof fetch;

/** [doc] The body carries exactly message, chatbotId and pageUrl; the session goes in a header. */
export function postChat(fetchFn: Fetch, baseUrl: string, body: ChatRequest, sessionId: string | null, signal?: AbortSignal): Promise<RestResult<ChatResponse>> {
  return request(fetchFn, endpointUrl(baseUrl, CHAT_PATH), ChatResponse, sessionId, {
    method: 'POST',
    body: JSON.stringify(body),
    signal,
  });
}

/** [ext] A 404 means the server has no history to offer (`body: null`), unless its body
 * says the session or chatbot is unknown: that stays an error, the session is gone. */
export async function getHistory(
  fetchFn: Fetch,
  baseUrl: string,
  chatbotId: string,
  sessionId: string,
  signal?: AbortSignal,
): Promise<RestResult<HistoryResponse | null>> {
  const url = endpointUrl(baseUrl, HISTORY_PATH);
  url.searchParams.set('chatbotId', chatbotId);
  const result = await request(fetchFn, url, { safeParse: parseHistory }, sessionId, { method: 'GET', signal });
  return !result.ok && result.error.status === 404 && !gone(result.error) ? { ok: true, body: null, sessionId: null } : result;
}

interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: Parameters<typeof describeIssue>[0] };
}

async function request<T>(
  fetchFn: Fetch,
  url: URL,
  schema: Schema<T>,
  sessionId: string | null,
  init: { method: string; body?: string; signal?: AbortSignal | undefined },
): Promise<RestResult<T>> {
  const headers: Record<string, string> = init.body ? { 'Content-Type': 'application/json' } : {};
  if (sessionId) headers[SESSION_HEADER] = sessionId;
  let response: Response;
  let text: string;
  try {
    response = await fetchFn(url.toString(), { ...init, headers });
    text = await response.text();
  } catch (cause) {
    return failure('network', `The chat service could not be reached (${(cause as Error)?.message ?? cause}).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) return { ok: false, error: httpError(response.status, response.headers.get('Retry-After'), data) };
  if (data === undefined) return failure('invalid_response', 'The chat service answered with no JSON.', response.status);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return failure('invalid_response', `The chat service sent an invalid answer (${describeIssue(parsed.error)}).`, response.status);
  }
  return { ok: true, body: parsed.data, sessionId: response.headers.get(SESSION_HEADER) || null };
}

/** The chat error for an HTTP status the service answered. */
export const HTTP_CODES: Readonly<Record<number, ChatErrorCode>> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/** A refusal as a typed error: the service's own message and code where its body has them,
 * `Retry-After` for a rate limit. `codes` maps the statuses the caller knows of. */
export function httpError(status: number, retryAfterHeader: string | null, data: unknown, codes: Readonly<Record<number, ChatErrorCode>> = HTTP_CODES): ChatError {
  const code = codes[status] ?? 'server_error';
  const body = ErrorBody.safeParse(data);
  const retryAfter = Number.parseInt(retryAfterHeader ?? '', 10);
  return {
    code,
    status,
    message: body.success ? body.data.error.message : `The chat service answered HTTP ${status}.`,
    serverCode: body.success ? body.data.error.code : undefined,
    retryAfter: code === 'rate_limited' && retryAfter >= 0 ? retryAfter : undefined,
  };
}

/** The server does not know the session (expired, restarted) or the chatbot. */
export const gone = (error: ChatError): boolean => /^unknown_(session|chatbot)$/.test(error.serverCode ?? '');

export function failure(code: ChatErrorCode, message: string, status?: number): { ok: false; error: ChatError } {
  return { ok: false, error: { code, message, status } };
}
