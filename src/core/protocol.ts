/**
 * The WebChatAgent wire protocol: every REST body and WebSocket frame, described once.
 *
 * The client and the reference server both parse with these schemas, so the two
 * implementations cannot drift. Rules marked [doc] come from the hosted service's
 * documentation; [ext] marks this project's extensions (see docs/PROTOCOL.md).
 *
 * Tolerance: objects are "loose" (extra fields pass through and are ignored), fields the
 * hosted service may leave out or send as null are `nullish`, unknown source types are
 * kept as opaque sources, and unknown frame types are reported as `ignored`, not errors.
 *
 * Every schema is built when first used (lazy-schema.ts): evaluating this module, which
 * every page with the script tag does at start-up, builds none.
 */
import * as z from 'zod/mini';
import { built, lazy, lazySchema } from './lazy-schema.ts';

// A strict Content-Security-Policy forbids `new Function`; zod would otherwise probe for it.
z.config({ jitless: true });

/** [doc] A message is 1..700 characters after trimming. */
export const MAX_MESSAGE_LENGTH = 700;

/** [doc] The phrase the client sends to ask for a human [ext: the mechanism]. */
export const DEFAULT_HUMAN_REQUEST = 'I would like to talk to a human';

export const SESSION_HEADER = 'X-Chat-Session-Id';
export const CHAT_PATH = '/api/chat';
export const HISTORY_PATH = '/api/chat/history';
export const LIVECHAT_PATH = '/api/livechat';
/** [ext] Uploads (`POST`) and, below it, the files themselves (`GET`). */
export const FILES_PATH = '/api/chat/files';

/** Whether a text is a valid message: the one rule both sides enforce. */
export function isValidMessageText(text: string): boolean {
  const length = text.trim().length;
  return length >= 1 && length <= MAX_MESSAGE_LENGTH;
}

/**
 * Bounds on what the other side sends: no text field longer than MAX_FIELD_LENGTH, and
 * sources and agents no deeper than MAX_DEPTH nor larger than MAX_SOURCE_SIZE. A body or
 * frame past them is invalid as a whole: deep structures would overflow the stack of
 * whatever walks them later (rendering, storage), and nothing legitimate is that big.
 */
export const MAX_FIELD_LENGTH = 64 * 1024;
export const MAX_DEPTH = 8;
export const MAX_SOURCE_SIZE = 16 * 1024;

/** Whether a JSON value nests at most `maxDepth` levels below it and holds at most about
 * `maxSize` characters. It stops at the first excess: a hostile value costs no more than the
 * bound, and the keys of the objects it reads (a value's wide object, like its parse, costs
 * its width). Recursive, a frame per level: `maxDepth` stays well under the stack's depth (a
 * few thousand). A stack of [value, depth] tuples took twice as long, cold, over a restored
 * conversation's sources. */
export function withinBounds(value: unknown, maxDepth = MAX_DEPTH, maxSize = MAX_SOURCE_SIZE): boolean {
  let size = 0;
  const fits = (item: unknown, depth: number): boolean => {
    if (typeof item === 'string') size += item.length;
    else if (item !== null && typeof item === 'object') {
      if (depth >= maxDepth) return false;
      for (const key in item) {
        if (!Object.hasOwn(item, key)) continue;
        size += key.length + 1;
        if (size > maxSize || !fits((item as Record<string, unknown>)[key], depth + 1)) return false;
      }
    } else size += 4;
    return size <= maxSize;
  };
  return fits(value, 0);
}

const tooDeep = `nested deeper than ${MAX_DEPTH} levels or larger than ${MAX_SOURCE_SIZE} characters`;
/** A string of at most `max` characters (and at least `min`). A refinement rather than
 * zod's length checks: those cost more bytes than the whole rule. */
export const bounded = (max: number, min = 0) =>
  z.string().check(z.refine((value) => value.length >= min && value.length <= max, `must be ${min} to ${max} characters`));
const text = /* @__PURE__ */ lazy(() => bounded(MAX_FIELD_LENGTH));

const messageText = /* @__PURE__ */ lazy(() =>
  z.string().check(z.refine(isValidMessageText, `must be 1..${MAX_MESSAGE_LENGTH} characters after trimming`)),
);
const nonEmpty = /* @__PURE__ */ lazy(() => bounded(MAX_FIELD_LENGTH, 1));

export const Mode = /* @__PURE__ */ lazySchema(() => z.enum(['bot', 'human']));
export type Mode = z.infer<typeof Mode>;

