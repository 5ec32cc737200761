/**
 * [ext] Verified visitor identities. A server started with an identity secret accepts a
 * visitor's identity only with `hash = HMAC-SHA256(secret, id)` (hex), which the host's own
 * backend computes (the secret never reaches a browser): an identity without it, or with a
 * wrong one, is refused, never stored nor shown. A verified identity is stored with
 * `verified: true`; without a secret no identity is ever marked verified. The hash itself is
 * not kept.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Visitor } from '../src/core/protocol.ts';
import { visitorOf } from './protocol-ext.ts';
import type { VisitorIdentity } from './store/records.ts';

export const UNVERIFIED = 'unverified_visitor';

/** What the host's backend computes for a visitor id (exported for tests and tooling). */
export const visitorHash = (secret: string, id: string): string => createHmac('sha256', secret).update(id, 'utf8').digest('hex');

/**
 * The identity to store from a parsed `visitor` (undefined when there is none worth
 * keeping), or `refuse(code, message)` thrown when a secret is set and the hash does not hold.
 */
export function checkVisitor(visitor: Visitor | undefined, secret: string | undefined, refuse: (code: string, message: string) => Error): VisitorIdentity | undefined {
  const kept = visitorOf(visitor);
  if (!kept || !secret) return kept;
  if (!kept.id) throw refuse(UNVERIFIED, 'The visitor identity could not be verified: it has no id (this server needs id and hash = HMAC-SHA256(secret, id)).');
  const expected = Buffer.from(visitorHash(secret, kept.id), 'hex');
  const hash = visitor?.hash;
  const given = hash && /^[0-9a-f]{64}$/i.test(hash) ? Buffer.from(hash, 'hex') : null;
  if (!given || !timingSafeEqual(given, expected)) {
    throw refuse(UNVERIFIED, 'The visitor identity could not be verified: its hash is not HMAC-SHA256(secret, id).');
  }
  return { ...kept, verified: true };
}
