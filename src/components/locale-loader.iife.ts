// The script-tag build's way to a locale: `webchat-agent.locale-<tag>.js` beside the script
// itself (part-url.ts). A same-origin module import is all the strict CSP allows, and all
// this needs.
import { partUrl } from '../core/part-url.ts';
import type { Translation } from './strings.ts';

export const loadLocale = (locale: string): Promise<{ default: Translation }> => import(/* @vite-ignore */ partUrl(`locale-${locale}`));
