/**
 * [ext] Frames and fields only the reference server and its agent console speak, beyond
 * src/core/protocol.ts: the widget ignores them. One schema each, used by the hub that
 * sends them and the console that reads them. No Node imports: the console bundles this.
 */
import * as z from 'zod/mini';
import { bounded } from '../src/core/protocol.ts';

/** Sent to agent sockets joined to the session: the visitor left (after a grace) or is back. */
export const LivePresenceFrame = /* @__PURE__ */ z.looseObject({
  type: z.literal('livechat:presence'),
  sessionId: bounded(200),
  visitor: z.enum(['left', 'back']),
  /** When the visitor's last socket closed ("left"), or when one joined again ("back"). */
  at: bounded(40),
});
export type LivePresenceFrame = z.infer<typeof LivePresenceFrame>;

/** What a host may say about its visitor (`client:meta`'s or the REST body's `visitor`). */
export const VisitorField = /* @__PURE__ */ z.object({
  id: z.optional(bounded(200, 1)),
  name: z.optional(bounded(200, 1)),
  email: z.optional(bounded(320, 1)),
});

/** The extra fields of a `livechat:sessions` row. */
export const ConsoleRowExtras = /* @__PURE__ */ z.looseObject({
  pageTitle: z.nullish(z.string()),
  visitor: z.nullish(VisitorField),
  visitorLeftAt: z.nullish(z.string()),
});
export type ConsoleRowExtras = z.infer<typeof ConsoleRowExtras>;

/** The visitor field from any object (a frame, a body), or undefined when absent or malformed. */
export function visitorOf(value: unknown): z.infer<typeof VisitorField> | undefined {
  if (typeof value !== 'object' || value === null || !('visitor' in value)) return undefined;
  const parsed = VisitorField.safeParse((value as { visitor: unknown }).visitor);
  if (!parsed.success) return undefined;
  const visitor = parsed.data;
  return visitor.id || visitor.name || visitor.email ? visitor : undefined;
}
