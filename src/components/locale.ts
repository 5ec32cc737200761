/**
 * Which of the shipped locales the panel speaks, and its texts. English is built in; every
 * other locale is a file of its own, loaded on first use (locale-loader.ts) and kept for the
 * page's lifetime, so a second element in the same language renders at once.
 */
import { LOCALES } from './locale-list.ts';
import { loadLocale } from './locale-loader.ts';
import type { Translation } from './strings.ts';

export { LOCALES };
export type Locale = (typeof LOCALES)[number] | 'en';

const RTL: readonly string[] = ['ar', 'he', 'fa'];

/** Chinese by script: the regions that write traditional characters, else simplified. */
const TRADITIONAL = /^(tw|hk|mo|hant)$/;
/** Other languages' codes for a shipped one: Norwegian (`no`, and Nynorsk readers read
 * Bokmål) and the old codes of Hebrew. */
const ALIASES: Record<string, Locale> = { no: 'nb', nn: 'nb', iw: 'he' };

/** The shipped locale for one language tag, or null: `de-AT` is `de`, `zh-TW` is `zh-Hant`,
 * `pt-BR` is `pt`, `no` is `nb`. */
export function localeOf(tag: string): Locale | null {
  const [language = '', ...rest] = tag.trim().toLowerCase().replace(/_/g, '-').split('-');
  if (language === 'en') return 'en';
  if (language === 'zh') return rest.some((part) => TRADITIONAL.test(part)) && !rest.includes('hans') ? 'zh-Hant' : 'zh-Hans';
  return ALIASES[language] ?? (LOCALES as readonly string[]).find((locale) => locale === language) as Locale | undefined ?? null;
}

/** The first of the visitor's languages that a locale is shipped for; English when none is. */
export function matchLocale(requested: readonly (string | null | undefined)[]): Locale {
  for (const tag of requested) {
    const locale = tag ? localeOf(tag) : null;
    if (locale) return locale;
  }
  return 'en';
}

/** What the element's language is asked for: its own `lang` (`own`: the property, which
 * reaches the attribute only after the render) or its nearest ancestor's (across shadow
 * roots), else the browser's languages. */
export function requestedLanguages(element: Element, own?: string): string[] {
  if (own) return [own];
  for (let node: Element | null = element.parentElement ?? ((element.getRootNode() as ShadowRoot).host || null); node; ) {
    const lang = node.getAttribute('lang');
    if (lang) return [lang];
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
  }
  return [...(globalThis.navigator?.languages ?? [])];
}

export const isRtl = (locale: Locale): boolean => RTL.includes(locale);

const loaded = new Map<Locale, Translation>();
const loading = new Map<Locale, Promise<Translation | null>>();

/** The locale's texts when already here (English: none to load), else undefined. */
export const loadedLocale = (locale: Locale): Translation | undefined => loaded.get(locale);

/** Loads the locale's file once; null when it can't be had (the panel then stays English). */
export function fetchLocale(locale: Exclude<Locale, 'en'>): Promise<Translation | null> {
  let pending = loading.get(locale);
  if (!pending) {
    pending = loadLocale(locale).then(
      (module) => (loaded.set(locale, module.default), module.default),
      (error: unknown) => {
        console.warn(error);
        // Another render may try again.
        loading.delete(locale);
        return null;
      },
    );
    loading.set(locale, pending);
  }
  return pending;
}
