/**
 * What the storage keeps between page loads: a versioned shape, `{ v: 1, … }`, checked
 * with its schema when it is read. Storage is outside this code's control (another
 * version of the script, a browser extension, a hand edit): an entry that fails is dropped
 * alone, never the whole transcript, and the unversioned shape of earlier releases is
 * migrated, so a visitor keeps the conversation across an upgrade.
 */
import * as z from 'zod/mini';
import { built, lazy, lazySchema } from './lazy-schema.ts';
import { Agent, FileRef, LiveStatus, MAX_FIELD_LENGTH, Mode, Sender, Source, bounded } from './protocol.ts';
import { initialModel, conversationOf, type Draft, type Model } from './model.ts';
import { order } from './transcript.ts';
import type { ChatError, ChatErrorCode, ChatMessage } from './types.ts';

/** 1: one key with every message; 2: a head listing a span of messages kept in chunks
 * (saved-transcript.ts). Both read. */
export const PERSISTED_VERSION = 2;

const text = /* @__PURE__ */ lazy(() => bounded(MAX_FIELD_LENGTH));
// The same bounds as the wire's (protocol.ts): whatever was shown live survives a reload.
const id = /* @__PURE__ */ lazy(() => bounded(MAX_FIELD_LENGTH, 1));

const StoredError = /* @__PURE__ */ lazy(() => z.object({
  // Not rendered, only told apart: any code of a newer release reads as itself.
  code: text() as unknown as z.ZodMiniType<ChatErrorCode>,
  message: text(),
  status: z.optional(z.number()),
  retryAfter: z.optional(z.number()),
  serverCode: z.optional(text()),
}));

/** One message as stored: every field the transcript renders, of the right type. */
export const StoredMessage = /* @__PURE__ */ lazySchema(() => z.object({
  id: id(),
  serverId: z.optional(text()),
  clientMessageId: z.optional(text()),
  sender: built(Sender),
  content: text(),
  html: z.boolean(),
  sources: z.array(built(Source)),
  createdAt: text(),
  delivery: z.optional(z.enum(['sending', 'sent', 'failed'])),
  error: z.optional(StoredError()),
  agent: z.optional(built(Agent)),
  original: z.optional(text()),
  /** [ext] */
  attachments: z.optional(z.array(built(FileRef))),
  upload: z.optional(z.object({ files: z.array(z.object({ name: text(), type: text(), size: z.number() })), progress: z.number() })),
}));

/** The stored shape, version 1. `messages` entries are checked one by one (StoredMessage). */
export interface PersistedV1 {
  v: 1;
  sessionId: string | null;
  mode: Model['mode'];
  status: Model['status'];
  agent: Model['agent'];
  outbox: string[];
  messages: ChatMessage[];
  /** Added after version 1 shipped, optional so that older entries still load (as 0). */
  unread?: number;
}

/** A field of a stored object, or the fallback when it is missing or wrong. */
function field<T>(data: Record<string, unknown>, key: string, schema: z.ZodMiniType<T>, fallback: T): T {
  const parsed = schema.safeParse(data[key]);
  return parsed.success ? parsed.data : fallback;
}

/** Earlier releases stored messages without a version; some lacked `sources` or `html`. */
function migrateMessage(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const message = raw as Record<string, unknown>;
  // A field once written as null reads as absent.
  const present = Object.fromEntries(Object.entries(message).filter(([, value]) => value !== null));
  return { ...present, sources: present['sources'] ?? [], html: present['html'] ?? present['sender'] === 'bot' };
}

/** Reads whatever the storage held: the versioned shape, the unversioned one, or nothing usable. */
export function readPersisted(data: unknown): PersistedV1 | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  const legacy = record['v'] === undefined;
  const entries = Array.isArray(record['messages']) ? record['messages'] : [];
  const messages: ChatMessage[] = [];
  // Thousands of entries on a long transcript: each parse skips the stand-in.
  const schema = built(StoredMessage);
  for (const entry of entries) {
    const parsed = schema.safeParse(legacy ? migrateMessage(entry) : entry);
    if (parsed.success) messages.push(parsed.data as ChatMessage);
  }
  return {
    v: 1,
    sessionId: field(record, 'sessionId', z.nullish(id()), null) ?? null,
    mode: field(record, 'mode', Mode, 'bot'),
    status: field(record, 'status', z.nullish(LiveStatus), null) ?? null,
    agent: field(record, 'agent', z.nullish(Agent), null) ?? null,
    outbox: field(record, 'outbox', z.array(id()), []),
    messages,
    unread: field(record, 'unread', z.number().check(z.refine((n) => Number.isInteger(n) && n >= 0, 'a count')), 0),
  };
}

const interrupted: ChatError = { code: 'network', message: 'Not confirmed before the page closed.' };

/** A model from storage, with or without a session (a failed first message, a dropped
 * session: the transcript stays). A REST send cut off by the page unloading can't be known
 * to have arrived: it shows as failed, text kept. Live ones stay in the outbox (resends are safe). */
export function restore(data: unknown): Model {
  const model = initialModel();
  const saved = readPersisted(data);
  if (!saved) return model;
  const outbox = saved.sessionId ? saved.outbox.filter((x) => saved.messages.some((m) => m.id === x && m.delivery === 'sending')) : [];
  const messages = saved.messages.map((message) =>
    message.delivery === 'sending' && !outbox.includes(message.id) ? { ...message, delivery: 'failed' as const, error: interrupted } : message,
  );
  const draft: Draft = {
    ...model,
    sessionId: saved.sessionId,
    mode: saved.mode,
    status: saved.status,
    agent: saved.agent,
    messages: order(messages),
    outbox,
    unread: saved.unread ?? 0,
  };
  draft.conversation = conversationOf(draft);
  return draft;
}

/** Each message's JSON, made once: a long transcript is not re-serialised for one new
 * message. `null`: it can't be serialised, and is left out alone. */
const serialised = new WeakMap<ChatMessage, string | null>();

export function messageJson(message: ChatMessage): string | null {
  let json = serialised.get(message);
  if (json === undefined) {
    try {
      json = JSON.stringify(message) ?? null;
    } catch {
      json = null;
    }
    serialised.set(message, json);
  }
  return json;
}

/** The head of the chunked shape: everything but the messages, and which of them are kept
 * (saved-transcript.ts adds the save's revision). */
export function serialiseHead(model: Model, span?: { from: number; to: number }): string {
  const { sessionId, mode, status, outbox, unread } = model;
  try {
    return JSON.stringify({ v: PERSISTED_VERSION, sessionId, mode, status, agent: model.agent, outbox, unread, span });
  } catch {
    return JSON.stringify({ v: PERSISTED_VERSION, sessionId, mode, status, agent: null, outbox, unread, span });
  }
}

/** The whole stored text in one piece (version 1's shape, with `messages`): what tests
 * and migrations read; the client writes saved-transcript.ts's chunks. */
export function serialise(model: Model, messages: readonly ChatMessage[] = model.messages): string {
  const head = serialiseHead(model);
  const parts: string[] = [];
  for (const message of messages) {
    const json = messageJson(message);
    if (json !== null) parts.push(json);
  }
  return `${head.slice(0, -1)},"messages":[${parts.join(',')}]}`;
}

/** Whether a storage error means "full": only then is trimming the transcript the answer. */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const code = (error as { code?: unknown } | null)?.code;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}
