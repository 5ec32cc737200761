/**
 * The embedded store: SQLite in one file (or in memory), for a single instance. Writes are
 * synchronous and in WAL mode, so what was acknowledged survives a crash; the process's
 * sockets, rate limits and events live in memory, since no other instance shares them.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { isLiveChat } from '../../src/core/protocol.ts';
import type { Clock } from '../clock.ts';
import { RateLimiter, type Rate, type Take } from '../rate-limit.ts';
import { parseRecord, SessionRecord, StoredMessageSchema, type SessionState, type SequencedMessage, type StoredMessage } from './records.ts';
import type { Appended, HubEvent, SocketCounts, Store } from './store.ts';

/** Bumped when the tables change: an older file is migrated, a newer one refused. */
const SCHEMA_VERSION = 1;

interface SessionRow {
  id: string;
  chatbot_id: string;
  created_at: string;
  last_activity: number;
  activity_order: number;
  last_message: string | null;
  last_seq: number;
  version: number;
  state: string;
}

export class SqliteStore implements Store {
  readonly instanceId = randomUUID();
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  readonly #listeners = new Set<(event: HubEvent) => void>();
  readonly #sockets = new Map<string, SocketCounts>();
  readonly #limiters = new Map<string, RateLimiter>();
  #activity: number;
  readonly #q;

  /** `path` is a file (its folder is created) or `:memory:`. */
  constructor(
    path: string,
    private readonly clock: Clock,
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    // With WAL, NORMAL loses nothing when the process dies (SIGKILL, a crash): only a power
    // cut can take the last commits, and FULL would pay an fsync for every message.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    migrate(this.#db);
    const db = this.#db;
    this.#q = {
      insert: db.prepare(
        `INSERT INTO sessions (id, chatbot_id, created_at, last_activity, activity_order, last_message, last_seq, version, live, state)
         VALUES (@id, @chatbotId, @createdAt, @lastActivity, @activityOrder, @lastMessage, 0, @version, @live, @state)`,
      ),
      get: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
      put: db.prepare('UPDATE sessions SET state = ?, live = ?, version = version + 1 WHERE id = ? AND version = ?'),
      touch: db.prepare('UPDATE sessions SET last_activity = ?, activity_order = ? WHERE id = ?'),
      activity: db.prepare('UPDATE sessions SET last_activity = ?, activity_order = ?, last_message = ?, last_seq = ? WHERE id = ?'),
      byKey: db.prepare<[string, string], { data: string }>('SELECT data FROM messages WHERE session_id = ? AND client_key = ?'),
      addMessage: db.prepare('INSERT INTO messages (session_id, client_key, data) VALUES (?, ?, ?)'),
      trim: db.prepare(
        `DELETE FROM messages WHERE session_id = @id AND seq <= (
           SELECT seq FROM messages WHERE session_id = @id ORDER BY seq DESC LIMIT 1 OFFSET @keep)`,
      ),
      messages: db.prepare<[string, number], { seq: number; data: string }>('SELECT seq, data FROM messages WHERE session_id = ? AND seq > ? ORDER BY seq'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sessions'),
      live: db.prepare<[], SessionRow>('SELECT * FROM sessions WHERE live = 1'),
      recent: db.prepare<[number], SessionRow>('SELECT * FROM sessions ORDER BY activity_order DESC LIMIT ?'),
      idle: db.prepare<[number], { id: string }>('SELECT id FROM sessions WHERE last_activity <= ?'),
      remove: db.prepare('DELETE FROM sessions WHERE id = ?'),
      maxActivity: db.prepare<[], { n: number | null }>('SELECT MAX(activity_order) AS n FROM sessions'),
    };
    this.#activity = this.#q.maxActivity.get()?.n ?? 0;
  }

