/**
 * The agent console in a real Chromium against a real server: sign in, see the waiting
 * session, take it over, chat with typing both ways, end it. Also checks that the demo
 * pages raise no CSP or Trusted Types violation.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { useConsoleBrowser } from './console-browser.ts';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { chat, newSession, TestSocket, TOKEN, useServer } from './support.ts';

const at = (sessionId: string) => ({ chatbotId: 'demo', sessionId });

describe('agent console in a browser', () => {
  const server = useServer();
  const browser = useConsoleBrowser();
  const violations: string[] = [];

  async function newPage(path: string): Promise<Page> {
    const page = await browser().newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Trusted Type|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(String(error)));
    await page.goto(server().url + path);
    return page;
  }

  test('a wrong token is refused with a message', async () => {
    const page = await newPage('/agent.html');
    await page.getByRole('textbox', { name: 'Agent token' }).fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    assert.equal(await page.getByRole('list', { name: 'Sessions' }).isVisible(), false);
    await page.close();
  });

  test('before the console script runs, submitting the sign-in form does not put the token in the address', async () => {
    const page = await browser().newPage();
    await page.route('**/console/agent.js', (route) => route.abort());
    await page.goto(server().url + '/agent.html');
    await page.getByRole('textbox', { name: 'Agent token' }).fill(TOKEN);
    const navigation = page.waitForEvent('request', (r) => r.isNavigationRequest() && r.frame() === page.mainFrame());
    await page.getByRole('textbox', { name: 'Agent token' }).press('Enter');
    const request = await navigation;
    assert.ok(!request.url().includes(TOKEN), request.url());
    assert.ok(!(request.postData() ?? '').includes(TOKEN), 'nor in a body');
    await page.close();
  });

  test('sign in, take over a waiting visitor, chat with typing both ways, end the chat', async () => {
    const sessionId = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, sessionId, { pageUrl: 'https://intranet.example/vpn' });
    const visitor = await TestSocket.joined(server(), sessionId, 'user');

    const page = await newPage('/agent.html');
    await page.getByRole('textbox', { name: 'Agent token' }).fill(TOKEN);
    await page.getByRole('textbox', { name: 'Agent name' }).fill('Dana');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const row = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem').filter({ hasText: 'intranet.example/vpn' });
    await row.getByText(/Waiting/).waitFor();
    await row.getByRole('button', { name: 'Take over' }).click();

    const status = await visitor.next((f) => f.type === 'livechat:status' && f.status === 'open');
    assert.deepEqual(status.agent, { name: 'Dana' });
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('How do I reset my password?').waitFor(); // the backlog
    await log.getByText('Dana joined the chat.').waitFor();
    await row.getByRole('button', { name: 'Open' }).waitFor();

    visitor.send({ type: 'client:typing', ...at(sessionId), sender: 'user', isTyping: true });
    await page.getByText('Visitor is typing…').waitFor();
    visitor.send({ type: 'client:message', ...at(sessionId), sender: 'user', content: 'My VPN says gateway not responding', clientMessageId: 'v-1' });
    await log.getByText('My VPN says gateway not responding').waitFor();
    await page.getByText('Visitor is typing…').waitFor({ state: 'hidden' });

    const box = page.getByRole('textbox', { name: 'Message' });
    await box.pressSequentially('Try vpn2');
    assert.equal((await visitor.next((f) => f.type === 'livechat:typing')).isTyping, true);
    await box.fill('Try the backup portal vpn2.northwind.example');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = await visitor.message('Try the backup portal vpn2.northwind.example');
    assert.equal(answer.sender, 'admin');
    assert.deepEqual(answer.agent, { name: 'Dana' });
    await log.getByText('Try the backup portal vpn2.northwind.example').waitFor();

    await page.getByRole('button', { name: 'End chat' }).click();
    assert.equal((await visitor.next((f) => f.type === 'livechat:ended')).by, 'admin');
    await log.getByText('The chat with Dana has ended. The assistant is back.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true);
    await page.close();
    assert.deepEqual(violations, []);
  });

  test('the demo intranet page and an article render under the strict CSP', async () => {
    const page = await newPage('/');
    await page.getByRole('heading', { name: 'Good morning, Alex' }).waitFor();
    assert.equal(await page.locator('webchat-agent').getAttribute('base-url'), server().url);
    await page.getByRole('link', { name: 'Connect to the VPN' }).click();
    await page.getByRole('heading', { name: 'Connecting to the VPN' }).waitFor();
    await page.close();
    assert.deepEqual(violations.filter((v) => !/webchat-agent\.js/.test(v)), []);
  });
});

