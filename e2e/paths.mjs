// Where the end-to-end tests read and write: shared by the tests and the scripts that run them.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUNDLES } from '../scripts/sizes.mjs';

// fileURLToPath, not URL.pathname: a checkout path with spaces stays a usable path.
export const root = fileURLToPath(new URL('..', import.meta.url));

/** The journey's screenshots, ignored by git: `npm run docs:screenshots` copies them into docs/. */
export const SCREENSHOT_DIR = `${root}test-results/screenshots/`;

/** The phone test's, apart: the journey empties its own folder when it starts, and the two
 * may run at the same time. */
export const PHONE_SCREENSHOT_DIR = `${root}test-results/phone-screenshots/`;

/** The files journey's, apart for the same reason. */
export const FILES_SCREENSHOT_DIR = `${root}test-results/files-screenshots/`;

/** Whether dist/ holds every bundle the end-to-end tests load (the demo page's, the core's). */
export function distBuilt() {
  return BUNDLES.every((file) => existsSync(`${root}dist/${file}`));
}
