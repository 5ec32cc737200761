/**
 * Message times in the panel's language, with `Intl.DateTimeFormat`: the short time a row
 * shows, the full date and time assistive technology reads, and the day a separator shows
 * where the conversation's day changes (with its year when not this year's). Formatters are
 * made once per language and kind.
 */
const day: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
const kinds = {
  time: { hour: 'numeric', minute: '2-digit' },
  full: { dateStyle: 'full', timeStyle: 'medium' },
  day,
  year: { ...day, year: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const cache = new Map<string, Intl.DateTimeFormat>();

/**
 * A page's first date formatter costs 30–70 ms in Chromium (ICU loads its date data; every
 * later one costs well under a millisecond), as much as the rest of restoring a long
 * conversation. The rows therefore paint first and show their times as soon as the page is
 * idle after that frame (within IDLE_MS): the rows keep the times' room meanwhile, so
 * nothing moves when they come.
 */
const waiting: (() => void)[] = [];
const IDLE_MS = 150;

/** Whether times format at once: once the page has made a formatter. */
export function timesReady(): boolean {
  return cache.size > 0;
}

/** Calls `done` once times format at once, having made the first formatter when the page
 * was next idle after a frame. */
export function whenTimesReady(lang: string, done: () => void): void {
  if (timesReady()) return done();
  // The first to wait schedules the formatter; the others wait with it.
  if (waiting.push(done) > 1) return;
  const prepare = () => {
    formatter(lang, 'time');
    for (const callback of waiting.splice(0)) callback();
  };
  const { requestIdleCallback: idle, requestAnimationFrame: frame } = globalThis as {
    requestIdleCallback?: (f: () => void, options: { timeout: number }) => void;
    requestAnimationFrame?: (f: () => void) => void;
  };
  // Where there are no frames (a test DOM without them), the next task.
  (frame ?? setTimeout)(() => (idle ? idle(prepare, { timeout: IDLE_MS }) : setTimeout(prepare)));
}

/** Short times, by language and minute: every message of a minute shows the same one, and
 * formatting is a good part of building thousands of rows. Bounded. */
const shortTimes = new Map<string, string>();

export function formatDate(date: Date, lang: string, kind: keyof typeof kinds): string {
  if (kind === 'time') {
    const minute = `${lang} ${Math.floor(date.getTime() / 60_000)}`;
    let text = shortTimes.get(minute);
    if (text === undefined) {
      if (shortTimes.size >= 1024) shortTimes.clear();
      shortTimes.set(minute, (text = formatter(lang, kind).format(date)));
    }
    return text;
  }
  return formatter(lang, kind).format(date);
}

function formatter(lang: string, kind: keyof typeof kinds): Intl.DateTimeFormat {
  const key = lang + kind;
  let formatter = cache.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(lang, kinds[kind]);
    } catch {
      // A tag Intl rejects: the runtime's own language, not a broken row.
      formatter = new Intl.DateTimeFormat(undefined, kinds[kind]);
    }
    cache.set(key, formatter);
  }
  return formatter;
}

/** The date of an ISO time, or null when it is not one. */
export function dateOf(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
