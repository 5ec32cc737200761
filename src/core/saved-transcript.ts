/**
 * The transcript in storage, written a piece at a time: the head (session, mode, outbox,
 * unread: a few hundred bytes) under the conversation's key, and the messages in chunks of
 * CHUNK under `<key>:<n>`, chunk n holding the messages n·CHUNK to (n+1)·CHUNK − 1 of the
 * transcript. A save rewrites only the chunks whose messages changed (the last one, for a
 * new message), then the head, so a long conversation costs no more to keep than a short
 * one. The storage keeps at most the latest MAX_STORED_MESSAGES, the oldest dropped first, a
 * chunk at a time; a full storage (quota) drops them further until the rest fits.
 *
 * Chunks are written before the head that lists them: a page closed between the two leaves
 * a head that still reads whole (a chunk ahead of its head holds only real messages).
 */
import { messageJson, serialiseHead } from './persisted.ts';
import type { Model } from './model.ts';
import type { ChatMessage, StorageAdapter } from './types.ts';

export const CHUNK = 100;
/** The most messages kept in storage (the conversation in memory keeps them all). */
export const MAX_STORED_MESSAGES = 5000;

/** Which messages the head says are stored: indexes `from` (inclusive) to `to` (exclusive). */
interface Span {
  from: number;
  to: number;
}

const chunkKey = (key: string, n: number) => `${key}:${n}`;
const chunksOf = ({ from, to }: Span): number[] => {
  const chunks: number[] = [];
  for (let n = Math.floor(from / CHUNK); n * CHUNK < to; n++) chunks.push(n);
  return chunks;
};

