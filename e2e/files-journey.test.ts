/**
 * Files both ways in a live chat, as `npm start` serves it, in a real browser: the visitor
 * asks for a person, an agent takes over in the console (demo/agent.html), the visitor sends
 * a screenshot through the element's attach button and the agent sends back a PDF through
 * the console's. Each shows on the other side (the image as a thumbnail, the PDF as a
 * download card), the PDF downloads as an attachment, and both survive a reload of both pages.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { sizeText } from '../demo/agent-files.ts';
import { pdfBytes } from '../test/fixtures/sample-files.ts';
import { FILES_SCREENSHOT_DIR } from './paths.mjs';
import { launchChromium, startApp, type RunningApp } from './support.ts';

const TIMEOUT = 15_000;
const SHOT = 'login-error.png';
const PROCEDURE = 'vpn-procedure.pdf';

let app: RunningApp;
let browser: Browser;
let visitor: Page;
let agent: Page;
const pageErrors: string[] = [];
/** The visitor's screenshot of the error: a real PNG, drawn by the browser in before(). */
let shotPng: Buffer;
const SHOT_SIZE: [number, number] = [320, 180];

/** A screenshot as a visitor would take one: the error dialog they are stuck on. */
async function errorDialogPng(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: SHOT_SIZE[0], height: SHOT_SIZE[1] }, deviceScaleFactor: 1 });
  await page.setContent(`<body style="margin:0;font:14px system-ui,sans-serif;background:#e8ecf2">
    <div style="margin:16px;padding:14px 16px;background:#fff;border:1px solid #b9c2cf;border-radius:6px;box-shadow:0 2px 8px #0002">
      <b style="color:#b42318">VPN connection failed</b>
      <p style="margin:8px 0">Error 809: the network connection between your computer and the VPN server could not be established.</p>
      <span style="display:inline-block;padding:4px 14px;border:1px solid #8a94a3;border-radius:4px">OK</span>
    </div></body>`);
  const png = await page.screenshot({ type: 'png' });
  await page.close();
  return png;
}

const log = (page: Page): Locator => page.getByRole('log', { name: 'Conversation' });

/** Whether an <img> has loaded and decoded: its natural size is the PNG's. */
async function imageSize(img: Locator): Promise<[number, number]> {
  await img.waitFor({ timeout: TIMEOUT });
  await img.evaluate((el: HTMLImageElement) => (el.complete ? undefined : new Promise((resolve) => el.addEventListener('load', resolve, { once: true }))));
  return img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight] as [number, number]);
}

/** The visitor's files, as the element shows them: the screenshot and the PDF. */
async function visitorSeesBoth(): Promise<string> {
  const thumb = visitor.locator(`[part~="attachment-image"]`).filter({ has: visitor.locator(`img[alt="${SHOT}"]`) });
  await thumb.waitFor({ timeout: TIMEOUT });
  assert.deepEqual(await imageSize(thumb.locator('img')), SHOT_SIZE, 'the thumbnail shows the picture');
  const card = visitor.locator('a[part~="attachment-file"]').filter({ hasText: PROCEDURE });
  await card.waitFor({ timeout: TIMEOUT });
  const href = await card.getAttribute('href');
  assert.ok(href && new URL(href).origin === app.url, `a link to the server: ${href}`);
  assert.notEqual(await card.getAttribute('download'), null, 'a download link');
  assert.equal(await card.locator('img').count(), 0, 'a PDF is never shown inline');
  return href;
}

/** The agent's files, as the console shows them. */
async function agentSeesBoth(): Promise<void> {
  const shot = log(agent).locator('.file.image a').filter({ has: agent.locator(`img[alt="${SHOT}"]`) });
  await shot.waitFor({ timeout: TIMEOUT });
  assert.deepEqual(await imageSize(shot.locator('img')), SHOT_SIZE);
  assert.equal(await shot.getAttribute('aria-label'), `${SHOT}, ${sizeText(shotPng.length)}, open full size`, "the visitor's file's name and size");
  const card = log(agent).locator('.file.card a').filter({ hasText: PROCEDURE });
  await card.waitFor({ timeout: TIMEOUT });
  assert.equal(await card.getAttribute('download'), PROCEDURE);
}

/** Opens the visitor's conversation in the console (after a reload, the list has it as the agent's own). */
async function openConversation(): Promise<void> {
  await agent.getByRole('button', { name: /^(Take over|Open)$/ }).first().click({ timeout: TIMEOUT });
}

