// The built IIFE on the strict-CSP page (csp-plugin.mjs), fed the XSS corpus (xss-corpus.ts)
// through every channel that reaches the page: stored state, history, REST replies and their
// sources, bot, agent and system messages over the socket, the agent's name. Nothing may
// run, and the page's policy may not see one violation (a site's CSP reporting endpoint
// would receive each), with the engine's Sanitizer API and with DOMPurify in its place.
import { expect } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import type { ChatMessage } from '../../src/core/index.ts';
import { service } from '../support/browser-service.ts';
import { freshChatbotId, waitFor } from '../support/control.ts';
import { markupPayloads, urlPayloads } from './xss-corpus.ts';

type CspWindow = Window & typeof globalThis & { cspViolations: string[] };

interface StrictPage {
  win: CspWindow;
  el: WebChatAgent;
  root: ShadowRoot;
}

/** Calls of `top.XSS()`: a payload that ran. */
const ran: unknown[] = [];
(window as unknown as { XSS: (...args: unknown[]) => void }).XSS = (...args) => void ran.push(args);

const ALLOWED = new Set(['p', 'br', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote', 'h3', 'h4']);
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const payload = (i: number) => markupPayloads[i % markupPayloads.length]!;

/** Hostile sources: URLs with other schemes, markup as titles, product names and a type. */
function sources(i: number) {
  return [
    { type: 'web', source: urlPayloads[i % urlPayloads.length], title: payload(i) },
    { type: 'product', source: i, data: { name: payload(i + 1), url: urlPayloads[(i + 1) % urlPayloads.length] } },
    { type: payload(i + 2), source: 'https://example.com/typed' },
  ];
}

/** Every payload as a bot reply, an agent's message under a hostile name, a notice and the
 * visitor's own text, as the service's history lists them. */
function hostileHistory(prefix: string, minutesAgo: number) {
  return markupPayloads.flatMap((content, i) => {
    const createdAt = at(minutesAgo - i * 0.01);
    return [
      { id: `${prefix}-bot-${i}`, sender: 'bot' as const, content, createdAt, sources: sources(i) },
      { id: `${prefix}-agent-${i}`, sender: 'admin' as const, content, createdAt, sources: [], agent: { name: payload(i + 3) } },
      { id: `${prefix}-system-${i}`, sender: 'system' as const, content, createdAt, sources: [] },
      { id: `${prefix}-user-${i}`, sender: 'user' as const, content, createdAt, sources: [] },
    ];
  });
}

/** The same messages as the device stores them. */
function stored(prefix: string, minutesAgo: number): ChatMessage[] {
  return hostileHistory(prefix, minutesAgo).map((h) => ({
    ...h,
    serverId: h.id,
    html: h.sender === 'bot',
    ...(h.sender === 'user' ? { delivery: 'sent' as const } : {}),
  }));
}

/** The pages a test opened, removed after it. */
const opened: HTMLIFrameElement[] = [];

async function openStrictPage(chatbotId: string, sanitizerApi: boolean): Promise<StrictPage> {
  const frame = document.createElement('iframe');
  opened.push(frame);
  frame.style.width = '800px';
  frame.style.height = '700px';
  const query = new URLSearchParams({ service: service.url, chatbot: chatbotId, ...(sanitizerApi ? {} : { 'sanitizer-api': 'off' }) });
  frame.src = `/__csp/page.html?${query}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as CspWindow;
  expect('setHTML' in win.Element.prototype, 'the Sanitizer API as this test wants it').to.equal(sanitizerApi);
  const el = frame.contentDocument!.querySelector('webchat-agent') as WebChatAgent;
  return { win, el, root: el.shadowRoot! };
}

const bubbleCount = (page: StrictPage) => page.root.querySelectorAll('[role=log] .bubble').length;

let controls = 0;
/**
 * The violations the page saw, once all of them have been delivered: a control violation
 * (an inline style on an element of the test's own) is queued after them, so when its
 * event has come, so have theirs. The control itself is left out.
 */
async function violationsOf(page: StrictPage): Promise<string[]> {
  await page.el.updateComplete;
  const id = `csp-control-${++controls}`;
  const control = page.win.document.createElement('span');
  control.id = id;
  page.win.document.body.append(control);
  control.setAttribute('style', 'color: red');
  await waitFor(() => page.win.cspViolations.some((v) => v.endsWith(`#${id}`)), 'the control violation');
  control.remove();
  return page.win.cspViolations.filter((v) => !/#csp-control-\d+$/.test(v));
}

/** What a visitor could meet: only the allowed tags in bubbles, links only to safe schemes. */
function expectNothingHostileShown(page: StrictPage): void {
  for (const bubble of page.root.querySelectorAll('.bubble')) {
    for (const node of bubble.querySelectorAll('*')) {
      expect(ALLOWED.has(node.localName), `<${node.localName}> in a bubble`).to.equal(true);
      const attributes = node.getAttributeNames().filter((name) => !(node.localName === 'a' && ['href', 'target', 'rel'].includes(name)));
      expect(attributes, `attributes of <${node.localName}>`).to.deep.equal([]);
    }
  }
  for (const link of page.root.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    expect(SAFE_PROTOCOLS.has(link.protocol), `a link to ${link.href}`).to.equal(true);
  }
}

async function expectClean(page: StrictPage): Promise<void> {
  expect(await violationsOf(page)).to.deep.equal([]);
  expect(ran).to.deep.equal([]);
  expectNothingHostileShown(page);
}

/** A session the service knows, so its history is asked for. */
async function startSession(chatbotId: string): Promise<string> {
  const started = await fetch(`${service.url}/api/chat`, { method: 'POST', body: JSON.stringify({ message: 'hello', chatbotId }) });
  return started.headers.get('X-Chat-Session-Id')!;
}

for (const sanitizerApi of [true, false]) {
  describe(`the strict-CSP page fed the XSS corpus (${sanitizerApi ? 'the Sanitizer API' : 'DOMPurify, no Sanitizer API'})`, function () {
    // Every channel renders the whole corpus four times over.
    this.timeout(20_000);
    beforeEach(() => void (ran.length = 0));
    afterEach(() => {
      for (const frame of opened.splice(0)) frame.remove();
      localStorage.clear();
    });

    it('restores stored messages and merges a history of them, with hostile agent names and sources, cleanly', async () => {
      const chatbotId = freshChatbotId();
      const sessionId = await startSession(chatbotId);
      // The stored messages are older than the history's first one, so the merge keeps them.
      const device = stored('stored', 600);
      localStorage.setItem(
        `webchat-agent:${chatbotId}`,
        JSON.stringify({ sessionId, mode: 'bot', status: null, agent: { name: payload(0) }, messages: device, outbox: [] }),
      );
      const history = hostileHistory('history', 60);
      await service.configure(chatbotId, { historyRaw: JSON.stringify({ messages: history, mode: 'bot', agent: { name: payload(1) } }) });

      const page = await openStrictPage(chatbotId, sanitizerApi);
      await waitFor(() => page.el.state.messages.length === device.length + history.length, 'the stored messages and the history');
      // A long conversation builds its newest rows first; printing builds them all.
      page.el.ownerDocument.defaultView!.dispatchEvent(new Event('beforeprint'));
      await waitFor(() => bubbleCount(page) === device.length + history.length, 'every row built');
      await expectClean(page);
    });

    it('shows REST replies and their hostile sources cleanly', async () => {
      const chatbotId = freshChatbotId();
      await service.configure(chatbotId, { historyMissing: true });
      await service.script(chatbotId, ...markupPayloads.map((reply, i) => ({ body: { reply, sources: sources(i), mode: 'bot' } })));
      const page = await openStrictPage(chatbotId, sanitizerApi);
      for (const [i] of markupPayloads.entries()) void page.el.send(`Question ${i}`);
      await waitFor(() => bubbleCount(page) === 2 * markupPayloads.length, 'every reply', 15_000);
      expect(page.root.querySelectorAll('[part=sources] a').length, 'the safe sources still listed').to.be.greaterThan(0);
      await expectClean(page);
    });

    it('shows bot, agent and system messages over the socket, and agents with hostile names, cleanly', async () => {
      const chatbotId = freshChatbotId();
      await service.configure(chatbotId, { historyMissing: true });
      const page = await openStrictPage(chatbotId, sanitizerApi);
      await page.el.requestHuman();
      await waitFor(() => page.el.state.connection.state === 'joined', 'the live chat joined');
      const sessionId = page.el.state.sessionId!;
      const before = bubbleCount(page);
      for (const name of markupPayloads.slice(0, 10)) {
        await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name } });
      }
      await Promise.all(
        markupPayloads.flatMap((content, i) => {
          const frame = (sender: string) =>
            JSON.stringify({ type: 'livechat:message', sessionId, id: `live-${sender}-${i}`, sender, content, createdAt: new Date().toISOString(), sources: sources(i) });
          return [
            service.act(chatbotId, sessionId, { type: 'raw', data: frame('bot') }),
            service.act(chatbotId, sessionId, { type: 'raw', data: frame('system') }),
            service.act(chatbotId, sessionId, { type: 'say', content, agent: { name: payload(i + 3) } }),
          ];
        }),
      );
      await waitFor(() => bubbleCount(page) === before + 3 * markupPayloads.length, 'every live message', 15_000);
      await expectClean(page);
    });
  });
}
