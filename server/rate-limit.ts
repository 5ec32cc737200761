/** A token bucket per key: `limit` actions per `windowMs`, refilled continuously. */
import { systemClock, type Clock } from './clock.ts';

export interface Rate {
  limit: number;
  windowMs: number;
}

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly rate: Rate,
    private readonly clock: Clock = systemClock,
  ) {}

  take(key: string): Take {
    const now = this.clock.now();
    const perMs = this.rate.limit / this.rate.windowMs;
    const bucket = this.#buckets.get(key) ?? { tokens: this.rate.limit, at: now };
    bucket.tokens = Math.min(this.rate.limit, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }

  /** Forgets keys whose bucket has refilled: they behave exactly like new ones. */
  prune(): void {
    const now = this.clock.now();
    for (const [key, bucket] of this.#buckets) {
      if (now - bucket.at >= this.rate.windowMs) this.#buckets.delete(key);
    }
  }
}