describe('files journey: a screenshot to the agent, a PDF back, both kept across reloads', { timeout: 180_000 }, () => {
  before(async () => {
    // startApp gives this run a data folder of its own: no earlier run's files or sessions.
    app = await startApp();
    browser = await launchChromium();
    shotPng = await errorDialogPng(browser);
    rmSync(FILES_SCREENSHOT_DIR, { recursive: true, force: true });
    mkdirSync(FILES_SCREENSHOT_DIR, { recursive: true });
    visitor = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    agent = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    for (const page of [visitor, agent]) {
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      page.on('console', (message) => {
        if (/Content Security Policy|Trusted Type|Refused to/i.test(message.text())) pageErrors.push(message.text());
      });
    }
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('has no attach button in bot mode; the agent takes over; then the visitor has one', async () => {
    await visitor.goto(`${app.url}/`);
    await visitor.getByRole('button', { name: 'Open chat' }).click({ timeout: TIMEOUT });
    const input = visitor.getByRole('textbox', { name: 'Message' });
    await input.fill('My VPN login fails with an error.');
    await input.press('Enter');
    await visitor.locator('[part~="message-bot"]').first().waitFor({ timeout: TIMEOUT });
    assert.equal(await visitor.locator('[part~="attach"]').count(), 0, 'the bot reads no files');

    await visitor.getByRole('button', { name: 'Talk to a human' }).click();
    await agent.goto(`${app.url}/agent.html`);
    await agent.getByRole('textbox', { name: 'Agent token' }).fill(app.agentToken);
    await agent.getByRole('textbox', { name: 'Agent name' }).fill('Dana');
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('button', { name: 'Take over' }).first().click({ timeout: TIMEOUT });
    await log(agent).getByText('My VPN login fails with an error.').waitFor({ timeout: TIMEOUT });
    await visitor.getByRole('status').getByText('Dana joined the chat').waitFor({ timeout: TIMEOUT });
    await visitor.locator('[part~="attach"]').waitFor({ timeout: TIMEOUT });
  });

  it("the visitor's PNG, chosen with the attach button, shows in the console as an image with its name and size", async () => {
    const chooser = visitor.waitForEvent('filechooser', { timeout: TIMEOUT });
    await visitor.locator('[part~="attach"]').click();
    await (await chooser).setFiles({ name: SHOT, mimeType: 'image/png', buffer: shotPng });
    const chip = visitor.locator('[part~="file-chip"]');
    await chip.filter({ hasText: SHOT }).waitFor({ timeout: TIMEOUT });
    assert.equal(await chip.count(), 1);
    await visitor.getByRole('textbox', { name: 'Message' }).fill('This is what I see');
    await visitor.locator('[part~="send"]').click();

    await log(agent).getByText('This is what I see').waitFor({ timeout: TIMEOUT });
    const shot = log(agent).locator('.file.image a').filter({ has: agent.locator(`img[alt="${SHOT}"]`) });
    await shot.waitFor({ timeout: TIMEOUT });
    assert.deepEqual(await imageSize(shot.locator('img')), SHOT_SIZE);
    assert.equal(await shot.getAttribute('aria-label'), `${SHOT}, ${sizeText(shotPng.length)}, open full size`);
    // Sent: no chip and no progress bar left behind in the visitor's composer.
    await chip.waitFor({ state: 'detached', timeout: TIMEOUT });
    await visitor.locator('[part~="upload-progress"]').waitFor({ state: 'detached', timeout: TIMEOUT });
  });

  it("the agent's PDF, chosen with the console's attach control, reaches the visitor as a download card; the PNG is a thumbnail", async () => {
    await agent.getByRole('textbox', { name: 'Message' }).fill('Here is the procedure');
    const chooser = agent.waitForEvent('filechooser', { timeout: TIMEOUT });
    await agent.getByRole('button', { name: 'Attach file' }).click();
    await (await chooser).setFiles({ name: PROCEDURE, mimeType: 'application/pdf', buffer: Buffer.from(pdfBytes()) });
    await log(visitor).getByText('Here is the procedure').waitFor({ timeout: TIMEOUT });
    const href = await visitorSeesBoth();

    const response = await fetch(href);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.match(response.headers.get('content-disposition') ?? '', new RegExp(`^attachment; filename="${PROCEDURE}"`));
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), pdfBytes());
    await agentSeesBoth();
    // For the README (`npm run docs:screenshots`): the visitor's panel with both files.
    await visitor.screenshot({ path: `${FILES_SCREENSHOT_DIR}live-chat-files.png` });
  });

  it('both pages reload and both files still show on both sides', async () => {
    await visitor.reload();
    const open = visitor.getByRole('button', { name: 'Open chat' });
    if (await open.isVisible()) await open.click();
    await visitorSeesBoth();

    await agent.reload();
    await openConversation();
    await agentSeesBoth();
    assert.deepEqual(pageErrors, []);
  });
});
