/**
 * The script-tag bundle carries what every visitor needs; what only some need comes from
 * beside the script when it is first needed, under a strict CSP:
 * - what sending a file takes (reading it, its bytes on the wire): `webchat-agent.uploads.js`,
 *   at the first `sendFile`;
 * - the live chat (the socket, its frames, typing, files): `webchat-agent.live.js`, when the
 *   conversation first needs a socket, never while the bot answers.
 * - the file UI (chips, thumbnails, the viewer): `webchat-agent.files.js`, for a message with
 *   files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { root } from './paths.mjs';
import { PARTS } from '../scripts/parts.mjs';
import { launchChromium } from './support.ts';

const ORIGIN = 'https://site.test';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; require-trusted-types-for 'script'";
let browser: Browser;

/** A page of https://site.test with the script-tag build under the strict CSP, whose service
 * answers every REST message with `reply`; `part` decides how a part's file is served. */
/** The built IIFE on a page under the strict CSP. `reply`: the chat service's answer;
 * `part`: whether a part's fetch is served; `persist`, `layout`: the element's; `init`: a
 * script run before the page's (e.g. a kept conversation). */
async function sitePage(options: { reply?: object; part?: (file: string, count: number) => 'serve' | 'fail' | Promise<'serve' | 'fail'>; persist?: string; layout?: string; init?: string; preload?: boolean }): Promise<{ page: Page; fetched: string[]; violations: string[]; frames: string[] }> {
  const page = await browser.newPage();
  const fetched: string[] = [];
  const violations: string[] = [];
  const frames: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Trusted Type/i.test(message.text())) violations.push(message.text());
  });
  await page.routeWebSocket('wss://site.test/api/livechat', (socket) => socket.onMessage((frame) => void frames.push(String(frame))));
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    fetched.push(path);
    if (path === '/') {
      return route.fulfill({
        body: `<!doctype html><html lang="en">${options.preload ? '<link rel="modulepreload" href="/assets/chat/webchat-agent.chat.js">' : ''}<script src="/assets/chat/webchat-agent.iife.js"></script><webchat-agent chatbot-id="demo" base-url="https://site.test" persist="${options.persist ?? 'none'}" layout="${options.layout ?? 'inline'}"></webchat-agent>`,
        contentType: 'text/html; charset=utf-8',
        headers: { 'Content-Security-Policy': CSP },
      });
    }
    if (path === '/api/chat' && options.reply) return route.fulfill({ body: JSON.stringify(options.reply), contentType: 'application/json', headers: { 'X-Chat-Session-Id': 's-1' } });
    const file = /^\/assets\/chat\/(webchat-agent\.[\w.-]+\.js)$/.exec(path)?.[1];
    if (file && (await (options.part?.(file, fetched.filter((x) => x === path).length) ?? 'serve')) === 'serve') return route.fulfill({ path: `${root}dist/${file}`, contentType: 'text/javascript; charset=utf-8' });
    return route.fulfill({ status: 404, body: '{}', contentType: 'application/json' });
  });
  if (options.init) await page.addInitScript(options.init);
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => customElements.get('webchat-agent') !== undefined);
  return { page, fetched, violations, frames };
}

