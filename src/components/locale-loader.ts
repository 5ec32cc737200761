// Loads one locale's texts (ES build: each locale a chunk of its own, found by the bundler).
// The script-tag build swaps this file for locale-loader.iife.ts (vite.config.ts).
import type { Translation } from './strings.ts';

type Module = Promise<{ default: Translation }>;

const locales: Record<string, () => Module> = {
  de: () => import('./locales/de.ts'),
  fr: () => import('./locales/fr.ts'),
  es: () => import('./locales/es.ts'),
  it: () => import('./locales/it.ts'),
  nl: () => import('./locales/nl.ts'),
  pt: () => import('./locales/pt.ts'),
  pl: () => import('./locales/pl.ts'),
  sv: () => import('./locales/sv.ts'),
  da: () => import('./locales/da.ts'),
  nb: () => import('./locales/nb.ts'),
  fi: () => import('./locales/fi.ts'),
  cs: () => import('./locales/cs.ts'),
  tr: () => import('./locales/tr.ts'),
  ru: () => import('./locales/ru.ts'),
  uk: () => import('./locales/uk.ts'),
  ar: () => import('./locales/ar.ts'),
  he: () => import('./locales/he.ts'),
  fa: () => import('./locales/fa.ts'),
  ja: () => import('./locales/ja.ts'),
  'zh-Hans': () => import('./locales/zh-Hans.ts'),
  'zh-Hant': () => import('./locales/zh-Hant.ts'),
  ko: () => import('./locales/ko.ts'),
};

export const loadLocale = (locale: string): Module => locales[locale]!();