export const LiveStatus = /* @__PURE__ */ lazySchema(() => z.enum(['waiting', 'open', 'closed']));
export type LiveStatus = z.infer<typeof LiveStatus>;

export const Sender = /* @__PURE__ */ lazySchema(() => z.enum(['user', 'bot', 'admin', 'system']));
export type Sender = z.infer<typeof Sender>;

/** Who may write over the socket. */
export const LiveSender = /* @__PURE__ */ lazySchema(() => z.enum(['user', 'admin']));
export type LiveSender = z.infer<typeof LiveSender>;

export const JoinRole = /* @__PURE__ */ lazySchema(() => z.enum(['user', 'admin', 'widget']));
export type JoinRole = z.infer<typeof JoinRole>;

/** [doc] The one rule for live chat: a human is asked for (waiting) or answering (open).
 * The client, the element, the reference server and the agent console all use it. */
export function isLiveChat(mode: Mode | null | undefined, status: LiveStatus | null | undefined): boolean {
  return mode === 'human' && (status === 'waiting' || status === 'open');
}

export const Agent = /* @__PURE__ */ lazySchema(() => z.looseObject({ name: text() }).check(z.refine((agent) => withinBounds(agent), tooDeep)));
export type Agent = z.infer<typeof Agent>;

// ---------------------------------------------------------------------------------------
// Sources [doc]: web pages and products; any other type is kept opaque, not rejected.

/**
 * One tolerant schema for every source: `web` ({ source: url, title? [ext] }), `product`
 * ({ source: id, data? }) and any type a newer service sends. Renderers check `type`.
 */
export const Source = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: text(),
  source: z.optional(z.unknown()),
  /** [ext] a web page's title, shown instead of its address when present. */
  title: z.nullish(text()),
  data: z.nullish(z.looseObject({})),
}).check(z.refine((source) => withinBounds(source), tooDeep)));
export type Source = z.infer<typeof Source>;
/** The two source types the hosted service documents, for code that builds them. */
export type WebSource = Source & { type: 'web'; source: string };
export type ProductSource = Source & { type: 'product'; source: string | number };

// ---------------------------------------------------------------------------------------
// Files [ext]: the hosted service documents none; a server without them never advertises them.

/** [ext] Attachments on one message, at most: a bound on the wire, whatever a server allows. */
export const MAX_ATTACHMENTS = 10;

const count = /* @__PURE__ */ lazy(() => z.number().check(z.refine((n) => Number.isInteger(n) && n >= 0, 'a whole number')));

/** [ext] A stored file, as the upload answers it and messages carry it. `url` fetches it;
 * `type` is the server's finding from the content, not what the uploader said. */
export const FileRef = /* @__PURE__ */ lazySchema(() => z.looseObject({
  id: bounded(128, 1),
  name: bounded(255, 1),
  type: bounded(255, 1),
  size: count(),
  url: bounded(2048, 1),
}));
export type FileRef = z.infer<typeof FileRef>;

/** [ext] What a server accepts, on the join acknowledgement: no `files`, no attach button. */
export const FileLimits = /* @__PURE__ */ lazySchema(() => z.looseObject({
  /** Bytes per file. */
  maxBytes: count(),
  maxPerMessage: count(),
  /** Files one session may upload, in all. */
  maxPerSession: count(),
  /** Media types accepted, as the server finds them in the content. */
  types: z.array(bounded(255)),
}));
export type FileLimits = z.infer<typeof FileLimits>;

