/**
 * The shared store: every instance on one Redis. Sessions are hashes, transcripts capped
 * lists, both with TTLs refreshed by activity; state changes are compare-and-set scripts;
 * events fan out over one pub/sub channel. An instance hears its own events at once, in
 * process, and the others' through Redis; after a lost connection it asks its hub to catch
 * up from the store, so a gap in pub/sub never loses a message.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { isLiveChat } from '../../src/core/protocol.ts';
import type { Clock } from '../clock.ts';
import type { Rate, Take } from '../rate-limit.ts';
import { parseRecord, SessionRecord, StoredMessageSchema, type SequencedMessage, type SessionState, type StoredMessage } from './records.ts';
import { APPEND, PUT_STATE, SOCKETS, TAKE, TOUCH } from './redis-scripts.ts';
import { StoreUnavailable, type Appended, type HubEvent, type SocketCounts, type Store } from './store.ts';

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key and the channel: several deployments may share one Redis. Default `wc:`. */
  prefix?: string;
  /** Keys of a session live this long after its last activity (its sweep comes first). */
  ttlMs: number;
}

/** An instance that stops refreshing its key for this long counts as gone: its sockets and takeovers lapse. */
const INSTANCE_TTL_MS = 15_000;
const HEARTBEAT_MS = 5_000;

export class RedisStore implements Store {
  readonly instanceId = randomUUID();
  readonly kind = 'redis';
  readonly #redis: Redis;
  readonly #sub: Redis;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #ttl: string;
  readonly #listeners = new Set<(event: HubEvent) => void>();
  readonly #resync = new Set<() => void>();
  readonly #shas = new Map<string, string>();
  #heartbeat: unknown;
  #lostSubscription = false;
  #closing = false;

