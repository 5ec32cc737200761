/**
 * Several tabs of the demo page in one browser context (one origin, one localStorage),
 * against `npm start`'s reference server, with the agent played by a console socket: one
 * conversation everywhere, one socket, and a handover that loses nothing when the tab
 * holding the socket closes. Page scripts are strings: the test's transpiler would add
 * helpers the page lacks.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page, WebSocket as WebSocketInPage } from 'playwright-core';
import { WebSocket } from 'ws';
import { launchChromium, startApp, type RunningApp } from './support.ts';
import { waitFor } from './cli-support.ts';

let app: RunningApp;
let browser: Browser;

interface Frame {
  type: string;
  [key: string]: unknown;
}

interface Shown {
  sessionId: string | null;
  conversation: string;
  unread: number;
  open: boolean;
  messages: { id: string; sender: string; content: string; delivery?: string }[];
}

const SHOWN = `(() => {
  const el = document.querySelector('webchat-agent');
  const s = el.state;
  return { sessionId: s.sessionId, conversation: s.conversation, unread: s.unread, open: el.open,
    messages: s.messages.map((m) => ({ id: m.id, sender: m.sender, content: m.content, delivery: m.delivery })) };
})()`;

const shown = (page: Page) => page.evaluate(SHOWN) as Promise<Shown>;
const call = (page: Page, script: string) => page.evaluate(`document.querySelector('webchat-agent').${script}`);

/** The tabs of one visitor, with the live-chat sockets each has open. */
class Visitor {
  readonly pages: Page[] = [];
  private readonly open = new Map<Page, Set<WebSocketInPage>>();
  private constructor(readonly context: BrowserContext) {}

  static async start(count: number): Promise<Visitor> {
    const visitor = new Visitor(await browser.newContext());
    for (let i = 0; i < count; i++) await visitor.openTab();
    return visitor;
  }

  async openTab(): Promise<Page> {
    const page = await this.context.newPage();
    this.open.set(page, new Set());
    page.on('websocket', (socket) => {
      if (!socket.url().includes('/api/livechat')) return;
      this.open.get(page)?.add(socket);
      socket.on('close', () => this.open.get(page)?.delete(socket));
    });
    // A reload tears its document's sockets down without a close event here.
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.open.get(page)?.clear();
    });
    await page.goto(`${app.url}/`);
    await page.locator('webchat-agent').waitFor({ state: 'attached' });
    this.pages.push(page);
    return page;
  }

  async closeTab(page: Page): Promise<void> {
    this.pages.splice(this.pages.indexOf(page), 1);
    this.open.delete(page);
    await page.close({ runBeforeUnload: true });
  }

  /** Open sockets, over every tab. */
  sockets(): number {
    return [...this.open.values()].reduce((sum, sockets) => sum + sockets.size, 0);
  }

  /** The tab holding the socket. */
  leader(): Promise<Page> {
    return (waitFor(() => this.sockets() === 1 && this.pages.find((page) => this.open.get(page)?.size === 1), 'one tab holding the socket') as Promise<Page>).catch(async (error: Error) => {
      const states = await Promise.all(this.pages.map(shown));
      throw new Error(`${error.message}: sockets by tab ${JSON.stringify(this.pages.map((page) => this.open.get(page)?.size))}, ${JSON.stringify(states.map((s) => [s.conversation, s.messages.length]))}`);
    });
  }

  /** Every tab shows the same transcript; returns it. */
  async sameEverywhere(check: (state: Shown) => boolean, what: string): Promise<Shown> {
    return waitFor<Shown | false>(async () => {
      const states = await Promise.all(this.pages.map(shown));
      const same = states.every((s) => JSON.stringify(s.messages) === JSON.stringify(states[0]!.messages) && s.sessionId === states[0]!.sessionId);
      return same && states.every(check) && states[0]!;
    }, what) as Promise<Shown>;
  }
}

