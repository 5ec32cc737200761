// The agent console's browser tests share this: the console built as `npm start` builds it
// (its bundle imports the core's schemas), then one Debian Chromium for the suite.
import { after, before } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { buildConsole } from '../../scripts/console.mjs';

/** The suite's browser, launched before its tests and closed after them. */
export function useConsoleBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    await buildConsole();
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser!;
}