describe('the console on a phone, with identities, search and presence', () => {
  const server = useServer({ presenceGraceMs: 200 });
  const browser = useConsoleBrowser();

  test('390 px wide: rows name the visitor or the page with a short id and one clear label; the title counts the waiting; search filters; "visitor left" and "visitor is back" reach the conversation', async () => {
    const named = await chat(server(), 'How do I reset my password?', null, { visitor: { name: 'Robin Park', email: 'robin@northwind.example' }, pageUrl: 'https://intranet.example/it/passwords' });
    const robin = named.sessionId!;
    await chat(server(), DEFAULT_HUMAN_REQUEST, robin);
    const anonymous = await newSession(server());
    await chat(server(), DEFAULT_HUMAN_REQUEST, anonymous, { pageUrl: 'https://intranet.example/vpn' });
    const visitor = await TestSocket.joined(server(), robin, 'user');

    const page = await browser().newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(server().url + '/agent.html');
    await page.getByRole('textbox', { name: 'Agent token' }).fill(TOKEN);
    await page.getByRole('textbox', { name: 'Agent name' }).fill('Dana');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const rows = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
    const robinRow = rows.filter({ hasText: 'Robin Park' });
    await robinRow.waitFor();
    assert.match(await robinRow.innerText(), new RegExp(`#${robin.replace(/-/g, '').slice(0, 6)}`), 'a short id');
    assert.match(await robinRow.innerText(), /Waiting · just now/);
    assert.doesNotMatch(await robinRow.innerText(), /waiting.*waiting/i, 'the state is said once');
    const anonymousRow = rows.filter({ hasText: 'intranet.example/vpn' });
    assert.match(await anonymousRow.innerText(), new RegExp(`#${anonymous.replace(/-/g, '').slice(0, 6)}`));
    assert.equal(await page.title(), '(2) Agent console · Northwind Helpdesk');
    await page.getByRole('status').filter({ hasText: '2 waiting' }).waitFor();

    await page.getByRole('searchbox', { name: 'Search sessions' }).fill('robin@');
    await rows.filter({ hasText: 'intranet.example/vpn' }).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    await page.getByRole('searchbox', { name: 'Search sessions' }).fill('');
    await anonymousRow.waitFor();

    const noOverflow = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(await noOverflow(), 'the list fits 390 px');
    await robinRow.getByRole('button', { name: 'Take over' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Dana joined the chat.').waitFor();
    assert.equal(await page.getByRole('list', { name: 'Sessions' }).isVisible(), false, 'one pane at a time on a phone');
    await page.getByRole('heading', { name: /Robin Park · Live · Dana/ }).waitFor();
    assert.equal(await page.title(), '(1) Agent console · Northwind Helpdesk', 'one fewer waiting');
    const composer = page.getByRole('textbox', { name: 'Message' });
    const box = await composer.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844, `the composer is on screen: ${JSON.stringify(box)}`);
    assert.ok(await page.getByRole('button', { name: 'End chat' }).isVisible());
    assert.ok(await noOverflow(), 'the conversation fits 390 px');

    await visitor.close();
    await log.getByText(/^Visitor left/).waitFor();
    await page.getByRole('status').filter({ hasText: /^Visitor left at/ }).waitFor();
    const back = await TestSocket.joined(server(), robin, 'user');
    await log.getByText(/^Visitor is back/).waitFor();
    await page.getByRole('button', { name: 'Back to sessions' }).click();
    await robinRow.getByRole('button', { name: 'Open' }).waitFor();
    await back.close();
    await page.close();
  });
});
