/**
 * The script-tag bundle carries what every visitor needs; what only some need comes from
 * beside the script when it is first needed. Here: what sending a file takes (reading it,
 * its bytes on the wire) is not in `webchat-agent.iife.js`, and the first `sendFile` loads
 * `webchat-agent.uploads.js` from the script's own folder, under a strict CSP; the file UI
 * (`webchat-agent.files.js`) comes the same way for a message with files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { root } from './paths.mjs';
import { launchChromium } from './support.ts';

const ORIGIN = 'https://site.test';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; require-trusted-types-for 'script'";
let browser: Browser;

describe('parts of the script-tag build loaded when needed', { timeout: 60_000 }, () => {
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('the upload code is not in the main bundle', () => {
    const main = readFileSync(`${root}dist/webchat-agent.iife.js`, 'utf8');
    const part = readFileSync(`${root}dist/webchat-agent.uploads.js`, 'utf8');
    assert.equal(main.includes('XMLHttpRequest'), false);
    assert.equal(part.includes('XMLHttpRequest'), true);
  });

  it('the file UI is not in the main bundle, and its part carries no second Lit', () => {
    const main = readFileSync(`${root}dist/webchat-agent.iife.js`, 'utf8');
    const part = readFileSync(`${root}dist/webchat-agent.files.js`, 'utf8');
    assert.equal(main.includes('attachment-image'), false);
    assert.equal(part.includes('attachment-image'), true);
    // Lit's template markers and result type: in the main bundle, never in the part.
    for (const mark of ['_$litType$', 'lit$']) {
      assert.equal(main.includes(mark), true, `the main bundle has ${mark}`);
      assert.equal(part.includes(mark), false, `the part has no ${mark}`);
    }
  });

  it('a message with files loads webchat-agent.files.js from beside the script, under the strict CSP, and shows them', async () => {
    const page = await browser.newPage();
    const fetched: string[] = [];
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Trusted Type/i.test(message.text())) violations.push(message.text());
    });
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      fetched.push(path);
      if (path === '/') {
        return route.fulfill({
          body: '<!doctype html><html lang="en"><script src="/assets/chat/webchat-agent.iife.js"></script><webchat-agent chatbot-id="demo" base-url="https://site.test" persist="local" layout="inline"></webchat-agent>',
          contentType: 'text/html; charset=utf-8',
          headers: { 'Content-Security-Policy': CSP },
        });
      }
      const file = /^\/assets\/chat\/(webchat-agent\.[\w.-]+\.js)$/.exec(path)?.[1];
      if (file) return route.fulfill({ path: `${root}dist/${file}`, contentType: 'text/javascript; charset=utf-8' });
      return route.fulfill({ status: 404, body: '{}', contentType: 'application/json' });
    });
    // A kept conversation whose agent sent a picture and a PDF.
    const kept = {
      sessionId: 's-1',
      mode: 'bot',
      status: null,
      messages: [{ id: 'a1', sender: 'admin', content: 'Here', html: false, sources: [], createdAt: new Date().toISOString(), attachments: [
        { id: 'f1', name: 'photo.png', type: 'image/png', size: 2048, url: '/api/chat/files/f1/k' },
        { id: 'f2', name: 'manual.pdf', type: 'application/pdf', size: 4096, url: '/api/chat/files/f2/k' },
      ] }],
    };
    await page.addInitScript(`localStorage.setItem('webchat-agent:demo', ${JSON.stringify(JSON.stringify(kept))})`);
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(`document.querySelector('webchat-agent')?.shadowRoot?.querySelector('a[part=attachment-image] img[alt="photo.png"]') && document.querySelector('webchat-agent').shadowRoot.querySelector('a[part=attachment-file][download]')`);
    assert.ok(fetched.includes('/assets/chat/webchat-agent.files.js'), `fetched: ${fetched.join(', ')}`);
    const href = await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('a[part=attachment-file]').href`);
    assert.equal(href, `${ORIGIN}/api/chat/files/f2/k`);
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('the first sendFile loads webchat-agent.uploads.js from beside the script, under the strict CSP', async () => {
    const page = await browser.newPage();
    const fetched: string[] = [];
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Trusted Type/i.test(message.text())) violations.push(message.text());
    });
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      fetched.push(path);
      if (path === '/') {
        return route.fulfill({
          body: '<!doctype html><html lang="en"><script src="/assets/chat/webchat-agent.iife.js"></script><webchat-agent chatbot-id="demo" base-url="https://site.test" persist="none"></webchat-agent>',
          contentType: 'text/html; charset=utf-8',
          headers: { 'Content-Security-Policy': CSP },
        });
      }
      const file = /^\/assets\/chat\/(webchat-agent\.[\w.-]+\.js)$/.exec(path)?.[1];
      if (file) return route.fulfill({ path: `${root}dist/${file}`, contentType: 'text/javascript; charset=utf-8' });
      return route.fulfill({ status: 404, body: '{}', contentType: 'application/json' });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(`customElements.get('webchat-agent') !== undefined`);
    assert.equal(fetched.includes('/assets/chat/webchat-agent.uploads.js'), false, 'not before a file is sent');
    // The element's own client (files show in live chat only: here the core says why it can't).
    await page.evaluate(`document.querySelector('webchat-agent').chat.client.sendFile(new Blob(['hello'], { type: 'text/plain' }), { name: 'hello.txt' })`);
    assert.ok(fetched.includes('/assets/chat/webchat-agent.uploads.js'), `fetched: ${fetched.join(', ')}`);
    assert.deepEqual(violations, []);
    await page.close();
  });
});
