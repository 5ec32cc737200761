/**
 * The demo page on a phone, in Chromium's mobile emulation (390×844, touch, device scale
 * factor 3), on the built bundle: the open chat is a full-screen sheet; with the visual
 * viewport shrunk by 340 px, as an on-screen keyboard does, the header and the focused
 * composer stay inside it; and an app's bridge, injected before the page's scripts, hears
 * the events and sends a command. Chromium's automation has no on-screen keyboard: the
 * visual viewport is shrunk by a pinch zoom (CDP `Emulation.setPageScaleFactor`), which
 * leaves the layout viewport as it is, as the keyboard does in iOS and Chrome's default
 * `resizes-visual` mode. The safe-area insets of a notched phone come from CDP's
 * `Emulation.setSafeAreaInsetsOverride`. Screenshots of the sheet, light and dark, with and
 * without the keyboard (drawn: see drawn-keyboard.ts), go into test-results/
 * (`npm run docs:screenshots` copies them into docs/).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { drawKeyboard, STAND_IN_VISUAL_VIEWPORT } from './drawn-keyboard.ts';
import { PHONE_SCREENSHOT_DIR } from './paths.mjs';
import { launchChromium, startApp, type RunningApp } from './support.ts';

const TIMEOUT = 15_000;
const PHONE = { width: 390, height: 844 };
const KEYBOARD = 340;

let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

type Box = { top: number; bottom: number; left: number; width: number; height: number };

/** Boxes in the shadow root, relative to the layout viewport, and the visual viewport's.
 * Page scripts are strings: the test's transpiler would add helpers the page lacks. */
const GEOMETRY = `(() => {
  const root = document.querySelector('webchat-agent').shadowRoot;
  const box = (selector) => root.querySelector(selector).getBoundingClientRect().toJSON();
  const v = window.visualViewport;
  return { panel: box('[part=panel]'), header: box('[part=header]'), input: box('textarea'), viewport: { top: v.offsetTop, height: v.height } };
})()`;

function geometry(p: Page) {
  return p.evaluate(GEOMETRY) as Promise<{ panel: Box; header: Box; input: Box; viewport: { top: number; height: number } }>;
}

/** The app's channel, there before any of the page's scripts (WKUserScript, atDocumentStart). */
const FAKE_IOS_BRIDGE = `window.posted = [];
window.webkit = { messageHandlers: { webchatAgent: { postMessage(json) { window.posted.push(JSON.parse(json)); } } } };`;

