/** The REST endpoints [PROTOCOL §1]: POST /api/chat and GET /api/chat/history. */
import type { IncomingMessage } from 'node:http';
import { ChatRequest, describeIssue, SESSION_HEADER, type ChatResponse, type HistoryResponse } from '../src/core/protocol.ts';
import type { Conversations } from './conversations.ts';
import { HttpError, readJson } from './http.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { Session } from './sessions.ts';

export interface RestContext {
  conversations: Conversations;
  chatbotIds: ReadonlySet<string>;
  maxBodyBytes: number;
  /** Sessions held in memory at once: past this, new conversations are refused. */
  maxSessions: number;
  sessionLimiter: RateLimiter;
  pageBase: (req: IncomingMessage) => string;
}

type Respond = (status: number, body: unknown, session?: Session) => void;

export async function postChat(req: IncomingMessage, respond: Respond, ctx: RestContext): Promise<void> {
  const parsed = ChatRequest.safeParse(await readJson(req, ctx.maxBodyBytes));
  if (!parsed.success) throw new HttpError(400, 'invalid_request', describeIssue(parsed.error));
  const { message, chatbotId, pageUrl } = parsed.data;
  knownChatbot(chatbotId, ctx);
  // An unknown or expired id starts a new conversation: the new id is in the response header.
  const session = ctx.conversations.store.get(sessionHeader(req), chatbotId) ?? startSession(chatbotId, ctx);
  const taken = ctx.sessionLimiter.take(session.id);
  if (!taken.ok) throw rateLimited(taken.retryAfterMs, session);
  if (pageUrl && pageUrl !== session.pageUrl) ctx.conversations.setPage(session, pageUrl);
  const said = ctx.conversations.visitorSays(session, message, ctx.pageBase(req));
  const body: ChatResponse = {
    // In live chat the agent answers over the socket: there is no reply to show here.
    reply: said.reply?.content ?? '',
    sources: said.reply?.sources ?? [],
    mode: session.mode,
    ...(session.status && { status: session.status }),
    ...(said.reply && { messageId: said.reply.id }),
  };
  respond(200, body, session);
}

export function getHistory(req: IncomingMessage, url: URL, respond: Respond, ctx: RestContext): void {
  const chatbotId = url.searchParams.get('chatbotId');
  if (!chatbotId) throw new HttpError(400, 'invalid_request', 'chatbotId: required');
  knownChatbot(chatbotId, ctx);
  const id = sessionHeader(req);
  if (!id) throw new HttpError(400, 'invalid_request', `${SESSION_HEADER}: required`);
  const session = ctx.conversations.store.get(id, chatbotId);
  if (!session) throw new HttpError(404, 'unknown_session', 'Unknown or expired session.');
  const body: HistoryResponse = {
    messages: session.messages,
    mode: session.mode,
    ...(session.status && { status: session.status }),
    agent: session.agent ?? null,
  };
  respond(200, body, session);
}

export function sessionHeader(req: IncomingMessage): string | undefined {
  const value = req.headers[SESSION_HEADER.toLowerCase()];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function rateLimited(retryAfterMs: number, session?: Session): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HttpError(429, 'rate_limited', `Too many requests: try again in ${seconds} s.`, {
    'Retry-After': String(seconds),
    ...(session && { [SESSION_HEADER]: session.id }),
  });
}

function startSession(chatbotId: string, ctx: RestContext): Session {
  if (ctx.conversations.store.size >= ctx.maxSessions) {
    throw new HttpError(503, 'server_busy', 'Too many conversations at the moment: try again in a minute.', { 'Retry-After': '60' });
  }
  return ctx.conversations.start(chatbotId);
}

function knownChatbot(chatbotId: string, ctx: RestContext): void {
  if (!ctx.chatbotIds.has(chatbotId)) throw new HttpError(404, 'unknown_chatbot', `Unknown chatbot "${chatbotId}".`);
}
