/**
 * [ext] Files in the agent console, in a real Chromium against a real server: what a visitor
 * sends shows with its name and size (an image inline, anything else as a download card),
 * and an agent's file the limits refuse never leaves the page, while one the server refuses
 * for its content says why. Nothing refused reaches the visitor or the disk.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { useConsoleBrowser } from './console-browser.ts';
import { DEFAULT_HUMAN_REQUEST, FILES_PATH } from '../../src/core/protocol.ts';
import { HTML_TEXT, pdfBytes, pngBytes } from '../../test/fixtures/sample-files.ts';
import type { RunningServer } from '../app.ts';
import { chat, newSession, request, TestSocket, TOKEN, useServer } from './support.ts';

const MAX_BYTES = 1024;
const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });
const filesDir = await mkdtemp(join(tmpdir(), 'console-files-'));
/** The bytes the server keeps, one `.bin` a file. */
const stored = async () => (await readdir(filesDir, { recursive: true })).filter((f) => f.endsWith('.bin'));

async function uploadAsVisitor(server: RunningServer, sessionId: string, bytes: Uint8Array | string, name: string) {
  const reply = await request(server, `${FILES_PATH}?${new URLSearchParams({ chatbotId: 'demo', name })}`, {
    method: 'POST',
    body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
    sessionId,
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

describe('agent console: files', () => {
  const server = useServer({ files: { dir: filesDir, maxBytes: MAX_BYTES } });
  const browser = useConsoleBrowser();
  const problems: string[] = [];

  /** A visitor waiting for a person, and the console signed in as Dana with their chat open. */
  async function takenOver(): Promise<{ page: Page; visitor: TestSocket; sessionId: string }> {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId, { pageUrl: `https://intranet.example/${sessionId}` });
    const visitor = await TestSocket.joined(server(), sessionId, 'user');
    const page = await browser().newPage();
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      if (/Content Security Policy|Trusted Type|Refused to/i.test(message.text())) problems.push(message.text());
    });
    await page.goto(`${server().url}/agent.html`);
    await page.getByRole('textbox', { name: 'Agent token' }).fill(TOKEN);
    await page.getByRole('textbox', { name: 'Agent name' }).fill('Dana');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem').filter({ hasText: sessionId.slice(0, 8) });
    await row.getByRole('button', { name: 'Take over' }).click();
    await visitor.next((f) => f.type === 'livechat:status' && f.status === 'open');
    await page.getByRole('button', { name: 'Attach file' }).waitFor();
    return { page, visitor, sessionId };
  }

  async function choose(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach file' }).click();
    await (await chooser).setFiles(file);
  }

  test("a visitor's image shows inline and a PDF as a download card, each named with its size, after a reload too", async () => {
    const { page, visitor, sessionId } = await takenOver();
    const png = await uploadAsVisitor(server(), sessionId, pngBytes(), 'screen.png');
    const pdf = await uploadAsVisitor(server(), sessionId, pdfBytes(), 'report.pdf');
    visitor.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'Both files', attachments: [png, pdf], clientMessageId: 'v-files' });
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Both files').waitFor();
    const files = log.getByRole('list', { name: '2 files' });
    const image = files.getByRole('link', { name: `screen.png, ${pngBytes().length} B, open full size` });
    assert.equal(await image.locator('img').getAttribute('src'), png.url);
    assert.equal(await image.locator('img').evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth)), 16);
    const card = files.getByRole('link', { name: `Download report.pdf, ${pdfBytes().length} B` });
    assert.equal(await card.getAttribute('href'), pdf.url);
    assert.equal(await card.getAttribute('download'), 'report.pdf');
    assert.deepEqual(await card.locator('span').allTextContents(), ['report.pdf', `PDF · ${pdfBytes().length} B`]);
    assert.equal(await card.locator('img').count(), 0);

    // After a reload the conversation is still Dana's to open, and its files are still there.
    await page.reload();
    const row = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem').filter({ hasText: sessionId.slice(0, 8) });
    await row.getByRole('button', { name: 'Open' }).click();
    await log.getByRole('list', { name: '2 files' }).getByRole('link', { name: `Download report.pdf, ${pdfBytes().length} B` }).waitFor();
    await page.close();
    assert.deepEqual(problems, []);
  });

  test("the agent's file over the size limit is refused in the console, before any byte goes out", async () => {
    const { page, visitor, sessionId } = await takenOver();
    const before = await stored();
    const uploads: string[] = [];
    page.on('request', (r) => r.url().includes(FILES_PATH) && r.method() === 'POST' && uploads.push(r.url()));
    const big = Buffer.alloc(MAX_BYTES + 1);
    big.set(pngBytes());
    await choose(page, { name: 'big.png', mimeType: 'image/png', buffer: big });
    await page.getByRole('alert').getByText('big.png is larger than 1 KB.').waitFor();
    assert.deepEqual(uploads, []);
    assert.deepEqual(await stored(), before);

    // The agent goes on: the next message goes, and is the first the visitor gets.
    await page.getByRole('textbox', { name: 'Message' }).fill('Could you send it smaller?');
    await page.getByRole('button', { name: 'Send' }).click();
    const next = await visitor.next((f) => f.type === 'livechat:message' && f.sender === 'admin');
    assert.equal(next.content, 'Could you send it smaller?');
    assert.equal(next.attachments, undefined);
    const history = await request(server(), `/api/chat/history?chatbotId=demo`, { sessionId });
    assert.ok(!history.body.messages.some((m: { attachments?: unknown }) => m.attachments));
    await page.close();
  });

  test('a file the server refuses for its content (a page named .png) says why; the caption stays and nothing is sent', async () => {
    const { page, visitor, sessionId } = await takenOver();
    const before = await stored();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Here is the screenshot');
    await choose(page, { name: 'screenshot.png', mimeType: 'image/png', buffer: Buffer.from(HTML_TEXT) });
    await page.getByRole('alert').getByText('This kind of file is not accepted.').waitFor();
    assert.equal(await box.inputValue(), 'Here is the screenshot', 'the caption is kept for the next try');
    assert.deepEqual(await stored(), before);
    await page.getByRole('button', { name: 'Send' }).click();
    const next = await visitor.next((f) => f.type === 'livechat:message' && f.sender === 'admin');
    assert.equal(next.content, 'Here is the screenshot');
    assert.equal(next.attachments, undefined);
    const history = await request(server(), `/api/chat/history?chatbotId=demo`, { sessionId });
    assert.ok(!history.body.messages.some((m: { attachments?: unknown }) => m.attachments));
    await page.close();
  });
});

describe('agent console: a server without files', () => {
  const server = useServer({ files: false });
  const browser = useConsoleBrowser();

  test('offers no attach control in a taken-over chat', async () => {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId);
    const page = await browser().newPage();
    await page.goto(`${server().url}/agent.html`);
    await page.getByRole('textbox', { name: 'Agent token' }).fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Take over' }).first().click();
    await page.getByRole('log', { name: 'Conversation' }).getByText(DEFAULT_HUMAN_REQUEST).waitFor();
    await page.getByRole('textbox', { name: 'Message' }).and(page.locator(':enabled')).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Attach file' }).count(), 0);
    await page.close();
  });
});