const attachments = /* @__PURE__ */ lazy(() =>
  z.nullish(z.array(built(FileRef)).check(z.refine((list) => list.length <= MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} attachments`))),
);

/** A message's text is valid, or it is blank and carries files [ext]. */
export function isValidMessage(content: string, files = 0): boolean {
  return isValidMessageText(content) || (files > 0 && content.trim().length === 0);
}

// ---------------------------------------------------------------------------------------
// REST [doc]

/**
 * [ext] Who the visitor is, when the host page knows (`client:meta` and the REST body).
 * `hash`: HMAC-SHA256 of `id` under a secret the host's own backend shares with the server,
 * in hex; a server holding the secret accepts an identity only with it.
 */
const visitorAttributes = /* @__PURE__ */ lazy(() =>
  z.record(bounded(100, 1), z.union([bounded(1000), z.number(), z.boolean()])).check(
    z.refine((value) => Object.keys(value).length <= 50, 'at most 50 attributes'),
  ),
);
// Only servers parse it (the client sends what the host gave): unused, it is left out of the
// script-tag bundle with everything only it builds.
export const Visitor = /* @__PURE__ */ lazySchema(() => z.object({
  id: z.optional(bounded(200, 1)),
  name: z.optional(bounded(200, 1)),
  email: z.optional(bounded(320, 1)),
  attributes: z.optional(visitorAttributes()),
  hash: z.optional(bounded(128, 1)),
}));
export type Visitor = z.infer<typeof Visitor>;

export const ChatRequest = /* @__PURE__ */ lazySchema(() => z.object({
  message: messageText(),
  chatbotId: nonEmpty(),
  pageUrl: z.optional(text()),
  /** [ext] who the visitor is. */
  visitor: z.optional(built(Visitor)),
}));
export type ChatRequest = z.infer<typeof ChatRequest>;

export const ChatResponse = /* @__PURE__ */ lazySchema(() => z.looseObject({
  /** May contain HTML [doc]: render only after sanitising. */
  reply: text(),
  sources: z.nullish(z.array(built(Source))),
  /** [doc] always sent; tolerated when missing (treated as "bot"). */
  mode: z.nullish(built(Mode)),
  /** [doc] present only when live chat is enabled. */
  status: z.nullish(built(LiveStatus)),
  /** [ext] the server's id of the reply. */
  messageId: z.nullish(text()),
}));
export type ChatResponse = z.infer<typeof ChatResponse>;

/** [ext] The JSON error body; the hosted service documents only the 403. */
export const ErrorBody = /* @__PURE__ */ lazySchema(() => z.looseObject({
  error: z.looseObject({ code: text(), message: text() }),
}));
export type ErrorBody = z.infer<typeof ErrorBody>;

/** [ext] One message of `GET /api/chat/history`. */
export const HistoryMessage = /* @__PURE__ */ lazySchema(() => z.looseObject({
  id: nonEmpty(),
  sender: built(Sender),
  content: text(),
  createdAt: text(),
  sources: z.nullish(z.array(built(Source))),
  clientMessageId: z.nullish(text()),
  agent: z.nullish(built(Agent)),
  /** [ext] files sent with the message. */
  attachments: attachments(),
  /** [ext] The text as written, when `content` is its translation into the visitor's language. */
  originalContent: z.nullish(text()),
}));
export type HistoryMessage = z.infer<typeof HistoryMessage>;

export const HistoryResponse = /* @__PURE__ */ lazySchema(() => z.looseObject({
  messages: z.array(built(HistoryMessage)),
  mode: built(Mode),
  status: z.nullish(built(LiveStatus)),
  agent: z.nullish(built(Agent)),
}));
export type HistoryResponse = z.infer<typeof HistoryResponse>;

const HistoryEnvelope = /* @__PURE__ */ lazySchema(() => z.looseObject({
  messages: z.array(z.unknown()),
  mode: built(Mode),
  status: z.nullish(built(LiveStatus)),
  agent: z.nullish(built(Agent)),
}));

/** [ext] A history body, checked entry by entry: one message past its schema (a source too
 * deep, a wrong type) is dropped alone, and the rest of the window still lands. */
export function parseHistory(data: unknown): ReturnType<typeof HistoryResponse.safeParse> {
  const envelope = HistoryEnvelope.safeParse(data);
  if (!envelope.success) return envelope as ReturnType<typeof HistoryResponse.safeParse>;
  const messages: HistoryMessage[] = [];
  for (const entry of envelope.data.messages) {
    const parsed = HistoryMessage.safeParse(entry);
    if (parsed.success) messages.push(parsed.data);
  }
  return { success: true, data: { ...envelope.data, messages } } as ReturnType<typeof HistoryResponse.safeParse>;
}

// ---------------------------------------------------------------------------------------
// WebSocket: client → server

const addressed = () => ({ chatbotId: nonEmpty(), sessionId: nonEmpty() });

export const ClientJoin = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('client:join'),
  ...addressed(),
  as: built(JoinRole),
  lang: z.optional(text()),
  translateEnabled: z.optional(z.boolean()),
  retranslateBacklog: z.optional(z.boolean()),
  /** [ext] required for `as: "admin"` on the reference server. */
  token: z.optional(text()),
}));
export const ClientMessage = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('client:message'),
  ...addressed(),
  sender: built(LiveSender),
  content: bounded(MAX_FIELD_LENGTH),
  lang: z.optional(text()),
  /** [ext] The text as written, when `content` is its translation (a translating agent console). */
  originalContent: z.optional(text()),
  /** [ext] makes a resend idempotent. */
  clientMessageId: z.optional(nonEmpty()),
  /** [ext] files uploaded to this session, by reference; then `content` may be blank. */
  attachments: z.optional(attachments()),
}).check(
  z.refine((m) => isValidMessage(m.content, m.attachments?.length), {
    message: `must be 1..${MAX_MESSAGE_LENGTH} characters after trimming`,
    path: ['content'],
  }),
));
export const ClientTyping = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('client:typing'),
  ...addressed(),
  sender: built(LiveSender),
  isTyping: z.boolean(),
}));
export const ClientMeta = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('client:meta'),
  ...addressed(),
  pageUrl: text(),
  pageTitle: z.optional(text()),
  /** [ext] who the visitor is. */
  visitor: z.optional(built(Visitor)),
}));
export const ClientEnd = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('client:end'),
  ...addressed(),
  sender: z.optional(built(LiveSender)),
}));
/** [ext] An agent takes a waiting session over (admin sockets only). */
export const ClientTakeover = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('client:takeover'),
  ...addressed(),
  agent: z.optional(built(Agent)),
}));
/** [ext] An agent console asks for the live list of sessions (`livechat:sessions`). */
export const ClientWatch = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('client:watch'),
  token: text(),
  chatbotId: z.optional(nonEmpty()),
}));

/** [ext] Heartbeat: a client asks whether the connection still carries frames. Sent only to a
 * server whose join acknowledgement offered `heartbeatMs`; answered with `livechat:pong`. */
export const ClientPing = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('client:ping'),
  /** Echoed back in the pong, so an answer can be matched to its ping. */
  id: z.optional(bounded(64)),
}));

/** Each client frame's schema by its `type`: the parser dispatches on `type` itself. */
const CLIENT_FRAMES = {
  'client:join': ClientJoin,
  'client:message': ClientMessage,
  'client:typing': ClientTyping,
  'client:meta': ClientMeta,
  'client:end': ClientEnd,
  'client:takeover': ClientTakeover,
  'client:watch': ClientWatch,
  'client:ping': ClientPing,
};
export type ClientJoin = z.infer<typeof ClientJoin>;
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientTyping = z.infer<typeof ClientTyping>;
export type ClientMeta = z.infer<typeof ClientMeta>;
export type ClientEnd = z.infer<typeof ClientEnd>;
export type ClientTakeover = z.infer<typeof ClientTakeover>;
export type ClientWatch = z.infer<typeof ClientWatch>;
export type ClientPing = z.infer<typeof ClientPing>;
export type ClientFrame = z.infer<(typeof CLIENT_FRAMES)[keyof typeof CLIENT_FRAMES]>;

// ---------------------------------------------------------------------------------------
// WebSocket: server → client

/**
 * Two shapes share this type [doc]: the join acknowledgement `{ ok: true }` with no
 * sessionId, and [ext] a status change carrying `sessionId`, `mode`, `status`, `agent`.
 */
export const LiveStatusFrame = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('livechat:status'),
  ok: z.optional(z.boolean()),
  /** [ext] On the join acknowledgement: the server answers `client:ping` with
   * `livechat:pong`, and the client should ping at least this often (ms). */
  heartbeatMs: z.optional(z.number().check(z.refine((ms) => Number.isInteger(ms) && ms > 0, 'a positive whole number'))),
  sessionId: z.optional(text()),
  mode: z.optional(built(Mode)),
  status: z.optional(built(LiveStatus)),
  agent: z.nullish(built(Agent)),
  /** [ext] On the join acknowledgement: the server takes uploads, within these limits. */
  files: z.nullish(built(FileLimits)),
}));
export const LiveMessageFrame = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('livechat:message'),
  sessionId: text(),
  id: nonEmpty(),
  sender: built(Sender),
  content: text(),
  createdAt: text(),
  clientMessageId: z.nullish(text()),
  sources: z.nullish(z.array(built(Source))),
  agent: z.nullish(built(Agent)),
  /** [ext] files sent with the message. */
  attachments: attachments(),
  /** [ext] The text as written, when `content` is its translation into the visitor's language. */
  originalContent: z.nullish(text()),
}));
export const LiveTypingFrame = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('livechat:typing'),
  sessionId: text(),
  sender: built(Sender),
  isTyping: z.boolean(),
}));
export const LiveEndedFrame = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('livechat:ended'),
  sessionId: text(),
  by: z.optional(z.enum(['user', 'admin', 'timeout'])),
}));
export const LiveErrorFrame = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('livechat:error'),
  code: text(),
  message: text(),
  sessionId: z.optional(text()),
}));
/** [ext] One row of the agent console's session list. */
export const SessionSummary = /* @__PURE__ */ lazySchema(() => z.looseObject({
  sessionId: text(),
  chatbotId: text(),
  mode: built(Mode),
  status: z.nullish(built(LiveStatus)),
  createdAt: text(),
  updatedAt: text(),
  waitingSince: z.nullish(text()),
  lastMessage: z.nullish(text()),
  pageUrl: z.nullish(text()),
  agent: z.nullish(built(Agent)),
}));
export type SessionSummary = z.infer<typeof SessionSummary>;
/** [ext] The full list, sent to a watching console on every change (waiting first). */
export const LiveSessionsFrame = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('livechat:sessions'),
  sessions: z.array(built(SessionSummary)),
}));

/** [ext] The answer to `client:ping`, on the same socket; it carries no sessionId. */
export const LivePongFrame = /* @__PURE__ */ lazySchema(() => z.looseObject({
  type: z.literal('livechat:pong'),
  id: z.nullish(text()),
}));

/** Each server frame's schema by its `type`: the parser dispatches on `type` itself. */
const SERVER_FRAMES = {
  'livechat:status': LiveStatusFrame,
  'livechat:message': LiveMessageFrame,
  'livechat:typing': LiveTypingFrame,
  'livechat:ended': LiveEndedFrame,
  'livechat:error': LiveErrorFrame,
  'livechat:sessions': LiveSessionsFrame,
  'livechat:pong': LivePongFrame,
};
export type LiveStatusFrame = z.infer<typeof LiveStatusFrame>;
export type LiveMessageFrame = z.infer<typeof LiveMessageFrame>;
export type LiveTypingFrame = z.infer<typeof LiveTypingFrame>;
export type LiveEndedFrame = z.infer<typeof LiveEndedFrame>;
export type LiveErrorFrame = z.infer<typeof LiveErrorFrame>;
export type LiveSessionsFrame = z.infer<typeof LiveSessionsFrame>;
export type LivePongFrame = z.infer<typeof LivePongFrame>;
export type ServerFrame = z.infer<(typeof SERVER_FRAMES)[keyof typeof SERVER_FRAMES]>;

// ---------------------------------------------------------------------------------------
// Parsing: never throws, always says what went wrong.

export type FrameParse<T> =
  | { kind: 'frame'; frame: T }
  /** A well-formed frame of a type this side does not know: ignore it [doc: tolerate]. */
  | { kind: 'ignored'; type: string }
  | { kind: 'invalid'; reason: string };

/** The first issue of a failed parse, as "path: message". */
export function describeIssue(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

function parseFrame<T>(raw: unknown, schemas: Record<string, z.ZodMiniType<T>>): FrameParse<T> {
  let data: unknown = raw;
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw);
    } catch {
      return { kind: 'invalid', reason: 'not JSON' };
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { kind: 'invalid', reason: 'not a JSON object' };
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string') return { kind: 'invalid', reason: 'type: missing' };
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (!schema) return { kind: 'ignored', type };
  const result = schema.safeParse(data);
  return result.success
    ? { kind: 'frame', frame: result.data }
    : { kind: 'invalid', reason: `${type}: ${describeIssue(result.error)}` };
}

/** Parses a frame the server sent (a JSON string or an already-parsed value). */
export function parseServerFrame(raw: unknown): FrameParse<ServerFrame> {
  return parseFrame<ServerFrame>(raw, SERVER_FRAMES);
}

/** Parses a frame a client sent (used by the reference server). */
export function parseClientFrame(raw: unknown): FrameParse<ClientFrame> {
  return parseFrame<ClientFrame>(raw, CLIENT_FRAMES);
}

/** The WebSocket URL for a REST base URL [doc]: http → ws, https → wss, + /api/livechat. */
export function liveChatUrl(baseUrl: string): string {
  const url = endpointUrl(baseUrl, LIVECHAT_PATH);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** A REST endpoint URL under the base URL, keeping any path prefix the base has. */
export function endpointUrl(baseUrl: string, path: string): URL {
  const base = new URL(withTrailingSlash(baseUrl));
  base.pathname = joinPath(base.pathname, path);
  return base;
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function joinPath(prefix: string, path: string): string {
  return `${prefix.replace(/\/+$/, '')}${path}`;
}
