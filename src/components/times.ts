/**
 * Message times in the panel's language, with `Intl.DateTimeFormat`: the short time a row
 * shows, the full date and time assistive technology reads, and the day a separator shows
 * where the conversation's day changes. Formatters are made once per language.
 */
const formats = {
  time: { hour: 'numeric', minute: '2-digit' },
  full: { dateStyle: 'full', timeStyle: 'medium' },
  day: { weekday: 'long', day: 'numeric', month: 'long' },
  dayOfYear: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const cache = new Map<string, Intl.DateTimeFormat>();

function format(lang: string, kind: keyof typeof formats, date: Date): string {
  const key = `${lang}|${kind}`;
  let formatter = cache.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(lang, formats[kind]);
    } catch {
      // A tag Intl rejects: the runtime's own language, not a broken row.
      formatter = new Intl.DateTimeFormat(undefined, formats[kind]);
    }
    cache.set(key, formatter);
  }
  return formatter.format(date);
}

/** The date of an ISO time, or null when it is not one. */
export function dateOf(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The visitor's calendar day of a time (local time zone), for comparing two messages. */
export const dayKey = (date: Date): string => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;

export const shortTime = (date: Date, lang: string): string => format(lang, 'time', date);

export const fullTime = (date: Date, lang: string): string => format(lang, 'full', date);

/** The day, with its year when it is not this year's. */
export const dayName = (date: Date, lang: string, now = new Date()): string =>
  format(lang, date.getFullYear() === now.getFullYear() ? 'day' : 'dayOfYear', date);
