/** The REST endpoints [PROTOCOL §1]: POST /api/chat and GET /api/chat/history. */
import type { IncomingMessage } from 'node:http';
import { ChatRequest, describeIssue, SESSION_HEADER, type ChatResponse, type HistoryResponse } from '../src/core/protocol.ts';
import type { Clock } from './clock.ts';
import type { Conversations } from './conversations.ts';
import { HttpError, readJson } from './http.ts';
import { checkVisitor } from './identity.ts';
import type { Rate } from './rate-limit.ts';
import type { SessionRecord } from './store/records.ts';

export interface RestContext {
  conversations: Conversations;
  chatbotIds: ReadonlySet<string>;
  maxBodyBytes: number;
  /** Sessions stored at once: past this, new conversations are refused. */
  maxSessions: number;
  /** Visitor messages per session, shared with the socket and every instance. */
  sessionRate: Rate;
  clock: Clock;
  pageBase: (req: IncomingMessage) => string;
  /** [ext] Identities must come with `hash = HMAC-SHA256(identitySecret, id)` (server/identity.ts). */
  identitySecret?: string | undefined;
}

type Respond = (status: number, body: unknown, session?: SessionRecord) => void;

export async function postChat(req: IncomingMessage, respond: Respond, ctx: RestContext): Promise<void> {
  const parsed = ChatRequest.safeParse(await readJson(req, ctx.maxBodyBytes));
  if (!parsed.success) throw new HttpError(400, 'invalid_request', describeIssue(parsed.error));
  const { message, chatbotId, pageUrl } = parsed.data;
  // [ext] who the visitor is, when the host says so.
  const visitor = checkVisitor(parsed.data.visitor, ctx.identitySecret, (code, message) => new HttpError(403, code, message));
  knownChatbot(chatbotId, ctx);
  // An unknown or expired id starts a new conversation: the new id is in the response header.
  const session = (await ctx.conversations.get(sessionHeader(req), chatbotId)) ?? (await startSession(chatbotId, ctx));
  const taken = await ctx.conversations.store.take('session', session.id, ctx.sessionRate, ctx.clock.now());
  if (!taken.ok) throw rateLimited(taken.retryAfterMs, session);
  const pageChanged = pageUrl && pageUrl !== session.state.pageUrl;
  const visitorChanged = visitor && JSON.stringify(visitor) !== JSON.stringify(session.state.visitor);
  if (pageChanged || visitorChanged) await ctx.conversations.setMeta(session.id, { ...(pageChanged && { pageUrl }), ...(visitorChanged && { visitor }) });
  const said = await ctx.conversations.visitorSays(session, message, ctx.pageBase(req));
  const { state } = said.session;
  const body: ChatResponse = {
    // In live chat the agent answers over the socket: there is no reply to show here.
    reply: said.reply?.content ?? '',
    sources: said.reply?.sources ?? [],
    mode: state.mode,
    ...(state.status && { status: state.status }),
    ...(said.reply && { messageId: said.reply.id }),
  };
  respond(200, body, session);
}

export async function getHistory(req: IncomingMessage, url: URL, respond: Respond, ctx: RestContext): Promise<void> {
  const chatbotId = url.searchParams.get('chatbotId');
  if (!chatbotId) throw new HttpError(400, 'invalid_request', 'chatbotId: required');
  knownChatbot(chatbotId, ctx);
  const id = sessionHeader(req);
  if (!id) throw new HttpError(400, 'invalid_request', `${SESSION_HEADER}: required`);
  const session = await ctx.conversations.get(id, chatbotId);
  if (!session) throw new HttpError(404, 'unknown_session', 'Unknown or expired session.');
  const messages = await ctx.conversations.messages(session.id);
  // The state read after the messages: a takeover between the two reads shows its notice and its status.
  const { state } = (await ctx.conversations.get(id, chatbotId)) ?? session;
  const body: HistoryResponse = {
    messages,
    mode: state.mode,
    ...(state.status && { status: state.status }),
    agent: state.agent ?? null,
  };
  respond(200, body, session);
}

export function sessionHeader(req: IncomingMessage): string | undefined {
  const value = req.headers[SESSION_HEADER.toLowerCase()];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function rateLimited(retryAfterMs: number, session?: SessionRecord): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HttpError(429, 'rate_limited', `Too many requests: try again in ${seconds} s.`, {
    'Retry-After': String(seconds),
    ...(session && { [SESSION_HEADER]: session.id }),
  });
}

async function startSession(chatbotId: string, ctx: RestContext): Promise<SessionRecord> {
  if ((await ctx.conversations.store.count()) >= ctx.maxSessions) {
    throw new HttpError(503, 'server_busy', 'Too many conversations at the moment: try again in a minute.', { 'Retry-After': '60' });
  }
  return ctx.conversations.start(chatbotId);
}

function knownChatbot(chatbotId: string, ctx: RestContext): void {
  if (!ctx.chatbotIds.has(chatbotId)) throw new HttpError(404, 'unknown_chatbot', `Unknown chatbot "${chatbotId}".`);
}
