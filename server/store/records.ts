/**
 * What the stores keep, as schemas: a record read back from SQLite or Redis passes these
 * before the server trusts it, so a hand-edited database or an older layout fails loudly
 * at the read instead of deep inside a rule.
 */
import * as z from 'zod/mini';
import { built } from '../../src/core/lazy-schema.ts';
import { Agent, HistoryMessage, LiveStatus, Mode, type FileRef, type Sender } from '../../src/core/protocol.ts';
import { VisitorField } from '../protocol-ext.ts';

z.config({ jitless: true });

/** [ext] Who the visitor is, when the host page says so (`client:meta` or the REST body's `visitor`). */
export const VisitorIdentity = VisitorField;
export type VisitorIdentity = z.infer<typeof VisitorIdentity>;

/** A message as `GET /api/chat/history` and `livechat:message` carry it. */
// A type, not an interface: it must fit the schemas' open (indexed) object types.
export type StoredMessage = {
  id: string;
  sender: Sender;
  content: string;
  createdAt: string;
  sources?: z.infer<typeof HistoryMessage>['sources'] & object;
  clientMessageId?: string;
  agent?: Agent;
  /** [ext] files sent with it, as the server described them. */
  attachments?: FileRef[];
  /** [ext] The text as written, when `content` is its translation: passed through, never made here. */
  originalContent?: string;
};

/** A stored message as the store returns it: `seq` orders it within its session. */
export interface SequencedMessage {
  seq: number;
  message: StoredMessage;
}

// The protocol's schemas are built here, at start-up, and composed as built: every record read
// then runs through zod alone, not through their stand-ins (src/core/lazy-schema.ts).
export const StoredMessageSchema = z.pipe(
  built(HistoryMessage),
  z.transform((m): StoredMessage => ({
    id: m.id,
    sender: m.sender,
    content: m.content,
    createdAt: m.createdAt,
    ...(m.sources && { sources: m.sources }),
    ...(m.clientMessageId && { clientMessageId: m.clientMessageId }),
    ...(m.agent && { agent: m.agent }),
    ...(m.attachments?.length && { attachments: m.attachments }),
    ...(m.originalContent && { originalContent: m.originalContent }),
  })),
);

/**
 * The part of a session that the rules change, written only with compare-and-set on
 * `version`: two instances deciding at once (two agents taking over) cannot both win.
 */
export const SessionState = z.object({
  mode: built(Mode),
  /** Absent until the session first asks for a human. */
  status: z.optional(built(LiveStatus)),
  agent: z.optional(built(Agent)),
  /** `instanceId/socketId` of the agent socket that took the session over. */
  owner: z.optional(z.string()),
  waitingSince: z.optional(z.string()),
  pageUrl: z.optional(z.string()),
  pageTitle: z.optional(z.string()),
  visitor: z.optional(VisitorIdentity),
  /** Epoch ms the visitor's last socket closed; absent while one is joined. */
  visitorAwaySince: z.optional(z.number()),
  /** Set once agents were told the visitor left; cleared (with a "back" notice) on return. */
  visitorLeft: z.optional(z.boolean()),
});
export type SessionState = z.infer<typeof SessionState>;

export const SessionRecord = z.object({
  id: z.string(),
  chatbotId: z.string(),
  createdAt: z.string(),
  /** Epoch ms of the last activity: idle expiry counts from here. */
  lastActivity: z.number(),
  /** Order of last activity: unlike the clock, never equal for two sessions. */
  activityOrder: z.number(),
  /** The last message as the console's list shows it (plain text, 140 characters). */
  lastMessage: z.optional(z.string()),
  /** The `seq` of the session's last message (0 before the first). */
  lastSeq: z.number(),
  version: z.number(),
  state: SessionState,
});
export type SessionRecord = z.infer<typeof SessionRecord>;

/** Reads a record or says which field is wrong, naming where it came from. */
export function parseRecord<T>(schema: z.ZodMiniType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`A stored record failed its schema (${where}): ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

/** Each side picks its own ids: a visitor reusing the agent's id is not a resend. */
export function clientKey(sender: Sender, clientMessageId: string): string {
  return `${sender}:${clientMessageId}`;
}
