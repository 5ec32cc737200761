/**
 * The server's state behind one interface: sessions, their messages, agents' takeovers,
 * expiry, socket counts, rate limits and the events that fan out to every instance.
 * `sqlite.ts` keeps it in one process (a file, or memory for tests); `redis.ts` shares it
 * between instances.
 */
import type { Agent, LiveStatus, Mode, Sender } from '../../src/core/protocol.ts';
import type { Rate, Take } from '../rate-limit.ts';
import type { SequencedMessage, SessionRecord, SessionState, StoredMessage } from './records.ts';

export type EndedBy = 'user' | 'admin' | 'timeout';

/** What happened to a session, as every instance's hub hears it. Plain JSON: it crosses Redis. */
export type HubEvent =
  | { type: 'message'; sessionId: string; chatbotId: string; seq: number; message: StoredMessage }
  | { type: 'status'; sessionId: string; chatbotId: string; mode: Mode; status?: LiveStatus; agent: Agent | null }
  | { type: 'ended'; sessionId: string; chatbotId: string; by: EndedBy }
  /** `except` is the socket that typed (`instanceId/socketId`): it gets no echo. */
  | { type: 'typing'; sessionId: string; chatbotId: string; sender: Sender; isTyping: boolean; except: string }
  | { type: 'presence'; sessionId: string; chatbotId: string; visitor: 'left' | 'back'; at: string }
  /** Only what the console's list shows changed (page, identity, a new session). */
  | { type: 'changed'; sessionId: string; chatbotId: string }
  | { type: 'removed'; sessionId: string; chatbotId: string };

export interface SocketCounts {
  /** Every socket joined to the session, agents' included. */
  all: number;
  /** Visitor sockets (`user`, `widget`). */
  visitor: number;
}

export interface Appended {
  seq: number;
  message: StoredMessage;
  /** The client key was known: nothing was stored, `message` is the original. */
  duplicate: boolean;
}

export interface Store {
  /** This process's id among the instances sharing the store. */
  readonly instanceId: string;
  readonly kind: 'sqlite' | 'redis';

  create(record: SessionRecord): Promise<void>;
  get(id: string): Promise<SessionRecord | undefined>;
  /** Writes `state` only if the stored version is still `version` (then it becomes `version + 1`). */
  putState(id: string, version: number, state: SessionState): Promise<boolean>;
  /** Marks activity: idle expiry and the list's order count from here. */
  touch(id: string, now: number): Promise<void>;
  /**
   * Stores a message at the end of the session, unless `clientKey` is already known there;
   * drops the oldest past `maxMessages` (their keys with them).
   */
  append(id: string, message: StoredMessage, clientKey: string | undefined, maxMessages: number, now: number, lastMessage: string): Promise<Appended>;
  findByClientKey(id: string, clientKey: string): Promise<StoredMessage | undefined>;
  /** The session's messages in order, optionally only those after `afterSeq`. */
  messages(id: string, afterSeq?: number): Promise<SequencedMessage[]>;
  count(): Promise<number>;
  /** Every waiting or open session. */
  live(): Promise<SessionRecord[]>;
  /** The `limit` most recently active sessions. */
  recent(limit: number): Promise<SessionRecord[]>;
  /** Ids of sessions idle since `cutoff` (epoch ms) or before. */
  idle(cutoff: number): Promise<string[]>;
  /** Keeps an idle session that sockets still use from expiring, without marking activity. */
  retain(id: string): Promise<void>;
  /** Deletes a session; true for the one caller that actually removed it. */
  remove(id: string): Promise<boolean>;

  /** Adds `delta` to this instance's sockets on the session; the totals over live instances. */
  sockets(id: string, delta: SocketCounts): Promise<SocketCounts>;
  /** Whether the instance with this id is still running (its sockets still count). */
  instanceAlive(instanceId: string): Promise<boolean>;

  /** Takes one token from the bucket `name:key`, shared by every instance. */
  take(name: string, key: string, rate: Rate, now: number): Promise<Take>;
  /** Forgets refilled buckets (stores whose buckets expire by themselves do nothing). */
  pruneLimits(now: number): void;

  /** Delivers at once to this instance's subscribers, and to every other instance's. */
  publish(event: HubEvent): void;
  subscribe(listener: (event: HubEvent) => void): () => void;
  /** Called after events from other instances may have been missed (a lost connection). */
  onResync(listener: () => void): () => void;

  close(): Promise<void>;
}

/** The store could not be reached: the sender is told, nothing is half-done silently. */
export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super('The session store is unavailable.', { cause });
  }
}
