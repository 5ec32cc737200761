/**
 * The agent console shows who a visitor is as the host said it: a verified identity (its
 * hash the host's HMAC of the id) is marked as such, an unverified one is not, and the
 * attributes the host passed are listed beside the conversation. Real Chromium, real server
 * started with an identity secret.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { useConsoleBrowser } from './console-browser.ts';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { chat, TOKEN, useServer } from './support.ts';

const SECRET = 'console-identity-secret';
const hmac = (id: string) => createHmac('sha256', SECRET).update(id).digest('hex');

describe('agent console: the visitor as the host named them', () => {
  const server = useServer({ identitySecret: SECRET });
  const browser = useConsoleBrowser();

  test('a verified identity is marked, its attributes listed; a visitor without one is neither', async () => {
    const grace = { id: 'u-2001', name: 'Grace Hopper', email: 'grace@example.com', attributes: { department: 'Finance', plan: 'Gold', seats: 12, admin: true } };
    const verified = (await chat(server(), 'Hello', null, { visitor: { ...grace, hash: hmac(grace.id) } })).sessionId!;
    await chat(server(), DEFAULT_HUMAN_REQUEST, verified);
    const anonymous = (await chat(server(), 'Hello', null, { pageUrl: 'https://intranet.example/payroll' })).sessionId!;
    await chat(server(), DEFAULT_HUMAN_REQUEST, anonymous);

    const page = await browser().newPage();
    await page.goto(`${server().url}/agent.html`);
    await page.getByRole('textbox', { name: 'Agent token' }).fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const rows = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
    const graceRow = rows.filter({ hasText: 'Grace Hopper' });
    const anonymousRow = rows.filter({ hasText: 'intranet.example/payroll' });
    await graceRow.waitFor();
    await anonymousRow.waitFor();
    assert.match(await graceRow.innerText(), /✓ verified/);
    assert.doesNotMatch(await anonymousRow.innerText(), /verified/);

    await graceRow.getByRole('button', { name: 'Take over' }).click();
    await page.getByRole('heading', { name: /Grace Hopper · Live/ }).waitFor();
    assert.match(await page.getByRole('heading', { name: /Grace Hopper/ }).innerText(), /✓ verified/);
    const details = page.getByRole('definition');
    const terms = page.getByRole('term');
    await terms.first().waitFor();
    assert.deepEqual(await terms.allInnerTexts(), ['department', 'plan', 'seats', 'admin']);
    assert.deepEqual(await details.allInnerTexts(), ['Finance', 'Gold', '12', 'true']);
    await page.close();
  });
});