describe('on a phone: the full-screen sheet, the keyboard, a native bridge', { timeout: 120_000 }, () => {
  before(async () => {
    mkdirSync(PHONE_SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 3, isMobile: true, hasTouch: true, colorScheme: 'light' });
    await context.addInitScript(FAKE_IOS_BRIDGE);
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('opens as a full-screen sheet, and the app hears it', async () => {
    await page.goto(`${app.url}/`);
    await page.getByRole('button', { name: 'Open chat' }).tap({ timeout: TIMEOUT });
    await page.locator('webchat-agent[sheet]').waitFor({ state: 'attached', timeout: TIMEOUT });
    const { panel } = await geometry(page);
    assert.deepEqual([panel.left, panel.top, panel.width, panel.height].map(Math.round), [0, 0, PHONE.width, PHONE.height]);
    assert.equal(await page.evaluate('getComputedStyle(document.documentElement).overflow'), 'hidden');
    const types = (await page.evaluate('window.posted.map((p) => p.type)')) as string[];
    assert.ok(types.includes('webchat-open'), `the app heard: ${types.join(', ')}`);
  });

  it("takes the app's command, and shows the sheet light and dark", async () => {
    await page.evaluate(`webchatAgentCommand({ command: 'send', text: 'How do I connect to the VPN?' })`);
    await page.locator('[part~="message-bot"]').first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: `${PHONE_SCREENSHOT_DIR}phone-sheet-light.png`, scale: 'css' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${PHONE_SCREENSHOT_DIR}phone-sheet-dark.png`, scale: 'css' });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('with the keyboard up, the header and the focused composer stay inside the visual viewport', async () => {
    await page.getByRole('textbox', { name: 'Message' }).tap();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: PHONE.height / (PHONE.height - KEYBOARD) });
    await page.waitForFunction(`Math.round(visualViewport.height) === ${PHONE.height - KEYBOARD}`, undefined, { timeout: TIMEOUT });
    // The sheet follows the viewport's resize event.
    await page.waitForFunction(`Math.abs(document.querySelector('webchat-agent').shadowRoot.querySelector('[part=panel]').getBoundingClientRect().height - visualViewport.height) < 1`, undefined, { timeout: TIMEOUT });
    const { header, input, viewport } = await geometry(page);
    assert.ok(header.top >= viewport.top - 0.5, `header top ${header.top}, viewport top ${viewport.top}`);
    assert.ok(input.bottom <= viewport.top + viewport.height + 0.5, `composer bottom ${input.bottom}, viewport bottom ${viewport.top + viewport.height}`);
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.activeElement?.localName`), 'textarea');
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 });
  });

  it('on a notched phone, the header and the composer keep clear of the safe-area insets', async () => {
    const insets = { top: 47, bottom: 34, left: 0, right: 0 };
    // A context of its own: this one's conversation (and its open panel) is another visitor's.
    const phone = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    const notched = await phone.newPage();
    const cdp = await phone.newCDPSession(notched);
    await cdp.send('Emulation.setSafeAreaInsetsOverride', { insets });
    await notched.goto(`${app.url}/`);
    // The insets apply where the page asks for the whole screen, as a webview's page does.
    await notched.evaluate(`document.querySelector('meta[name=viewport]').content = 'width=device-width, initial-scale=1, viewport-fit=cover'`);
    await notched.getByRole('button', { name: 'Open chat' }).tap({ timeout: TIMEOUT });
    await notched.locator('webchat-agent[sheet]').waitFor({ state: 'attached', timeout: TIMEOUT });
    const clear = (await notched.evaluate(`(() => {
      const root = document.querySelector('webchat-agent').shadowRoot;
      const top = (selector) => root.querySelector(selector).getBoundingClientRect().top;
      return { title: top('[part=title]'), close: top('[part=close]'), composerEnd: Math.max(...[...root.querySelectorAll('[part=composer] textarea, [part=composer] button')].map((el) => el.getBoundingClientRect().bottom)) };
    })()`)) as { title: number; close: number; composerEnd: number };
    assert.ok(clear.title >= insets.top, `the title starts at ${clear.title}, under the notch (${insets.top})`);
    assert.ok(clear.close >= insets.top, `the close button starts at ${clear.close}, under the notch (${insets.top})`);
    assert.ok(clear.composerEnd <= PHONE.height - insets.bottom, `the composer ends at ${clear.composerEnd}, over the home indicator (${PHONE.height - insets.bottom})`);
    await phone.close();
  });

  it('shows the sheet with the keyboard up, light and dark', async () => {
    const shots = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 3, isMobile: true, hasTouch: true, colorScheme: 'light' });
    await shots.addInitScript(STAND_IN_VISUAL_VIEWPORT);
    const phone = await shots.newPage();
    await phone.goto(`${app.url}/`);
    await phone.getByRole('button', { name: 'Open chat' }).tap({ timeout: TIMEOUT });
    await phone.getByRole('textbox', { name: 'Message' }).fill('How do I connect to the VPN?');
    await phone.getByRole('button', { name: 'Send' }).tap();
    await phone.locator('[part~="message-bot"]').first().waitFor({ timeout: TIMEOUT });
    await phone.getByRole('textbox', { name: 'Message' }).tap();
    await phone.evaluate(`setKeyboard(${KEYBOARD})`);
    await phone.waitForFunction(`Math.round(document.querySelector('webchat-agent').shadowRoot.querySelector('[part=panel]').getBoundingClientRect().bottom) === ${PHONE.height - KEYBOARD}`, undefined, { timeout: TIMEOUT });
    for (const scheme of ['light', 'dark'] as const) {
      await phone.emulateMedia({ colorScheme: scheme });
      await phone.evaluate(drawKeyboard(KEYBOARD, scheme === 'dark'));
      const { header, input } = await geometry(phone);
      assert.ok(header.top >= 0 && input.bottom <= PHONE.height - KEYBOARD, `header ${header.top}, composer ${input.bottom}`);
      await phone.screenshot({ path: `${PHONE_SCREENSHOT_DIR}phone-keyboard-${scheme}.png`, scale: 'css' });
    }
    await shots.close();
  });
});
