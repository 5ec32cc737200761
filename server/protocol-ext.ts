/**
 * [ext] Frames and fields only the reference server and its agent console speak, beyond
 * src/core/protocol.ts: the widget ignores them. One schema each, used by the hub that
 * sends them and the console that reads them. No Node imports: the console bundles this.
 */
import * as z from 'zod/mini';
import { bounded, type Visitor } from '../src/core/protocol.ts';

/** Sent to agent sockets joined to the session: the visitor left (after a grace) or is back. */
export const LivePresenceFrame = /* @__PURE__ */ z.looseObject({
  type: z.literal('livechat:presence'),
  sessionId: bounded(200),
  visitor: z.enum(['left', 'back']),
  /** When the visitor's last socket closed ("left"), or when one joined again ("back"). */
  at: bounded(40),
});
export type LivePresenceFrame = z.infer<typeof LivePresenceFrame>;

/** Who the visitor is, as the server keeps it: the shared `Visitor` without its verification `hash`. */
export const VisitorField = /* @__PURE__ */ z.object({
  id: z.optional(bounded(200, 1)),
  name: z.optional(bounded(200, 1)),
  email: z.optional(bounded(320, 1)),
  attributes: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  /** [ext] Set by the server alone, when the identity came with a valid hash (server/identity.ts). */
  verified: z.optional(z.boolean()),
});

/** The extra fields of a `livechat:sessions` row. */
export const ConsoleRowExtras = /* @__PURE__ */ z.looseObject({
  pageTitle: z.nullish(z.string()),
  visitor: z.nullish(VisitorField),
  visitorLeftAt: z.nullish(z.string()),
});
export type ConsoleRowExtras = z.infer<typeof ConsoleRowExtras>;

/** The identity to keep from a parsed `visitor` (already checked by the shared schema), or undefined when empty. */
export function visitorOf(visitor: Visitor | undefined): z.infer<typeof VisitorField> | undefined {
  if (!visitor || !(visitor.id || visitor.name || visitor.email)) return undefined;
  return {
    ...(visitor.id && { id: visitor.id }),
    ...(visitor.name && { name: visitor.name }),
    ...(visitor.email && { email: visitor.email }),
    ...(visitor.attributes && { attributes: visitor.attributes }),
  };
}
