/** Picks the store: Redis when a URL is given, else SQLite in `dataDir` (or in memory). */
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { Store } from './store.ts';

export interface StoreChoice {
  redisUrl?: string;
  redisPrefix?: string;
  dataDir?: string;
  clock: Clock;
  /** How long Redis keeps an idle session's keys. */
  ttlMs: number;
}

/** The file SQLite keeps everything in, under the data folder. */
export const DATA_FILE = 'webchat.sqlite';

export async function openStore(choice: StoreChoice): Promise<Store> {
  // Each driver is loaded only when chosen: a SQLite deployment never loads the Redis client.
  if (choice.redisUrl) {
    const { RedisStore } = await import('./redis.ts');
    return RedisStore.connect({ url: choice.redisUrl, ttlMs: choice.ttlMs, ...(choice.redisPrefix && { prefix: choice.redisPrefix }) }, choice.clock);
  }
  const { SqliteStore } = await import('./sqlite.ts');
  return new SqliteStore(choice.dataDir ? join(choice.dataDir, DATA_FILE) : ':memory:', choice.clock);
}
