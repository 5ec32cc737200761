/**
 * The transcript: ordering, adding, updating and merging the server's history into it.
 * Server time first; messages still sending last, in the order they were typed.
 */
import type { HistoryMessage } from './protocol.ts';
import type { Draft, Effect } from './model.ts';
import type { ChatMessage } from './types.ts';

const time = (x: ChatMessage) => Date.parse(x.createdAt) || 0;

export const isPending = (x: ChatMessage) => x.delivery === 'sending';

export function order(messages: readonly ChatMessage[]): ChatMessage[] {
  const rank = (x: ChatMessage) => (isPending(x) ? 1 : 0);
  return [...messages].sort((a, b) => rank(a) - rank(b) || (rank(a) ? 0 : time(a) - time(b)));
}

/** `order()` for one more message in an ordered transcript, without sorting it all again
 * (a long live chat adds messages in bursts): it walks back over the pending tail only. */
function insert(messages: readonly ChatMessage[], message: ChatMessage): ChatMessage[] {
  const out = [...messages];
  let i = out.length;
  if (!isPending(message)) {
    const t = time(message);
    while (i > 0 && (isPending(out[i - 1]!) || time(out[i - 1]!) > t)) i--;
  }
  out.splice(i, 0, message);
  return out;
}

/** A new message: in its place, and announced. */
export function add(m: Draft, fx: Effect[], message: ChatMessage): void {
  m.messages = insert(m.messages, message);
  // The visitor's own messages are read by writing them.
  if (message.sender !== 'user' && !m.reading) m.unread++;
  fx.push({ type: 'emit', event: { type: 'message', message } });
}

/** A new version of a message already there (same `id`), moved if its place changed. */
export function patch(m: Draft, message: ChatMessage): void {
  const index = m.messages.findIndex((x) => x.id === message.id);
  if (index < 0) return;
  const old = m.messages[index]!;
  if (isPending(old) === isPending(message) && old.createdAt === message.createdAt) {
    m.messages = m.messages.with(index, message);
  } else {
    m.messages = insert(m.messages.toSpliced(index, 1), message);
  }
}

/** A local time for a new message, never before the transcript's last one: the device's
 * clock may lag the server's, and a new message must not sort above older ones. */
export function stamp(m: Draft, now: number): string {
  // The transcript is ordered: the latest time is among the pending tail and the last settled one.
  let latest = now;
  for (let i = m.messages.length - 1; i >= 0; i--) {
    const x = m.messages[i]!;
    latest = Math.max(latest, time(x));
    if (!isPending(x)) break;
  }
  return new Date(latest).toISOString();
}

export function find(messages: readonly ChatMessage[], serverId: string, clientMessageId?: string | null): ChatMessage | undefined {
  return messages.find((x) => x.serverId === serverId || (!!clientMessageId && x.clientMessageId === clientMessageId));
}

/**
 * The server's history is the truth for everything it confirmed; local messages keep their
 * `id` when the server knows them (by its id or the clientMessageId). Messages still on
 * their way (sending, failed) stay. A REST message the server lists under its own id
 * replaces the local copy: REST bodies carry no clientMessageId to match on.
 *
 * The history is a window: a server may keep only a session's last N messages. What is
 * older than the window's first message is not the server's to take away, so it stays.
 */
export function mergeHistory(local: readonly ChatMessage[], remote: readonly HistoryMessage[], asOf: readonly ChatMessage[]): ChatMessage[] {
  const matched = new Set<string>();
  const merged = remote.map((h): ChatMessage => {
    const existing = find(local, h.id, h.clientMessageId);
    if (existing) matched.add(existing.id);
    const message: ChatMessage = {
      id: existing?.id ?? h.clientMessageId ?? h.id,
      serverId: h.id,
      clientMessageId: h.clientMessageId ?? existing?.clientMessageId,
      sender: h.sender,
      content: h.content,
      html: h.sender === 'bot',
      sources: h.sources ?? [],
      createdAt: h.createdAt,
      delivery: h.sender === 'user' ? 'sent' : undefined,
      agent: h.agent ?? undefined,
      attachments: h.attachments ?? undefined,
      original: h.originalContent ?? undefined,
    };
    // Unchanged messages keep their object: a UI re-renders (and re-sanitises) only changes.
    return existing && JSON.stringify(existing) === JSON.stringify({ ...existing, ...message }) ? existing : message;
  });
  const windowStart = remote.reduce((first, h) => Math.min(first, Date.parse(h.createdAt) || 0), Infinity);
  // Older than the window, and not the server's copy in it under another id (a REST send
  // carries no id to match on, and the device's clock may run behind the server's).
  const beforeWindow = (x: ChatMessage) => time(x) < windowStart && (!!x.serverId || !remote.some((h) => h.sender === x.sender && h.content === x.content));
  // The history is a snapshot from when it was requested: what came or changed since (a live
  // message, a REST send and its reply) may be missing from it, and must not vanish.
  const before = new Set(asOf);
  const kept = local.filter(
    (x) =>
      !matched.has(x.id) &&
      (x.delivery === 'sending' || beforeWindow(x) || ((x.delivery === 'failed' || !before.has(x)) && !arrived(x, local, remote))),
  );
  return order([...merged, ...kept]);
}

/** A visitor's message the server has not confirmed by id (sent over REST, or failed with no
 * answer: cut off by a page unload, timed out) may be in the history all the same: when it
 * has the text after the message shown before it. Then the server's copy stands alone, and
 * a retry can't send it twice. The message before it is one the server may know: another
 * send failed or on its way in the same moment (shown first, or not) is no landmark. */
function arrived(x: ChatMessage, local: readonly ChatMessage[], remote: readonly HistoryMessage[]): boolean {
  if (x.sender !== 'user' || x.serverId || x.error?.status) return false;
  const seen = local.slice(0, local.indexOf(x)).findLast((y) => !unconfirmed(y));
  const from = seen ? remote.findLastIndex((h) => (seen.serverId ? h.id === seen.serverId : h.sender === seen.sender && h.content === seen.content)) : -1;
  return (!seen || from >= 0) && remote.slice(from + 1).some((h) => h.sender === 'user' && h.content === x.content);
}

/** A visitor's send the server has not taken yet, as far as this device knows. */
const unconfirmed = (x: ChatMessage) => x.sender === 'user' && !x.serverId && (x.delivery === 'failed' || x.delivery === 'sending');