function parse(raw: string | null): unknown {
  try {
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function spanOf(head: unknown): Span | null {
  const span = (head as { span?: Partial<Span> } | null)?.span;
  const { from, to } = span ?? {};
  const index = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
  return index(from) && index(to) && from <= to && to - from <= MAX_STORED_MESSAGES * 2 ? { from, to } : null;
}

/** What the storage holds under `key`, chunks joined: `{ …head, messages }` for the
 * chunked shape, or the single-key shape of earlier releases as it was. Unreadable parts
 * are left out alone; persisted.ts checks every field and message after this. */
export function readTranscript(storage: StorageAdapter, key: string): unknown {
  let head: unknown;
  try {
    head = parse(storage.getItem(key));
  } catch {
    return null;
  }
  const span = spanOf(head);
  if (!span) return head;
  const messages: unknown[] = [];
  for (const n of chunksOf(span)) {
    let chunk: unknown = null;
    try {
      chunk = parse(storage.getItem(chunkKey(key, n)));
    } catch {
      // One unreadable chunk loses its messages only.
    }
    if (Array.isArray(chunk)) messages.push(...chunk);
  }
  return { ...(head as object), messages };
}

/** Which save of the transcript the storage holds: two equal revisions are the same stored
 * transcript (a tab tells whether another wrote since it read). A save that changes
 * anything writes its head last with a revision of its own, so the head alone tells; a
 * head without one (an earlier release, a hand edit, a save that failed half way) is
 * compared with its chunks, as raw text. */
export function transcriptRevision(storage: StorageAdapter, key: string): string {
  try {
    const head = storage.getItem(key);
    const parsed = parse(head);
    const span = spanOf(parsed);
    if (span && typeof (parsed as { rev?: unknown }).rev === 'string') return head!;
    const parts = [head ?? ''];
    if (span) for (const n of chunksOf(span)) parts.push(storage.getItem(chunkKey(key, n)) ?? '');
    return parts.join('\u0000');
  } catch {
    return '';
  }
}

/** A save's revision: random, so that two tabs' saves never share one. */
const newRevision = () => Math.random().toString(36).slice(2, 12);

export interface TranscriptWriter {
  /** Writes what changed since the last save. Never throws. */
  save(model: Model): void;
  /** Removes the head and every chunk. */
  forget(): void;
  /** Takes the model restored from storage as written, so the next save writes only what
   * changes after it. */
  restored(model: Model): void;
}

export function transcriptWriter(storage: StorageAdapter, key: string, isQuotaError: (error: unknown) => boolean): TranscriptWriter {
  /** Per chunk, the message objects it was last written with (messages are immutable:
   * the same object is the same message). */
  let written = new Map<number, readonly ChatMessage[]>();
  /** The storage's index of the model's first message: after a reload of a transcript
   * trimmed at its start, the model's message 0 is the stored message `from`. */
  let base = 0;
  /** Dropped for space: the first index the storage may hold. */
  let trimmedTo = 0;
  /** The head as last written or restored, without its revision: a save that changes
   * nothing writes nothing (a tab that closes then leaves the next leader's copy current). */
  let lastHead: string | null = null;

  const slice = (messages: readonly ChatMessage[], n: number, span: Span) =>
    messages.slice(Math.max(span.from, n * CHUNK) - base, Math.min(span.to, (n + 1) * CHUNK) - base);

  const same = (a: readonly ChatMessage[] | undefined, b: readonly ChatMessage[]) =>
    a !== undefined && a.length === b.length && a.every((message, i) => message === b[i]);

  function chunkJson(messages: readonly ChatMessage[]): string {
    const parts: string[] = [];
    for (const message of messages) {
      const json = messageJson(message);
      if (json !== null) parts.push(json);
    }
    return `[${parts.join(',')}]`;
  }

  function removeChunk(n: number): void {
    written.delete(n);
    try {
      storage.removeItem(chunkKey(key, n));
    } catch {
      // Left behind, it is never read: no head lists it.
    }
  }

  /** One attempt; false: the storage is full. */
  function write(model: Model): boolean {
    const to = base + model.messages.length;
    if (trimmedTo > to) trimmedTo = base;
    // Past the cap, the oldest go a chunk at a time: the first chunk is dropped whole, not
    // rewritten for every new message.
    const over = to - MAX_STORED_MESSAGES;
    const span = { from: Math.max(base, trimmedTo, over > 0 ? Math.ceil(over / CHUNK) * CHUNK : 0), to };
    const wanted = new Set(chunksOf(span));
    try {
      let changed = false;
      for (const n of wanted) {
        const messages = slice(model.messages, n, span);
        if (same(written.get(n), messages)) continue;
        storage.setItem(chunkKey(key, n), chunkJson(messages));
        written.set(n, messages);
        changed = true;
      }
      const head = serialiseHead(model, span);
      if (changed || head !== lastHead) {
        storage.setItem(key, `${head.slice(0, -1)},"rev":${JSON.stringify(newRevision())}}`);
        lastHead = head;
      }
    } catch (error) {
      unrevise();
      if (isQuotaError(error) && span.to > span.from) {
        trimmedTo = span.from + Math.max(1, Math.floor((span.to - span.from) / 4));
        return false;
      }
      // Any other refusal leaves the stored copy as it was: the head still lists what it did.
      return true;
    }
    for (const n of [...written.keys()]) if (!wanted.has(n)) removeChunk(n);
    return true;
  }

  /** After a save that failed half way: its chunks may have changed under the head of the
   * save before, so the head loses its revision, and what is compared is the whole text. */
  function unrevise(): void {
    lastHead = null;
    try {
      const head = parse(storage.getItem(key)) as { rev?: unknown } | null;
      if (head && typeof head === 'object' && 'rev' in head) {
        delete head.rev;
        storage.setItem(key, JSON.stringify(head));
      }
    } catch {
      // The head as it was.
    }
  }

  return {
    save(model) {
      // Each failure for space drops a quarter of what is left, the oldest first.
      for (let attempt = 0; attempt < 64 && !write(model); attempt++) {
        for (const n of [...written.keys()]) if ((n + 1) * CHUNK <= trimmedTo) removeChunk(n);
      }
    },
    forget() {
      let span: Span | null = null;
      try {
        span = spanOf(parse(storage.getItem(key)));
        storage.removeItem(key);
      } catch {
        // A storage that can't forget had nothing worth keeping.
      }
      for (const n of new Set([...written.keys(), ...(span ? chunksOf(span) : [])])) removeChunk(n);
      written = new Map();
      base = trimmedTo = 0;
      lastHead = null;
    },
    restored(model) {
      let head: unknown;
      try {
        head = parse(storage.getItem(key));
      } catch {
        return;
      }
      const span = spanOf(head);
      if (!span) return;
      if (span.to - span.from !== model.messages.length) {
        // Some stored messages did not restore: write afresh, and clear the chunks listed now.
        for (const n of chunksOf(span)) written.set(n, []);
        return;
      }
      base = trimmedTo = span.from;
      for (const n of chunksOf(span)) written.set(n, slice(model.messages, n, span));
      // The stored head, when it is what this model would write: a save with no change then
      // writes nothing. (A model the restore changed, a send cut off by the page closing,
      // writes its head.)
      const { rev, ...rest } = head as { rev?: unknown };
      const own = serialiseHead(model, span);
      if (typeof rev === 'string' && JSON.stringify(rest) === own) lastHead = own;
    },
  };
}
