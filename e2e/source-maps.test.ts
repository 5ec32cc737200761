/**
 * The built bundles' source maps point at the right source lines: an error thrown inside the
 * element, from the script-tag bundle in Chromium, maps through `webchat-agent.iife.js.map`
 * back to the line of `src/components/webchat-agent.ts` that made the call, below the Lit
 * templates whose whitespace the build squeezes out (scripts/minify-templates.mjs).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import type { Browser } from 'playwright-core';
import { root } from './paths.mjs';
import { launchChromium } from './support.ts';

const BUNDLE = 'https://bundle.test/webchat-agent.iife.js';
let browser: Browser;

/** The 1-based line of `needle` in a source file. */
function lineOf(file: string, needle: string): number {
  const lines = readFileSync(`${root}${file}`, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `${needle} in ${file}`);
  return index + 1;
}

/** Where a bundle frame `line:column` (1-based, as stack traces say) comes from. */
function original(bundle: string, line: number, column: number) {
  const map = new SourceMap(JSON.parse(readFileSync(`${root}dist/${bundle}.map`, 'utf8')));
  const entry = map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number };
  return { source: entry.originalSource ?? '', line: (entry.originalLine ?? -1) + 1 };
}

describe('source maps of the built bundles', { timeout: 60_000 }, () => {
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it("a stack frame inside the element maps back to its source line", async () => {
    const page = await browser.newPage();
    // The bundle and the parts it loads from beside itself (the panel's, once it opens).
    await page.route(/^https:\/\/bundle\.test\/[\w.-]+\.js(\?.*)?$/, (route) => route.fulfill({ path: `${root}dist/${new URL(route.request().url()).pathname.slice(1)}`, contentType: 'text/javascript; charset=utf-8' }));
    await page.route('https://bundle.test/', (route) => route.fulfill({ body: `<!doctype html><script src="${BUNDLE}"></script>`, contentType: 'text/html' }));
    await page.goto('https://bundle.test/');
    // A call the element makes after its templates in the file (the panel's textarea,
    // looked up to take the focus when the panel opens), made to throw: its frame is the
    // one to map.
    const stack = (await page.evaluate(`new Promise((resolve) => {
      const query = ShadowRoot.prototype.querySelector;
      ShadowRoot.prototype.querySelector = function (selector) {
        if (selector === 'textarea') throw new Error('from the element');
        return query.call(this, selector);
      };
      addEventListener('error', (event) => resolve(event.error.stack));
      addEventListener('unhandledrejection', (event) => resolve(event.reason.stack));
      const el = document.createElement('webchat-agent');
      document.body.append(el);
      el.updateComplete.then(() => el.show());
    })`)) as string;
    const frame = stack.split('\n').map((line) => /webchat-agent\.iife\.js:(\d+):(\d+)/.exec(line)).find(Boolean);
    assert.ok(frame, `a bundle frame in:\n${stack}`);
    const from = original('webchat-agent.iife.js', Number(frame[1]), Number(frame[2]));
    assert.match(from.source, /src\/components\/webchat-agent\.ts$/);
    assert.equal(from.line, lineOf('src/components/webchat-agent.ts', "return this.renderRoot.querySelector('textarea')"));
    await page.close();
  });
});
