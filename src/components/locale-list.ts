/** The shipped locales besides the built-in English: one file each (src/components/locales/),
 * which the build also reads (vite.config.ts), so this module imports nothing. */
export const LOCALES = ['de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'nb', 'fi', 'cs', 'tr', 'ru', 'uk', 'ar', 'he', 'fa', 'ja', 'zh-Hans', 'zh-Hant', 'ko'] as const;
