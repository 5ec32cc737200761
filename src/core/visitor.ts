/**
 * [ext] The visitor's identity as the client carries it: sent as `client:meta` after a join
 * and with every REST message, and the scope of what the client stores. Each visitor has a
 * conversation of their own (its own stored session and transcript, its own tab channel),
 * so someone signing in on a shared machine never sees the previous person's chat.
 */
import type { Visitor } from './protocol.ts';

/** Who a visitor is, for scoping: the id, else the email, else the name; null when the host
 * said nothing that tells people apart (an anonymous visitor keeps the unscoped storage). */
export function visitorScope(visitor: Visitor | null | undefined): string | null {
  const who = visitor?.id ?? visitor?.email ?? visitor?.name;
  if (!who) return null;
  // FNV-1a: the storage key says which visitor without spelling out who.
  let hash = 0x811c9dc5;
  for (let i = 0; i < who.length; i++) hash = Math.imul(hash ^ who.charCodeAt(i), 0x01000193) >>> 0;
  return `v-${hash.toString(36)}`;
}

/** The storage key of a visitor's conversation with a chatbot (the client's, when it is not
 * given a `storageKey` of its own). */
export function conversationKey(chatbotId: string, visitor: Visitor | null | undefined): string {
  const scope = visitorScope(visitor);
  return `webchat-agent:${chatbotId}${scope ? `:${scope}` : ''}`;
}

/** The identity as it goes on the wire: only the fields a host set, none empty. */
export function visitorField(visitor: Visitor | null | undefined): { visitor?: Visitor } {
  const set = Object.entries(visitor ?? {}).filter(([, value]) => value !== '' && value != null);
  return set.length ? { visitor: Object.fromEntries(set) } : {};
}