/** An agent's console socket, joined to the session and taking it over. */
async function agent(sessionId: string, name: string) {
  const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/livechat`);
  const frames: Frame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise((resolve) => ws.once('open', resolve));
  const send = (frame: object) => ws.send(JSON.stringify({ chatbotId: 'demo', sessionId, ...frame }));
  send({ type: 'client:join', as: 'admin', token: app.agentToken });
  await waitFor(() => frames.some((f) => f.type === 'livechat:status' && f['ok']), 'the agent join');
  send({ type: 'client:takeover', agent: { name } });
  const received = () => frames.filter((f) => f.type === 'livechat:message' && f['sender'] === 'user').map((f) => String(f['content']));
  return { send, received, say: (content: string) => send({ type: 'client:message', sender: 'admin', content, clientMessageId: `a-${Math.random()}` }), close: () => ws.close() };
}

async function liveChat(visitor: Visitor) {
  await call(visitor.pages[1]!, `requestHuman()`);
  const { sessionId } = await visitor.sameEverywhere((s) => s.conversation === 'waiting', 'waiting, in every tab');
  const ana = await agent(sessionId!, 'Ana');
  await visitor.sameEverywhere((s) => s.conversation === 'live', 'live, in every tab');
  return ana;
}

const userTexts = (state: Shown, prefix: string) => state.messages.filter((m) => m.sender === 'user' && m.content.startsWith(prefix)).map((m) => m.content);

describe('one conversation in every tab of the demo page', { timeout: 180_000 }, () => {
  before(async () => {
    app = await startApp();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('messages from each tab and from the agent show in every tab, once, in order, over one socket; the panel opens everywhere', async () => {
    const visitor = await Visitor.start(3);
    await visitor.pages[0]!.getByRole('button', { name: 'Open chat' }).click();
    for (const page of visitor.pages) await page.locator('webchat-agent[open]').waitFor({ state: 'attached' });

    await call(visitor.pages[0]!, `send('How do I connect to the VPN?')`);
    await visitor.sameEverywhere((s) => s.messages.some((m) => m.sender === 'bot'), 'the bot answer in every tab');
    const ana = await liveChat(visitor);
    for (const [i, page] of visitor.pages.entries()) {
      await call(page, `send('from tab ${i}')`);
      await waitFor(() => ana.received().includes(`from tab ${i}`), `the agent receiving tab ${i}`);
      ana.say(`answer ${i}`);
      await visitor.sameEverywhere((s) => s.messages.at(-1)?.content === `answer ${i}`, `answer ${i} in every tab`);
    }
    const state = await visitor.sameEverywhere((s) => s.messages.every((m) => m.delivery !== 'sending'), 'every message confirmed');
    const live = state.messages.filter((m) => /^(from tab|answer) \d$/.test(m.content)).map((m) => m.content);
    assert.deepEqual(live, ['from tab 0', 'answer 0', 'from tab 1', 'answer 1', 'from tab 2', 'answer 2']);
    assert.equal(new Set(state.messages.map((m) => m.id)).size, state.messages.length, 'each message once');
    assert.deepEqual(ana.received().filter((text) => text.startsWith('from tab')), ['from tab 0', 'from tab 1', 'from tab 2']);
    assert.equal(visitor.sockets(), 1, 'one visitor socket over three tabs');
    ana.close();
    await visitor.context.close();
  });

  it("closing the leader's tab in a live chat: another tab rejoins within 2 s, and what the others queued meanwhile arrives once", async () => {
    const visitor = await Visitor.start(3);
    const ana = await liveChat(visitor);
    const leader = await visitor.leader();
    const closing = visitor.closeTab(leader);
    const closedAt = Date.now();
    const settled: number[] = [];
    const sends = visitor.pages.map((page, i) => call(page, `send('queued in tab ${i}')`).then(() => settled.push(i)));
    await closing;
    const next = await visitor.leader();
    const handover = Date.now() - closedAt;
    assert.ok(handover < 2000, `a new socket after ${handover} ms`);
    console.log(`handover: a new tab's socket ${handover} ms after the leader's tab closed`);
    assert.ok(visitor.pages.includes(next));
    // Each tab's send() settles, whichever leader took the message.
    await waitFor(() => settled.length === sends.length, "every tab's send() settled");
    await Promise.all(sends);
    await waitFor(() => ana.received().filter((text) => text.startsWith('queued')).length >= 2, 'both queued messages at the agent');
    const state = await visitor.sameEverywhere((s) => userTexts(s, 'queued').length === 2 && s.messages.every((m) => m.delivery !== 'sending'), 'both confirmed everywhere');
    assert.deepEqual(userTexts(state, 'queued').sort(), ['queued in tab 0', 'queued in tab 1']);
    assert.deepEqual(ana.received().filter((text) => text.startsWith('queued')).sort(), ['queued in tab 0', 'queued in tab 1'], 'each once at the agent');

    // A tab opened now shows the live chat at once, and opens no socket of its own.
    const late = await visitor.openTab();
    await waitFor(async () => (await shown(late)).conversation === 'live', 'the live chat in the new tab');
    await visitor.sameEverywhere(() => true, 'the same transcript in the new tab');
    assert.equal(visitor.sockets(), 1);

    // Reloading a follower, then the leader.
    const follower = visitor.pages.find((page) => page !== next)!;
    await follower.reload();
    await visitor.sameEverywhere((s) => s.conversation === 'live', 'after reloading a follower');
    await next.reload();
    await visitor.leader();
    ana.say('after the reloads');
    await visitor.sameEverywhere((s) => s.messages.at(-1)?.content === 'after the reloads', 'after reloading the leader');
    assert.equal(visitor.sockets(), 1);
    ana.close();
    await visitor.context.close();
  });

  it('offline and back: a message sent from a follower while offline arrives once', async () => {
    const visitor = await Visitor.start(2);
    const ana = await liveChat(visitor);
    const leader = await visitor.leader();
    const follower = visitor.pages.find((page) => page !== leader)!;
    await visitor.context.setOffline(true);
    await call(follower, `send('written offline')`);
    await visitor.context.setOffline(false);
    await waitFor(() => ana.received().includes('written offline'), 'the message at the agent');
    const state = await visitor.sameEverywhere((s) => userTexts(s, 'written offline').length === 1 && s.messages.every((m) => m.delivery !== 'sending'), 'confirmed everywhere');
    assert.deepEqual(userTexts(state, 'written'), ['written offline']);
    assert.equal(ana.received().filter((text) => text === 'written offline').length, 1);
    ana.close();
    await visitor.context.close();
  });

  it('two tabs sending their first message at once start one session; reset() in one starts a new one in all', async () => {
    const visitor = await Visitor.start(3);
    await Promise.all([call(visitor.pages[0]!, `send('first from tab 0')`), call(visitor.pages[2]!, `send('first from tab 2')`)]);
    const state = await visitor.sameEverywhere((s) => s.messages.filter((m) => m.sender === 'bot').length === 2, 'both answers everywhere');
    assert.ok(state.sessionId);
    assert.deepEqual(userTexts(state, 'first').sort(), ['first from tab 0', 'first from tab 2']);

    await call(visitor.pages[1]!, `reset()`);
    const fresh = await visitor.sameEverywhere((s) => s.conversation === 'new' && s.messages.length === 0, 'a new conversation everywhere');
    assert.equal(fresh.sessionId, null);
    await call(visitor.pages[2]!, `send('after the reset')`);
    const next = await visitor.sameEverywhere((s) => s.messages.some((m) => m.sender === 'bot'), 'the new conversation everywhere');
    assert.notEqual(next.sessionId, state.sessionId);
    await visitor.context.close();
  });
});
