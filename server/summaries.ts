/** The agent console's list: which sessions it shows, in which order, and what a row says. */
import { isLiveChat, type SessionSummary } from '../src/core/protocol.ts';
import type { SessionRecord, VisitorIdentity } from './store/records.ts';

/** [ext] A row carries these beyond the shared schema; consoles that do not know them ignore them. */
export type ConsoleRow = SessionSummary & {
  pageTitle: string | null;
  visitor: VisitorIdentity | null;
  /** When the visitor's last socket went, once agents were told ("visitor left"); else null. */
  visitorLeftAt: string | null;
};

/**
 * Waiting first (longest wait first), then open, then the `maxOthers` most recently active
 * of the rest; `live` and `recent` may overlap.
 */
export function listOrder(live: SessionRecord[], recent: SessionRecord[], chatbotId: string | undefined, maxOthers: number): SessionRecord[] {
  const byId = new Map<string, SessionRecord>();
  for (const record of [...live, ...recent]) if (!chatbotId || record.chatbotId === chatbotId) byId.set(record.id, record);
  const rank = (r: SessionRecord) => (!isLiveChat(r.state.mode, r.state.status) ? 2 : r.state.status === 'waiting' ? 0 : 1);
  const sorted = [...byId.values()].sort(
    (a, b) => rank(a) - rank(b) || (rank(a) === 0 ? (a.state.waitingSince ?? '').localeCompare(b.state.waitingSince ?? '') : b.activityOrder - a.activityOrder),
  );
  const liveCount = sorted.filter((r) => rank(r) < 2).length;
  return sorted.slice(0, liveCount + maxOthers);
}

export function summarise(record: SessionRecord): ConsoleRow {
  const { state } = record;
  return {
    sessionId: record.id,
    chatbotId: record.chatbotId,
    mode: state.mode,
    status: state.status ?? null,
    createdAt: record.createdAt,
    updatedAt: new Date(record.lastActivity).toISOString(),
    waitingSince: state.waitingSince ?? null,
    lastMessage: record.lastMessage ?? null,
    pageUrl: state.pageUrl ?? null,
    agent: state.agent ?? null,
    pageTitle: state.pageTitle ?? null,
    visitor: state.visitor ?? null,
    visitorLeftAt: state.visitorLeft && state.visitorAwaySince !== undefined ? new Date(state.visitorAwaySince).toISOString() : null,
  };
}

/** Bot replies are HTML the server built itself; a list row wants their text. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:#(\d+)|#x([0-9a-f]+)|(lt|gt|quot|apos|amp));/gi, (entity, dec?: string, hex?: string, name?: string) => {
      if (dec || hex) {
        const code = dec ? Number(dec) : parseInt(hex!, 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return NAMED_ENTITIES[name!.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
