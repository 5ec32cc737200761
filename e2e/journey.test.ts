/**
 * The whole journey a newcomer sees after `npm start`, in a real browser: the visitor asks
 * the bot, asks for a human, an agent takes over from the console, they chat with typing
 * both ways, the agent ends the chat, the bot answers again, and a reload keeps it all.
 * Screenshots for the README are saved along the way, into a folder git ignores (`npm test`
 * leaves the work tree as it was); `npm run docs:screenshots` copies them into docs/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { root, SCREENSHOT_DIR } from './paths.mjs';
import { launchChromium, startApp, type RunningApp } from './support.ts';

const TIMEOUT = 15_000;
const saved: string[] = [];

/** When each of the README's pictures in docs/ was last written. */
function docsPictures(): Record<string, number> {
  const docs = `${root}docs/`;
  return Object.fromEntries(readdirSync(docs).filter((file) => file.endsWith('.png')).map((file) => [file, statSync(docs + file).mtimeMs]));
}
const picturesBefore = docsPictures();

let app: RunningApp;
let browser: Browser;
let visitor: Page;
let agent: Page;

async function screenshot(page: Page, name: string): Promise<void> {
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path });
  saved.push(path);
}

function log(page: Page): Locator {
  return page.getByRole('log', { name: 'Conversation' });
}

/** The bot's replies in the visitor's widget (CSS locators pierce the shadow root). */
function botReplies(page: Page): Locator {
  return page.locator('[part~="message-bot"]');
}

