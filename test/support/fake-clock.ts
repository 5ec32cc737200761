/** A manual clock and timers for tests of backoff and timeouts (the only fakes allowed). */
export interface FakeClock {
  now(): number;
  timers: { setTimeout(callback: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  /** Delays of the timers still pending, soonest first. */
  pending(): number[];
  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void;
}

export function fakeClock(start = Date.now()): FakeClock {
  let time = start;
  let sequence = 0;
  const queue = new Map<number, { at: number; callback: () => void }>();
  const due = () => [...queue.entries()].sort(([a, x], [b, y]) => x.at - y.at || a - b);
  return {
    now: () => time,
    timers: {
      setTimeout(callback, ms) {
        queue.set(++sequence, { at: time + Math.max(0, ms), callback });
        return sequence;
      },
      clearTimeout(handle) {
        queue.delete(handle as number);
      },
    },
    pending: () => due().map(([, timer]) => timer.at - time),
    advance(ms) {
      const end = time + ms;
      for (let next = due()[0]; next && next[1].at <= end; next = due()[0]) {
        queue.delete(next[0]);
        time = next[1].at;
        next[1].callback();
      }
      time = end;
    },
  };
}