const LIVE = '/assets/chat/webchat-agent.live.js';
const TAKEOVER = { reply: '', sources: [], mode: 'human', status: 'waiting' };

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
    const { page, fetched, violations } = await sitePage({ persist: 'local', init: `localStorage.setItem('webchat-agent:demo', ${JSON.stringify(JSON.stringify(kept))})` });
    // A function, not a string: a string predicate is eval'd in the page, which this CSP forbids.
    await page.waitForFunction(() => {
      const root = document.querySelector('webchat-agent')?.shadowRoot;
      return !!root?.querySelector('a[part=attachment-image] img[alt="photo.png"]') && !!root.querySelector('a[part=attachment-file][download]');
    });
    assert.ok(fetched.includes('/assets/chat/webchat-agent.files.js'), `fetched: ${fetched.join(', ')}`);
    const href = await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('a[part=attachment-file]').href`);
    assert.equal(href, `${ORIGIN}/api/chat/files/f2/k`);
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('the first sendFile loads webchat-agent.uploads.js from beside the script, under the strict CSP', async () => {
    const { page, fetched, violations } = await sitePage({ layout: 'floating' });
    assert.equal(fetched.includes('/assets/chat/webchat-agent.uploads.js'), false, 'not before a file is sent');
    // The element's own client (files show in live chat only: here the core says why it can't),
    // once the panel's code is here.
    await page.evaluate(`document.querySelector('webchat-agent').show()`);
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[role=log] ~ form textarea'));
    await page.evaluate(`document.querySelector('webchat-agent').view.client.sendFile(new Blob(['hello'], { type: 'text/plain' }), { name: 'hello.txt' })`);
    assert.ok(fetched.includes('/assets/chat/webchat-agent.uploads.js'), `fetched: ${fetched.join(', ')}`);
    assert.deepEqual(violations, []);
    await page.close();
  });
  it('the live chat is not in the main bundle, and its part carries neither lit nor zod', () => {
    const main = readFileSync(`${root}dist/webchat-agent.iife.js`, 'utf8');
    const part = readFileSync(`${root}dist/webchat-agent.live.js`, 'utf8');
    assert.equal(main.includes('The live chat did not confirm this message.'), false);
    assert.equal(part.includes('The live chat did not confirm this message.'), true);
  });

  it('a part carries nothing it is handed, and Lit and zod are each in one file of the script-tag build', () => {
    const files = ['webchat-agent.iife.js', ...Object.keys(PARTS).map((name) => `webchat-agent.${name}.js`)];
    const sourcesOf = (file: string) => (JSON.parse(readFileSync(`${root}dist/${file}.map`, 'utf8')) as { sources: string[] }).sources.map((source) => posix.normalize(`dist/${source}`));
    for (const [name, { shared }] of Object.entries(PARTS)) {
      if (!shared) continue;
      const handed = [...readFileSync(`${root}${shared}`, 'utf8').matchAll(/from '([^']+)'/g)].map(([, from]) => (from!.startsWith('.') ? posix.join(posix.dirname(shared), from!) : from!));
      assert.ok(handed.length > 0, name);
      const sources = sourcesOf(`webchat-agent.${name}.js`);
      assert.deepEqual(sources.filter((source) => handed.some((module) => source === module || source.startsWith(`node_modules/${module}`))), [], name);
    }
    for (const library of ['node_modules/lit-html/lit-html.js', 'node_modules/@lit/reactive-element/reactive-element.js', 'node_modules/zod/v4/core/schemas.js']) {
      assert.equal(files.filter((file) => sourcesOf(file).includes(library)).length, 1, library);
    }
    // zod comes with the conversation: the shell every visitor loads parses nothing.
    assert.equal(sourcesOf('webchat-agent.iife.js').some((source) => source.includes('zod')), false);
    // The main bundle and the chat part share no module; the core's parts carry core modules only.
    const main = sourcesOf('webchat-agent.iife.js');
    assert.deepEqual(sourcesOf('webchat-agent.chat.js').filter((source) => main.includes(source)), []);
    for (const name of ['live', 'uploads']) assert.deepEqual(sourcesOf(`webchat-agent.${name}.js`).filter((source) => !/^src\/core\/[\w-]+\.ts$/.test(source)), [], name);
  });



  it('a visitor who only talks to the bot never loads the live part; a takeover loads it and joins, under the strict CSP', async () => {
    const bot = await sitePage({ reply: { reply: 'Hello from the bot', sources: [] } });
    await bot.page.evaluate(`document.querySelector('webchat-agent').send('Hi')`);
    await bot.page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.textContent?.includes('Hello from the bot'));
    assert.equal(bot.fetched.includes(LIVE), false, `fetched: ${bot.fetched.join(', ')}`);
    await bot.page.close();

    const human = await sitePage({ reply: TAKEOVER });
    await human.page.evaluate(`document.querySelector('webchat-agent').requestHuman()`);
    await human.page.waitForFunction(() => document.querySelector('webchat-agent')?.state.connection.state === 'connecting');
    await waitUntil(() => human.frames.some((frame) => JSON.parse(frame).type === 'client:join'));
    assert.equal(human.fetched.filter((path) => path === LIVE).length, 1);
    assert.equal(JSON.parse(human.frames.find((frame) => JSON.parse(frame).type === 'client:join')!).sessionId, 's-1');
    assert.deepEqual(human.violations, []);
    await human.page.close();
  });

  it('a live part that fails to load is said, the takeover waits for it, and a later try joins', async () => {
    const { page, fetched, frames } = await sitePage({ reply: TAKEOVER, part: (file, count) => (file === 'webchat-agent.live.js' && count === 1 ? 'fail' : 'serve') });
    // Not awaited: the request settles once its answer is applied, after the part is here.
    await page.evaluate(`void document.querySelector('webchat-agent').requestHuman()`);
    // In the visitor's words (the part's own error, in English, is the integrator's: webchat-error).
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part="error"]')?.textContent === 'The chat cannot be reached. Check your connection and try again.');
    // Nothing of the answer is lost meanwhile: the takeover applies once the part is here.
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.state.conversation === 'waiting', undefined, { timeout: 10_000 });
    await waitUntil(() => frames.some((frame) => JSON.parse(frame).type === 'client:join'));
    assert.equal(fetched.filter((path) => path === LIVE).length, 2);
    assert.equal(await page.evaluate(() => document.querySelector('webchat-agent')?.state.error), null);
    await page.close();
  });
});

const CHAT = '/assets/chat/webchat-agent.chat.js';
/** The conversation's own textbox, beside its log (the shell's early one shows before, with no log). */
const textboxShown = () => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[role=log] ~ form textarea');

describe('the conversation of the script-tag build: the chat part', { timeout: 60_000 }, () => {
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('a closed launcher loads only the main bundle; a keyboard user who reaches it loads the chat, opens it and lands in its textbox, which keeps what they typed', async () => {
    // The chat part is held until the panel is open: the focus goes in once it is here.
    let release!: () => void;
    const held = new Promise<'serve'>((resolve) => (release = () => resolve('serve')));
    const { page, fetched, violations } = await sitePage({ layout: 'launcher', part: (file) => (file === 'webchat-agent.chat.js' ? held : 'serve') });
    await page.evaluate(`document.querySelector('webchat-agent').updateComplete`);
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=launcher]'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(fetched.includes(CHAT), false, `fetched: ${fetched.join(', ')}`);
    // The panel, hidden, says it is not ready yet.
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('[part=panel]').getAttribute('aria-busy')`), 'true');
    // Nothing is rendered into the hidden panel: a closed launcher runs no template (start-up).
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('[part=panel]').childElementCount`), 0);
    await page.keyboard.press('Tab');
    await waitUntil(() => fetched.includes(CHAT));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.open === true);
    // Open before its conversation is here, the panel shows its title and a textbox meanwhile,
    // and the focus is in it: the visitor types at once.
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('[part=panel] [part=title]')?.textContent`), 'Chat');
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.shadowRoot?.activeElement?.getAttribute('part') === 'input');
    // A textbox to use: not busy for a screen reader (which may hide a busy region), though
    // the conversation is not here yet.
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('[part=panel]').getAttribute('aria-busy')`), null);
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('[role=log]')`), null);
    await page.keyboard.type('Hello');
    release();
    await page.waitForFunction(textboxShown);
    // The conversation's textbox took the text, the caret and the focus: typing goes on.
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.activeElement?.localName`), 'textarea');
    await page.keyboard.type(' there');
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('textarea').value`), 'Hello there');
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelectorAll('textarea').length`), 1);
    assert.equal(fetched.filter((path) => path === CHAT).length, 1);
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('on a phone, a panel opened before the chat part is here already fills the screen, as the sheet does once it is', async () => {
    let release!: () => void;
    const held = new Promise<'serve'>((resolve) => (release = () => resolve('serve')));
    const { page } = await sitePage({ layout: 'launcher', part: (file) => (file === 'webchat-agent.chat.js' ? held : 'serve') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click('webchat-agent [part=launcher]');
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.open === true);
    const box = `(() => { const r = document.querySelector('webchat-agent').shadowRoot.querySelector('[part=panel]').getBoundingClientRect(); return [r.x, r.y, r.width, r.height].map(Math.round); })()`;
    assert.deepEqual(await page.evaluate(box), [0, 0, 390, 844]);
    // Its early textbox as the sheet's: 16px at least, or the phone zooms in when it is tapped.
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=panel] textarea'));
    assert.equal(await page.evaluate(`getComputedStyle(document.querySelector('webchat-agent').shadowRoot.querySelector('textarea')).fontSize`), '16px');
    assert.deepEqual(await page.evaluate(box), [0, 0, 390, 844]);
    release();
    await page.waitForFunction(textboxShown);
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.hasAttribute('sheet'));
    assert.deepEqual(await page.evaluate(box), [0, 0, 390, 844]);
    await page.close();
  });

  it('a pointer over the closed launcher loads the chat before the click', async () => {
    const { page, fetched } = await sitePage({ layout: 'launcher' });
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=launcher]'));
    assert.equal(fetched.includes(CHAT), false);
    await page.hover('webchat-agent [part=launcher]');
    await waitUntil(() => fetched.includes(CHAT));
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').open`), false);
    await page.close();
  });

  it("a returning visitor's kept conversation loads the chat at once: the unread count is on the closed launcher", async () => {
    // The shape of earlier releases, which the core still reads (and migrates).
    const old = { sessionId: 's-1', mode: 'bot', unread: 2, messages: [
      { id: 'm1', sender: 'user', content: 'Hi', createdAt: '2026-01-01T10:00:00.000Z', sources: [] },
      { id: 'm2', sender: 'bot', content: 'Hello', createdAt: '2026-01-01T10:00:01.000Z', sources: [] },
    ] };
    const { page, fetched, violations } = await sitePage({ layout: 'launcher', persist: 'local', init: `localStorage.setItem('webchat-agent:demo', ${JSON.stringify(JSON.stringify(old))})` });
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=badge]')?.textContent === '2');
    assert.equal(fetched.filter((path) => path === CHAT).length, 1);
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').open`), false);
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('a panel kept open opens again on load, without a webchat-open (the visitor did nothing)', async () => {
    const init = `localStorage.setItem('webchat-agent:demo:panel', 'open');
      window.opens = 0;
      document.addEventListener('webchat-open', () => window.opens++);`;
    const { page, fetched } = await sitePage({ layout: 'launcher', persist: 'local', init });
    await page.waitForFunction(textboxShown);
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.open === true);
    assert.equal(fetched.filter((path) => path === CHAT).length, 1);
    assert.equal(await page.evaluate('window.opens'), 0);
    assert.equal(await page.evaluate(`localStorage.getItem('webchat-agent:demo:panel')`), 'open');
    await page.close();
  });

  it("someone who signs in while the chat part loads starts anew: the previous visitor's kept conversation is forgotten", async () => {
    let release!: () => void;
    const held = new Promise<'serve'>((resolve) => (release = () => resolve('serve')));
    const kept = { sessionId: 's-anon', mode: 'bot', messages: [{ id: 'm1', sender: 'user', content: 'Anonymous question', createdAt: '2026-01-01T10:00:00.000Z', sources: [] }] };
    const { page, fetched } = await sitePage({ layout: 'launcher', persist: 'local', init: `localStorage.setItem('webchat-agent:demo', ${JSON.stringify(JSON.stringify(kept))})`, part: (file) => (file === 'webchat-agent.chat.js' ? held : 'serve') });
    await waitUntil(() => fetched.includes(CHAT));
    await page.evaluate(`document.querySelector('webchat-agent').visitor = { id: 'dana' }`);
    await page.evaluate(`document.querySelector('webchat-agent').updateComplete`);
    release();
    // The conversation's code is here: the panel is no longer busy.
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=panel]')?.hasAttribute('aria-busy') === false);
    await page.waitForFunction(() => localStorage.getItem('webchat-agent:demo') === null);
    assert.deepEqual(await page.evaluate(`document.querySelector('webchat-agent').state.messages`), []);
    await page.close();
  });

  it('an inline panel paints its textbox before the chat part is here; a message sent from it then leaves once the part is, and the reply arrives', async () => {
    let release!: () => void;
    const held = new Promise<'serve'>((resolve) => (release = () => resolve('serve')));
    const { page, fetched, violations } = await sitePage({ reply: { reply: 'Hello from the bot', sources: [] }, part: (file) => (file === 'webchat-agent.chat.js' ? held : 'serve') });
    await waitUntil(() => fetched.includes(CHAT));
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=panel] [part=composer] textarea'));
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('[role=log]')`), null, 'the early one');
    // Laid out as the conversation's: the log's place above, the textbox at the panel's end.
    const textboxBottom = `(() => { const root = document.querySelector('webchat-agent').shadowRoot; return Math.round(root.querySelector('[part=panel]').getBoundingClientRect().bottom - root.querySelector('textarea').getBoundingClientRect().bottom); })()`;
    const early = await page.evaluate<number>(textboxBottom);
    await page.fill('webchat-agent textarea', 'Hi from the start');
    await page.keyboard.press('Enter');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Nothing is lost while the code is away: the text stays until it can leave.
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('textarea').value`), 'Hi from the start');
    assert.equal(fetched.includes('/api/chat'), false);
    release();
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.state.messages.some((message) => message.content === 'Hello from the bot'));
    assert.deepEqual(await page.evaluate(`document.querySelector('webchat-agent').state.messages.map((message) => message.content)`), ['Hi from the start', 'Hello from the bot']);
    assert.equal(fetched.filter((path) => path === '/api/chat').length, 1);
    assert.equal(fetched.filter((path) => path === CHAT).length, 1);
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('textarea').value`), '');
    assert.ok(Math.abs((await page.evaluate<number>(textboxBottom)) - early) <= 1, 'the textbox where it was');
    assert.deepEqual(violations, []);
    await page.close();
  });

  // What each frame paints of the panel, from its first: the shell's early textbox (no log
  // yet) or the conversation's own.
  const PAINTS = `window.paints = [];
    const look = () => {
      const root = document.querySelector('webchat-agent')?.shadowRoot;
      if (root?.querySelector('textarea')) window.paints.push(root.querySelector('[role=log]') ? 'view' : 'early');
      if (window.paints.at(-1) !== 'view') requestAnimationFrame(look);
    };
    requestAnimationFrame(look);`;

  it("a new conversation paints its textbox in the first frame though the chat part is preloaded; the conversation's takes over after it", async () => {
    const { page, violations } = await sitePage({ preload: true, init: PAINTS });
    await page.waitForFunction(textboxShown);
    const paints = await page.evaluate<string[]>('window.paints');
    assert.equal(paints[0], 'early', paints.join(', '));
    assert.equal(paints.at(-1), 'view');
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelectorAll('textarea').length`), 1);
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('an early Enter the visitor then types after sends nothing: the text waits for them in the conversation\'s textbox', async () => {
    let release!: () => void;
    const held = new Promise<'serve'>((resolve) => (release = () => resolve('serve')));
    const { page, fetched } = await sitePage({ reply: { reply: 'Hello from the bot', sources: [] }, part: (file) => (file === 'webchat-agent.chat.js' ? held : 'serve') });
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=panel] [part=composer] textarea'));
    // Enter on the empty box asks for nothing either.
    await page.focus('webchat-agent textarea');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Not quite');
    await page.keyboard.press('Enter');
    await page.keyboard.type(' finished');
    release();
    await page.waitForFunction(textboxShown);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(fetched.includes('/api/chat'), false);
    assert.deepEqual(await page.evaluate(`document.querySelector('webchat-agent').state.messages`), []);
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('textarea').value`), 'Not quite finished');
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.activeElement?.localName`), 'textarea');
    await page.close();
  });

  it("a visitor composing with an IME when the chat part arrives goes on composing, whatever the page changes meanwhile: the conversation's textbox takes over once they commit, with what they committed", async () => {
    let release!: () => void;
    const held = new Promise<'serve'>((resolve) => (release = () => resolve('serve')));
    const { page } = await sitePage({ part: (file) => (file === 'webchat-agent.chat.js' ? held : 'serve') });
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=panel] [part=composer] textarea'));
    await page.focus('webchat-agent textarea');
    await page.keyboard.type('Tokyo ');
    // The IME's candidates open (Chromium's own composition, as a Japanese keyboard makes it).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'とうきょう', selectionStart: 5, selectionEnd: 5 });
    // A second panel on the page says when the part is here and has run: it takes its own view.
    await partHasRun(page, release);
    // The page changes an option, which updates the element: it still waits for the commit.
    await page.evaluate(`document.querySelector('webchat-agent').theme = 'dark'`);
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))');
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('[role=log]')`), null, 'still the early textbox');
    // The visitor picks a candidate: it is committed where they were composing.
    await cdp.send('Input.insertText', { text: '東京' });
    await page.waitForFunction(textboxShown);
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('textarea').value`), 'Tokyo 東京');
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.activeElement?.localName`), 'textarea');
    await page.keyboard.type('!');
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('textarea').value`), 'Tokyo 東京!');
    await page.close();
  });

  it("the page's send() while the visitor composes in the early textbox does not wait for their commit", async () => {
    let release!: () => void;
    const held = new Promise<'serve'>((resolve) => (release = () => resolve('serve')));
    const { page, fetched } = await sitePage({ reply: { reply: 'Hello from the bot', sources: [] }, part: (file) => (file === 'webchat-agent.chat.js' ? held : 'serve') });
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=panel] [part=composer] textarea'));
    await page.focus('webchat-agent textarea');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'とう', selectionStart: 2, selectionEnd: 2 });
    const sent = page.evaluate(`document.querySelector('webchat-agent').send('Sent by the page')`);
    release();
    await sent;
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.state.messages.some((message) => message.content === 'Hello from the bot'));
    assert.equal(fetched.filter((path) => path === '/api/chat').length, 1);
    await page.close();
  });

  it('an element taken out of the page mid-composition and put back is not left waiting: its conversation takes over', async () => {
    let release!: () => void;
    const held = new Promise<'serve'>((resolve) => (release = () => resolve('serve')));
    const { page } = await sitePage({ part: (file) => (file === 'webchat-agent.chat.js' ? held : 'serve') });
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=panel] [part=composer] textarea'));
    await page.focus('webchat-agent textarea');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'とう', selectionStart: 2, selectionEnd: 2 });
    // The part arrives and runs (a second panel takes its view) while this one waits for the commit.
    await partHasRun(page, release);
    // A single-page app moves the element (its route changes) while the visitor composes.
    await page.evaluate(() => {
      const element = document.querySelector('webchat-agent')!;
      element.remove();
      document.body.prepend(element);
    });
    await page.waitForFunction(textboxShown);
    await page.close();
  });

  it('send() before the chat is here waits for it and sends: the reply arrives', async () => {
    const { page, fetched } = await sitePage({ layout: 'launcher', reply: { reply: 'Hello from the bot', sources: [] } });
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=launcher]'));
    assert.equal(fetched.includes(CHAT), false);
    await page.evaluate(`document.querySelector('webchat-agent').send('Hi')`);
    await page.waitForFunction(() => document.querySelector('webchat-agent')?.state.messages.some((message) => message.content === 'Hello from the bot'));
    assert.deepEqual(await page.evaluate(`document.querySelector('webchat-agent').state.messages.map((message) => message.content)`), ['Hi', 'Hello from the bot']);
    await page.close();
  });

  it('a chat part that fails to load says the chat is unavailable, with a Retry that loads it and the chat works', async () => {
    const { page, fetched, violations } = await sitePage({ reply: { reply: 'Back again', sources: [] }, part: (file, count) => (file === 'webchat-agent.chat.js' && count === 1 ? 'fail' : 'serve') });
    await page.waitForFunction(() => /not available/.test(document.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=error][role=alert]')?.textContent ?? ''));
    assert.equal(fetched.filter((path) => path === CHAT).length, 1);
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('[part=panel]').getAttribute('aria-busy')`), null);
    // Moving about the failed panel asks for nothing more (no request per mouse move)…
    for (let i = 0; i < 5; i++) {
      await page.mouse.move(20 + i * 30, 20 + i * 10);
      await page.mouse.down();
      await page.mouse.up();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(fetched.filter((path) => path === CHAT).length, 1);
    // What the visitor types meanwhile stays; its Retry button asks again.
    await page.fill('webchat-agent textarea', 'Hi');
    await page.click('webchat-agent [part=panel] [part=retry]');
    await page.waitForFunction(textboxShown);
    assert.equal(fetched.filter((path) => path === CHAT).length, 2);
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('[part=error]')`), null);
    assert.equal(await page.evaluate(`document.querySelector('webchat-agent').shadowRoot.querySelector('textarea').value`), 'Hi');
    await page.focus('webchat-agent textarea');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !!document.querySelector('webchat-agent')?.shadowRoot?.textContent?.includes('Back again'));
    assert.deepEqual(violations, []);
    await page.close();
  });
});

/** Serves the held chat part and resolves once it has run: a second inline panel, added
 * first, has taken its view. */
async function partHasRun(page: Page, release: () => void): Promise<void> {
  await page.evaluate(() => {
    const other = document.createElement('webchat-agent');
    for (const [name, value] of Object.entries({ 'chatbot-id': 'demo', 'base-url': 'https://site.test', persist: 'none', layout: 'inline', id: 'other' })) other.setAttribute(name, value);
    document.body.append(other);
  });
  release();
  await page.waitForFunction(() => !!document.querySelector('#other')?.shadowRoot?.querySelector('[role=log]'));
}

async function waitUntil(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