describe('journey: bot → human takeover → back to bot', { timeout: 180_000 }, () => {
  before(async () => {
    // Only this run's pictures: docs:screenshots copies whatever is there.
    rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    browser = await launchChromium();
    const visitorContext = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    visitor = await visitorContext.newPage();
    const violations: string[] = [];
    visitor.on('console', (message) => {
      if (/Content Security Policy|Trusted Type/i.test(message.text())) violations.push(message.text());
    });
    const agentContext = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    agent = await agentContext.newPage();
    (visitor as Page & { cspViolations?: string[] }).cspViolations = violations;
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows the launcher closed on the demo page, with no CSP violation', async () => {
    await visitor.goto(`${app.url}/`);
    const launcher = visitor.getByRole('button', { name: 'Open chat' });
    await launcher.waitFor({ timeout: TIMEOUT });
    await screenshot(visitor, 'launcher-closed');
    assert.deepEqual((visitor as Page & { cspViolations?: string[] }).cspViolations, []);
  });

  it('answers a question with sources', async () => {
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const input = visitor.getByRole('textbox', { name: 'Message' });
    await assert.doesNotReject(input.waitFor({ timeout: TIMEOUT }));
    await input.fill('How do I reset my password?');
    await input.press('Enter');
    await botReplies(visitor).first().getByText(/passwordreset\.northwind\.example/).waitFor({ timeout: TIMEOUT });
    const source = log(visitor).getByRole('link', { name: /password/i }).first();
    await source.waitFor({ timeout: TIMEOUT });
    assert.equal(await source.getAttribute('href'), `${app.url}/kb/password-reset`);
    assert.equal(await source.getAttribute('target'), '_blank');
    await screenshot(visitor, 'panel-light');
    await visitor.emulateMedia({ colorScheme: 'dark' });
    await screenshot(visitor, 'panel-dark');
    await visitor.emulateMedia({ colorScheme: 'light' });
  });

  it('asks for a human and waits for an agent', async () => {
    await visitor.getByRole('button', { name: 'Talk to a human' }).click();
    await visitor.getByRole('status').getByText(/waiting/i).waitFor({ timeout: TIMEOUT });
  });

  it('lets the agent take over from the console, and their messages reach each other', async () => {
    await agent.goto(`${app.url}/agent.html`);
    await agent.getByRole('textbox', { name: 'Agent token' }).fill(app.agentToken);
    await agent.getByRole('textbox', { name: 'Agent name' }).fill('Dana');
    await agent.getByRole('button', { name: 'Sign in' }).click();
    // The intranet said who the visitor is (demo/visitor.js): the console names them.
    await agent.getByText('Alex Meyer').first().waitFor({ timeout: TIMEOUT });
    await agent.getByRole('button', { name: 'Take over' }).first().click({ timeout: TIMEOUT });
    await log(agent).getByText('How do I reset my password?').waitFor({ timeout: TIMEOUT });

    await visitor.getByRole('status').getByText('Dana joined the chat').waitFor({ timeout: TIMEOUT });
    await agent.getByRole('textbox', { name: 'Message' }).fill('Hi, I am from IT. How can I help?');
    await agent.getByRole('button', { name: 'Send' }).click();
    await log(visitor).getByText('Hi, I am from IT. How can I help?').waitFor({ timeout: TIMEOUT });

    // Typing both ways.
    await visitor.getByRole('textbox', { name: 'Message' }).pressSequentially('My laptop', { delay: 20 });
    await agent.getByText('Visitor is typing…').waitFor({ timeout: TIMEOUT });
    await agent.getByRole('textbox', { name: 'Message' }).pressSequentially('Let me check', { delay: 20 });
    await visitor.locator('[part~="typing"]').getByText('Dana is typing…').waitFor({ timeout: TIMEOUT });
    await agent.getByRole('textbox', { name: 'Message' }).fill('');
    await visitor.locator('[part~="typing"]').waitFor({ state: 'detached', timeout: TIMEOUT });

    await visitor.getByRole('textbox', { name: 'Message' }).fill('My laptop will not connect to the VPN.');
    await visitor.getByRole('textbox', { name: 'Message' }).press('Enter');
    await log(agent).getByText('My laptop will not connect to the VPN.').waitFor({ timeout: TIMEOUT });
    await screenshot(visitor, 'live-chat');
    await screenshot(agent, 'agent-console');
  });

  it('hands the visitor back to the bot when the agent ends the chat', async () => {
    await agent.getByRole('button', { name: 'End chat' }).click();
    await visitor.getByRole('status').getByText('Chat ended').waitFor({ timeout: TIMEOUT });
    assert.equal(await visitor.getByRole('button', { name: 'End chat' }).count(), 0);
    const repliesBefore = await botReplies(visitor).count();
    const input = visitor.getByRole('textbox', { name: 'Message' });
    await input.fill('How many days of annual leave do I get?');
    await input.press('Enter');
    await botReplies(visitor).nth(repliesBefore).getByText(/27 days/).waitFor({ timeout: TIMEOUT });
  });

  it('fits a phone: the launcher can be tapped and the open panel lies within the screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 700 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await page.goto(`${app.url}/`);
    assert.equal(await page.evaluate(() => innerWidth), 375, 'the page does not overflow the screen');
    await page.getByRole('button', { name: 'Open chat' }).tap({ timeout: TIMEOUT });
    const panel = await page.locator('[part~="panel"]').boundingBox();
    assert.ok(panel, 'the panel is shown');
    assert.ok(panel.x >= 0 && panel.y >= 0 && panel.x + panel.width <= 375 && panel.y + panel.height <= 700, `panel ${JSON.stringify(panel)} within 375×700`);
    await page.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: TIMEOUT });
    await phone.close();
  });

  it('keeps the conversation across a reload', async () => {
    await visitor.reload();
    const open = visitor.getByRole('button', { name: 'Open chat' });
    if (await open.isVisible()) await open.click();
    await log(visitor).getByText('Hi, I am from IT. How can I help?').waitFor({ timeout: TIMEOUT });
    await log(visitor).getByText('How many days of annual leave do I get?').waitFor({ timeout: TIMEOUT });
  });

  it("took every picture the README shows, saved them only where git ignores them, and left docs/ as it was", () => {
    // The phone-* pictures are the phone test's (e2e/phone.test.ts), the one with files the
    // files journey's (e2e/files-journey.test.ts).
    const others = (file: string) => file.startsWith('phone-') || file === 'live-chat-files.png';
    assert.deepEqual(saved.map((path) => basename(path)).sort(), Object.keys(picturesBefore).filter((file) => !others(file)).sort());
    // check-ignore prints those of the given paths that git ignores.
    const check = spawnSync('git', ['check-ignore', '--', ...saved], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(check.stdout.split('\n').filter(Boolean), saved, `not ignored by git: ${check.stderr}`);
    assert.deepEqual(docsPictures(), picturesBefore);
  });
});