  async create(record: SessionRecord): Promise<void> {
    this.#q.insert.run({
      id: record.id,
      chatbotId: record.chatbotId,
      createdAt: record.createdAt,
      lastActivity: record.lastActivity,
      activityOrder: ++this.#activity,
      lastMessage: record.lastMessage ?? null,
      version: record.version,
      live: isLiveChat(record.state.mode, record.state.status) ? 1 : 0,
      state: JSON.stringify(record.state),
    });
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const row = this.#q.get.get(id);
    return row && fromRow(row);
  }

  async putState(id: string, version: number, state: SessionState): Promise<boolean> {
    const live = isLiveChat(state.mode, state.status) ? 1 : 0;
    return this.#q.put.run(JSON.stringify(state), live, id, version).changes === 1;
  }

  async touch(id: string, now: number): Promise<void> {
    this.#q.touch.run(now, ++this.#activity, id);
  }

  async append(id: string, message: StoredMessage, clientKey: string | undefined, maxMessages: number, now: number, lastMessage: string): Promise<Appended> {
    // One transaction: the message, the cap and the list's summary land together or not at all.
    return this.#db.transaction((): Appended => {
      if (clientKey) {
        const known = this.#q.byKey.get(id, clientKey);
        if (known) return { seq: 0, message: parseMessage(known.data), duplicate: true };
      }
      const seq = Number(this.#q.addMessage.run(id, clientKey ?? null, JSON.stringify(message)).lastInsertRowid);
      this.#q.trim.run({ id, keep: maxMessages });
      this.#q.activity.run(now, ++this.#activity, lastMessage, seq, id);
      return { seq, message, duplicate: false };
    })();
  }

  async findByClientKey(id: string, clientKey: string): Promise<StoredMessage | undefined> {
    const row = this.#q.byKey.get(id, clientKey);
    return row && parseMessage(row.data);
  }

  async messages(id: string, afterSeq = 0): Promise<SequencedMessage[]> {
    return this.#q.messages.all(id, afterSeq).map((row) => ({ seq: row.seq, message: parseMessage(row.data) }));
  }

  async count(): Promise<number> {
    return this.#q.count.get()?.n ?? 0;
  }

  async live(): Promise<SessionRecord[]> {
    return this.#q.live.all().map(fromRow);
  }

  async recent(limit: number): Promise<SessionRecord[]> {
    return this.#q.recent.all(limit).map(fromRow);
  }

  async idle(cutoff: number): Promise<string[]> {
    return this.#q.idle.all(cutoff).map((row) => row.id);
  }

  async retain(): Promise<void> {
    // Rows do not expire by themselves: only the sweep removes them.
  }

  async remove(id: string): Promise<boolean> {
    this.#sockets.delete(id);
    // The messages go with it (ON DELETE CASCADE).
    return this.#q.remove.run(id).changes === 1;
  }

  async sockets(id: string, delta: SocketCounts): Promise<SocketCounts> {
    const counts = this.#sockets.get(id) ?? { all: 0, visitor: 0 };
    const next = { all: Math.max(0, counts.all + delta.all), visitor: Math.max(0, counts.visitor + delta.visitor) };
    if (next.all === 0 && next.visitor === 0) this.#sockets.delete(id);
    else this.#sockets.set(id, next);
    return next;
  }

  async instanceAlive(instanceId: string): Promise<boolean> {
    // One process: an owner from before a restart is gone.
    return instanceId === this.instanceId;
  }

  async take(name: string, key: string, rate: Rate): Promise<Take> {
    let limiter = this.#limiters.get(name);
    if (!limiter || limiter.rate.limit !== rate.limit || limiter.rate.windowMs !== rate.windowMs) {
      limiter = new RateLimiter(rate, this.clock);
      this.#limiters.set(name, limiter);
    }
    return limiter.take(key);
  }

  pruneLimits(): void {
    for (const limiter of this.#limiters.values()) limiter.prune();
  }

  publish(event: HubEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  subscribe(listener: (event: HubEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onResync(): () => void {
    // Nothing is ever missed within one process.
    return () => {};
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    if (this.#db.open) this.#db.close();
  }
}

function migrate(db: Database.Database): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) throw new Error(`The data file was written by a newer server (schema ${version}); this one reads up to ${SCHEMA_VERSION}.`);
  if (version === SCHEMA_VERSION) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY,
      chatbot_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_activity INTEGER NOT NULL,
      activity_order INTEGER NOT NULL,
      last_message TEXT,
      last_seq INTEGER NOT NULL,
      version INTEGER NOT NULL,
      live INTEGER NOT NULL,
      state TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sessions_activity ON sessions (activity_order);
    CREATE INDEX IF NOT EXISTS sessions_idle ON sessions (last_activity);
    CREATE INDEX IF NOT EXISTS sessions_live ON sessions (live) WHERE live = 1;
    CREATE TABLE IF NOT EXISTS messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      client_key TEXT,
      data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS messages_session ON messages (session_id, seq);
    CREATE UNIQUE INDEX IF NOT EXISTS messages_client_key ON messages (session_id, client_key) WHERE client_key IS NOT NULL;
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
}

function fromRow(row: SessionRow): SessionRecord {
  let state: unknown;
  try {
    state = JSON.parse(row.state);
  } catch {
    state = undefined;
  }
  return parseRecord(
    SessionRecord,
    {
      id: row.id,
      chatbotId: row.chatbot_id,
      createdAt: row.created_at,
      lastActivity: row.last_activity,
      activityOrder: row.activity_order,
      ...(row.last_message !== null && { lastMessage: row.last_message }),
      lastSeq: row.last_seq,
      version: row.version,
      state,
    },
    `session ${row.id}`,
  );
}

function parseMessage(data: string): StoredMessage {
  return parseRecord(StoredMessageSchema, JSON.parse(data), 'message');
}