  private constructor(
    options: RedisStoreOptions,
    private readonly clock: Clock,
  ) {
    this.#prefix = options.prefix ?? 'wc:';
    this.#channel = `${this.#prefix}events`;
    this.#ttl = String(options.ttlMs);
    const connection: RedisOptions = {
      // Commands wait through a short outage (a restart, a failover) and are sent once Redis is
      // back; after six reconnection attempts (two to three seconds) they fail unsent, and the
      // sender hears about it. Attempts stay frequent, so that budget never grows.
      maxRetriesPerRequest: 6,
      retryStrategy: (times) => Math.min(times * 100, 500),
      enableOfflineQueue: true,
      autoResendUnfulfilledCommands: true,
      lazyConnect: true,
    };
    this.#redis = new Redis(options.url, connection);
    this.#sub = new Redis(options.url, { ...connection, maxRetriesPerRequest: null });
    // ioredis logs unhandled connection errors itself; a reconnecting store is not a crash.
    this.#redis.on('error', () => {});
    this.#sub.on('error', () => {});
    this.#sub.on('message', (_channel: string, text: string) => this.#onMessage(text));
    this.#sub.on('close', () => {
      if (!this.#closing) this.#lostSubscription = true;
    });
    this.#sub.on('ready', () => void this.#resubscribed());
  }

  static async connect(options: RedisStoreOptions, clock: Clock): Promise<RedisStore> {
    const store = new RedisStore(options, clock);
    try {
      await Promise.all([store.#redis.connect(), store.#sub.connect()]);
      await store.#sub.subscribe(store.#channel);
      await store.#beat();
    } catch (error) {
      // Not reachable at start: say so now rather than retry in the background forever.
      store.#closing = true;
      store.#redis.disconnect();
      store.#sub.disconnect();
      throw new Error(`Redis is not reachable: ${(error as Error).message}`, { cause: error });
    }
    store.#heartbeat = clock.setInterval(() => void store.#beat().catch(() => {}), HEARTBEAT_MS);
    return store;
  }

  #key(kind: string, id: string): string {
    return `${this.#prefix}${kind}:${id}`;
  }

  /** The keys every session script takes, in the order the scripts expect. */
  #sessionKeys(id: string): string[] {
    return [this.#key('s', id), this.#key('m', id), this.#key('k', id), `${this.#prefix}recent`, `${this.#prefix}idle`, `${this.#prefix}order`];
  }

  async #beat(): Promise<void> {
    await this.#redis.set(this.#key('instance', this.instanceId), '1', 'PX', INSTANCE_TTL_MS);
  }

  /** Runs a script by its hash, loading it again when Redis has forgotten it (after a restart). */
  async #script(source: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.#shas.get(source);
    if (!sha) {
      sha = createHash('sha1').update(source).digest('hex');
      this.#shas.set(source, sha);
    }
    return this.#call(async () => {
      try {
        return await this.#redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
        return await this.#redis.eval(source, keys.length, ...keys, ...args);
      }
    });
  }

  /** A Redis failure (down, timed out) becomes StoreUnavailable; a bug in a reply stays itself. */
  async #call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw error instanceof Error && /schema/.test(error.message) ? error : new StoreUnavailable(error);
    }
  }

  async create(record: SessionRecord): Promise<void> {
    const [session, , , recent, idle, order] = this.#sessionKeys(record.id) as [string, string, string, string, string, string];
    await this.#call(async () => {
      const activity = await this.#redis.incr(order);
      const multi = this.#redis.multi();
      multi.hset(session, {
        id: record.id,
        chatbotId: record.chatbotId,
        createdAt: record.createdAt,
        lastActivity: record.lastActivity,
        activityOrder: activity,
        version: record.version,
        seq: 0,
        state: JSON.stringify(record.state),
        ...(record.lastMessage !== undefined && { lastMessage: record.lastMessage }),
      });
      multi.pexpire(session, this.#ttl);
      multi.zadd(recent, activity, record.id);
      multi.zadd(idle, record.lastActivity, record.id);
      if (isLiveChat(record.state.mode, record.state.status)) multi.sadd(`${this.#prefix}live`, record.id);
      await multi.exec();
    });
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const hash = await this.#call(() => this.#redis.hgetall(this.#key('s', id)));
    return fromHash(id, hash);
  }

  async putState(id: string, version: number, state: SessionState): Promise<boolean> {
    const live = isLiveChat(state.mode, state.status) ? '1' : '0';
    const done = await this.#script(PUT_STATE, [this.#key('s', id), `${this.#prefix}live`], [version, JSON.stringify(state), live, id, this.#ttl]);
    return done === 1;
  }

  async touch(id: string, now: number): Promise<void> {
    await this.#script(TOUCH, this.#sessionKeys(id), [id, now, this.#ttl]);
  }

  async append(id: string, message: StoredMessage, clientKey: string | undefined, maxMessages: number, now: number, lastMessage: string): Promise<Appended> {
    // A message without a client key is keyed by its own id: a command Redis ran but whose
    // reply was lost is resent after a reconnect, and must not store the message twice.
    const key = clientKey ?? `#${message.id}`;
    const reply = (await this.#script(APPEND, this.#sessionKeys(id), [id, JSON.stringify(message), key, maxMessages, now, lastMessage, this.#ttl])) as [number, string?];
    if (reply[0] === -1) throw new Error(`append: no session ${id}`);
    if (reply[0] === 0) return { seq: 0, message: parseMessage(reply[1]!), duplicate: true };
    return { seq: reply[0], message, duplicate: false };
  }

  async findByClientKey(id: string, clientKey: string): Promise<StoredMessage | undefined> {
    const known = await this.#call(() => this.#redis.hget(this.#key('k', id), clientKey));
    return known === null ? undefined : parseMessage(known);
  }

  async messages(id: string, afterSeq = 0): Promise<SequencedMessage[]> {
    const entries = await this.#call(() => this.#redis.lrange(this.#key('m', id), 0, -1));
    return entries
      .map((entry) => JSON.parse(entry) as { seq: number; message: unknown })
      .filter((entry) => entry.seq > afterSeq)
      .map((entry) => ({ seq: entry.seq, message: parseRecord(StoredMessageSchema, entry.message, `message of ${id}`) }));
  }

  async count(): Promise<number> {
    return this.#call(() => this.#redis.zcard(`${this.#prefix}recent`));
  }

  async live(): Promise<SessionRecord[]> {
    const ids = await this.#call(() => this.#redis.smembers(`${this.#prefix}live`));
    return this.#records(ids, (missing) => this.#redis.srem(`${this.#prefix}live`, ...missing));
  }

  async recent(limit: number): Promise<SessionRecord[]> {
    const ids = await this.#call(() => this.#redis.zrevrange(`${this.#prefix}recent`, 0, limit - 1));
    return this.#records(ids, (missing) => this.#redis.zrem(`${this.#prefix}recent`, ...missing));
  }

  /** The sessions of these ids, in order; ids whose keys expired are dropped from the index. */
  async #records(ids: string[], forget: (missing: string[]) => Promise<unknown>): Promise<SessionRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.#key('s', id));
    const replies = (await this.#call(() => pipeline.exec())) ?? [];
    const records: SessionRecord[] = [];
    const missing: string[] = [];
    replies.forEach(([error, hash], index) => {
      if (error) throw new StoreUnavailable(error);
      const record = fromHash(ids[index]!, hash as Record<string, string>);
      if (record) records.push(record);
      else missing.push(ids[index]!);
    });
    if (missing.length > 0) await this.#call(() => forget(missing));
    return records;
  }

  async idle(cutoff: number): Promise<string[]> {
    return this.#call(() => this.#redis.zrangebyscore(`${this.#prefix}idle`, '-inf', cutoff));
  }

  async retain(id: string): Promise<void> {
    const [session, messages, keys] = this.#sessionKeys(id) as [string, string, string];
    await this.#call(() => this.#redis.multi().pexpire(session, this.#ttl).pexpire(messages, this.#ttl).pexpire(keys, this.#ttl).exec());
  }

  async remove(id: string): Promise<boolean> {
    const [session, messages, keys, recent, idle] = this.#sessionKeys(id) as [string, string, string, string, string];
    const replies = await this.#call(() =>
      this.#redis.multi().del(session).del(messages, keys, this.#key('sock', id)).srem(`${this.#prefix}live`, id).zrem(recent, id).zrem(idle, id).exec(),
    );
    return replies?.[0]?.[1] === 1;
  }

  async sockets(id: string, delta: SocketCounts): Promise<SocketCounts> {
    const [all, visitor] = (await this.#script(SOCKETS, [this.#key('sock', id)], [this.instanceId, delta.all, delta.visitor, this.#prefix, this.#ttl])) as [number, number];
    return { all, visitor };
  }

  async instanceAlive(instanceId: string): Promise<boolean> {
    if (instanceId === this.instanceId) return true;
    return (await this.#call(() => this.#redis.exists(this.#key('instance', instanceId)))) === 1;
  }

  async take(name: string, key: string, rate: Rate, now: number): Promise<Take> {
    const [ok, retryAfterMs] = (await this.#script(TAKE, [this.#key(`rate:${name}`, key)], [rate.limit, rate.windowMs, now])) as [number, number];
    return ok === 1 ? { ok: true } : { ok: false, retryAfterMs };
  }

  pruneLimits(): void {
    // Buckets expire in Redis once they have refilled.
  }

  publish(event: HubEvent): void {
    for (const listener of this.#listeners) listener(event);
    // A publish that fails is caught up by the resync the lost connection causes elsewhere.
    this.#redis.publish(this.#channel, JSON.stringify({ origin: this.instanceId, event })).catch(() => {});
  }

  subscribe(listener: (event: HubEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onResync(listener: () => void): () => void {
    this.#resync.add(listener);
    return () => this.#resync.delete(listener);
  }

  #onMessage(text: string): void {
    let parsed: { origin?: string; event?: HubEvent };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.origin === this.instanceId || !parsed.event) return;
    for (const listener of this.#listeners) listener(parsed.event);
  }

  /** After a reconnect: subscribed again first, then caught up, so nothing falls in between. */
  async #resubscribed(): Promise<void> {
    if (!this.#lostSubscription) return;
    this.#lostSubscription = false;
    try {
      await this.#sub.subscribe(this.#channel);
      await this.#beat();
    } catch {
      this.#lostSubscription = true;
      return;
    }
    for (const listener of this.#resync) listener();
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.clock.clearInterval(this.#heartbeat);
    this.#listeners.clear();
    this.#resync.clear();
    await this.#redis.del(this.#key('instance', this.instanceId)).catch(() => {});
    this.#sub.disconnect();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

function fromHash(id: string, hash: Record<string, string>): SessionRecord | undefined {
  if (!hash.id) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(hash.state ?? '');
  } catch {
    state = undefined;
  }
  return parseRecord(
    SessionRecord,
    {
      id: hash.id,
      chatbotId: hash.chatbotId,
      createdAt: hash.createdAt,
      lastActivity: Number(hash.lastActivity),
      activityOrder: Number(hash.activityOrder),
      ...(hash.lastMessage !== undefined && { lastMessage: hash.lastMessage }),
      lastSeq: Number(hash.seq ?? 0),
      version: Number(hash.version),
      state,
    },
    `session ${id}`,
  );
}

function parseMessage(data: string): StoredMessage {
  return parseRecord(StoredMessageSchema, JSON.parse(data), 'message');
}
