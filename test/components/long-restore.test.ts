// A long restored conversation: its newest rows paint first, the older ones come as the
// reader scrolls up, asks for them ("Show earlier messages"), or prints; nothing is lost,
// the reader's place holds, and the live region does not read old rows out as new.
import { expect, nextFrame } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import type { ChatMessage } from '../../src/core/index.ts';
import { freshChatbotId } from '../support/control.ts';
import { $, bubbles, button, mount, persistTranscript, senderOf, service, waitFor } from './helpers.ts';

/** `count` settled messages a second apart from 08:00 today (one day: no day line inside),
 * the visitor's and the bot's in turn, the bot's as HTML (with a link when `links`). */
function conversation(count: number, links = false): ChatMessage[] {
  const start = new Date();
  start.setHours(8, 0, 0, 0);
  return Array.from({ length: count }, (_, i): ChatMessage => {
    const id = `h-${i}`;
    const createdAt = new Date(start.getTime() + i * 1000).toISOString();
    return i % 2
      ? { id, serverId: id, sender: 'bot', content: links ? `<p>Answer <a href="https://example.com/${i}">${i}</a></p>` : `<p>Answer <strong>${i}</strong></p>`, html: true, sources: [], createdAt }
      : { id, serverId: id, sender: 'user', content: `Question ${i}`, html: false, sources: [], createdAt, delivery: 'sent' };
  });
}

const text = (message: ChatMessage) => (message.html ? message.content.replace(/<[^>]+>/g, '') : message.content);
const log = (el: WebChatAgent) => $(el, '[role=log]')!;
const rows = (el: WebChatAgent) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role=log] .block .message')];
const earlier = (el: WebChatAgent) => button(el, 'Show earlier messages');
const atBottom = (el: WebChatAgent) => {
  const l = log(el);
  return l.scrollHeight - l.scrollTop - l.clientHeight < 2;
};

const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await nextFrame();
};

/** A chatbot whose stored conversation is `messages`. */
async function stored(messages: ChatMessage[]): Promise<string> {
  const chatbotId = freshChatbotId();
  await service.configure(chatbotId, { historyMissing: true });
  persistTranscript(chatbotId, messages);
  return chatbotId;
}

async function restore(count: number, links = false): Promise<{ el: WebChatAgent; messages: ChatMessage[] }> {
  const messages = conversation(count, links);
  const { el } = await mount({ persist: 'local', chatbotId: await stored(messages) });
  el.style.height = '400px';
  await waitFor(() => el.state.messages.length === count && bubbles(el).at(-1) === text(messages.at(-1)!), 'the restored conversation');
  await waitFor(() => atBottom(el), 'the log at its end');
  // Settled: the rows' sizes no longer change (blocks off screen keep an estimate until shown).
  for (let same = 0, height = -1; same < 3; ) {
    await nextFrame();
    same = log(el).scrollHeight === height ? same + 1 : 0;
    height = log(el).scrollHeight;
  }
  return { el, messages };
}

