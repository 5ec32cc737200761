/** A manual clock for the server's timers: tests move time with `advance` instead of waiting. */
import type { Clock } from '../clock.ts';

export interface FakeClock extends Clock {
  /** Delays of the timers still pending, soonest first. */
  pending(): number[];
  /** Moves time forward, running every timer that falls due, in order (intervals again and again). */
  advance(ms: number): void;
}

interface Timer {
  at: number;
  callback: () => void;
  /** Set for an interval: it is scheduled again this much later each time it runs. */
  every?: number;
}

/**
 * Server options for tests that are not about pings: a clock moved past two ping rounds at
 * once would close sockets that had no moment to answer the first.
 */
export const NO_PINGS = { pingIntervalMs: 24 * 60 * 60_000 };

/** Starts at a fixed instant, so timestamps in assertions are predictable. */
export const FAKE_START = Date.parse('2030-01-07T09:00:00.000Z');

export function fakeClock(start = FAKE_START): FakeClock {
  let time = start;
  let sequence = 0;
  const timers = new Map<number, Timer>();
  const add = (timer: Timer) => {
    timers.set(++sequence, timer);
    return sequence;
  };
  const remove = (handle: unknown) => void timers.delete(handle as number);
  const due = () => [...timers.entries()].sort(([a, x], [b, y]) => x.at - y.at || a - b);
  return {
    now: () => time,
    setTimeout: (callback, ms) => add({ at: time + Math.max(0, ms), callback }),
    clearTimeout: remove,
    // At least 1 ms apart: an interval of 0 would run forever within one advance.
    setInterval: (callback, ms) => add({ at: time + Math.max(1, ms), callback, every: Math.max(1, ms) }),
    clearInterval: remove,
    pending: () => due().map(([, timer]) => timer.at - time),
    advance(ms) {
      const end = time + ms;
      for (let next = due()[0]; next && next[1].at <= end; next = due()[0]) {
        const [handle, timer] = next;
        time = timer.at;
        if (timer.every) timer.at += timer.every;
        else timers.delete(handle);
        timer.callback();
      }
      time = end;
    },
  };
}