describe('<webchat-agent> a long restored conversation', () => {
  afterEach(() => localStorage.clear());

  it('paints its newest 50 to 99 rows (whole blocks) at the end of the log, in order, with "Show earlier messages" above them', async () => {
    const { el, messages } = await restore(1000);
    const shown = bubbles(el);
    expect(shown.length).to.be.within(50, 99);
    expect(shown).to.deep.equal(messages.slice(-shown.length).map(text));
    const control = earlier(el)!;
    expect(control !== null, 'the control').to.equal(true);
    expect(control.getAttribute('part')).to.equal('show-earlier');
    // It comes first in the log, before the oldest row shown.
    expect(control.compareDocumentPosition(rows(el)[0]!) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    // The first row shown says who wrote it, as any row after another sender's does.
    expect(senderOf(rows(el)[0]!)).to.not.equal('');
    expect(el.shadowRoot!.querySelectorAll('[role=log] [part~=day]').length, 'no day line inside one day').to.equal(0);
  });

  it('shows every message of a conversation of 200, with no control', async () => {
    const { el, messages } = await restore(200);
    expect(bubbles(el)).to.deep.equal(messages.map(text));
    expect(earlier(el) === null, 'no control').to.equal(true);
  });

  it('shows the older rows as the reader scrolls up, keeping in place the rows they were reading', async () => {
    const { el, messages } = await restore(1000);
    const before = bubbles(el).length;
    const firstShown = rows(el)[0]!;
    // The reader scrolls up to the oldest rows shown, not yet to the control.
    const l = log(el);
    const place = () => firstShown.getBoundingClientRect().top - l.getBoundingClientRect().top;
    l.scrollTop += place() - 20;
    const was = place();
    expect(bubbles(el).length).to.equal(before);
    await waitFor(() => bubbles(el).length > before, 'older rows shown');
    await nextFrame();
    expect(Math.abs(place() - was), 'the row read moved by (px)').to.be.below(2);
    expect(bubbles(el)).to.deep.equal(messages.slice(-bubbles(el).length).map(text));
    // Scrolling on to the top brings in the rest, and the control goes.
    for (let i = 0; i < 40 && earlier(el); i++) {
      l.scrollTop = 0;
      await nextFrame();
      await el.updateComplete;
    }
    await waitFor(() => earlier(el) === null, 'every row shown');
    expect(bubbles(el)).to.deep.equal(messages.map(text));
  });

  it('shows them from the keyboard: the focused control waits for Enter, stays where it is with the focus, and old rows are not announced', async () => {
    const { el, messages } = await restore(1000);
    const control = earlier(el)!;
    const l = log(el);
    control.focus({ preventScroll: true });
    const before = bubbles(el).length;
    // In view with the focus, it does not show rows by itself (they would push it away).
    l.scrollTop = 0;
    await frames(3);
    expect(bubbles(el).length).to.equal(before);
    const place = () => control.getBoundingClientRect().top - l.getBoundingClientRect().top;
    const was = place();
    // What the log's live region said when the rows went in.
    const liveWhenAdded: (string | null)[] = [];
    const observer = new MutationObserver(() => liveWhenAdded.push(l.getAttribute('aria-live')));
    observer.observe($(el, '.blocks')!, { childList: true });
    const { sendKeys } = await import('@web/test-runner-commands');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => bubbles(el).length === before + 100, 'a hundred older rows');
    observer.disconnect();
    expect(liveWhenAdded.length).to.be.above(0);
    expect(liveWhenAdded.every((value) => value === 'off'), `aria-live as the rows went in: ${liveWhenAdded}`).to.equal(true);
    await waitFor(() => l.getAttribute('aria-live') === 'polite', 'the log announcing again');
    expect(el.shadowRoot!.activeElement === control, 'the control has the focus').to.equal(true);
    expect(Math.abs(place() - was), 'the control moved by (px)').to.be.below(2);
    expect(bubbles(el)).to.deep.equal(messages.slice(-bubbles(el).length).map(text));
  });

  it('gives the focus to the log when the last reveal takes the control away', async () => {
    const { el, messages } = await restore(300);
    const { sendKeys } = await import('@web/test-runner-commands');
    earlier(el)!.focus({ preventScroll: true });
    for (let i = 0; i < 10 && earlier(el); i++) {
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      await frames(2);
    }
    expect(earlier(el) === null, 'no control').to.equal(true);
    expect(bubbles(el)).to.deep.equal(messages.map(text));
    expect(el.shadowRoot!.activeElement === log(el), `the log has the focus, not ${el.shadowRoot!.activeElement?.localName}`).to.equal(true);
  });

  it('leaves the rows shown where they are as older ones go in: a focused link keeps the focus', async () => {
    const { el } = await restore(1000, true);
    const link = rows(el).at(-1)!.querySelector('a')!;
    link.focus({ preventScroll: true });
    const removed: Node[] = [];
    const observer = new MutationObserver((records) => records.forEach((record) => removed.push(...record.removedNodes)));
    observer.observe($(el, '.rows')!, { childList: true, subtree: true });
    earlier(el)!.click();
    await el.updateComplete;
    observer.disconnect();
    expect(removed.length, 'nodes taken out').to.equal(0);
    expect(el.shadowRoot!.activeElement === link, 'the link has the focus').to.equal(true);
  });

  it('announces new messages again when it was taken out of the page during a reveal', async () => {
    const { el } = await restore(1000);
    const parent = el.parentNode!;
    earlier(el)!.click();
    await el.updateComplete;
    el.remove();
    await frames(4);
    parent.append(el);
    await el.updateComplete;
    await frames(4);
    expect(log(el).getAttribute('aria-live')).to.equal('polite');
  });

  it('shows the newest rows first of another long stored conversation (another chatbot-id)', async () => {
    const short = conversation(10);
    const long = conversation(1000);
    const { el } = await mount({ persist: 'local', chatbotId: await stored(short) });
    el.style.height = '400px';
    await waitFor(() => bubbles(el).length === 10, 'the short conversation');
    el.chatbotId = await stored(long);
    await waitFor(() => el.state.messages.length === 1000 && bubbles(el).at(-1) === text(long.at(-1)!), 'the long conversation');
    await el.updateComplete;
    expect(bubbles(el).length).to.be.within(50, 99);
    expect(bubbles(el)).to.deep.equal(long.slice(-bubbles(el).length).map(text));
  });

  it('builds no more rows before printing while the panel is closed (they would not print)', async () => {
    const messages = conversation(1000);
    const { el } = await mount({ layout: 'launcher', persist: 'local', chatbotId: await stored(messages) });
    await waitFor(() => el.state.messages.length === 1000, 'the restored conversation');
    await el.updateComplete;
    const before = el.shadowRoot!.querySelectorAll('[role=log] .bubble').length;
    expect(before).to.be.below(100);
    window.dispatchEvent(new Event('beforeprint'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[role=log] .bubble').length).to.equal(before);
  });

  it('puts every row in the log before the page prints', async () => {
    const { el, messages } = await restore(1000);
    window.dispatchEvent(new Event('beforeprint'));
    await el.updateComplete;
    expect(bubbles(el)).to.deep.equal(messages.map(text));
    expect(earlier(el) === null, 'no control').to.equal(true);
  });

  it('adds what the visitor sends at the end, without building the older rows', async () => {
    const { el, messages } = await restore(1000);
    const before = bubbles(el).length;
    await el.send('One more question');
    await waitFor(() => bubbles(el).at(-1) === 'Echo: One more question', 'the answer');
    expect(bubbles(el).length).to.equal(before + 2);
    expect(bubbles(el).slice(0, before)).to.deep.equal(messages.slice(-before).map(text));
    expect(earlier(el) !== null, 'the control').to.equal(true);
    await waitFor(() => atBottom(el), 'still at the end');
  });
});
