// The log's rows: small, and a bot reply's bubble showing its content every time, whether
// one sanitised reply shows in several rows or a row moves between the log's blocks of 50
// (a message lands earlier in the order).
import { expect } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import type { ChatMessage } from '../../src/core/index.ts';
import { freshChatbotId } from '../support/control.ts';
import { bubbles, goLive, mount, persistTranscript, senderOf, service, timesShown, waitFor } from './helpers.ts';

/** A settled conversation of `count` messages, the visitor's and the bot's (HTML) in turn,
 * a minute apart from an hour ago, each with the server id a history lists it under. */
function conversation(count: number, from = Date.now() - 3_600_000): ChatMessage[] {
  return Array.from({ length: count }, (_, i): ChatMessage => {
    const id = `h-${i}`;
    const createdAt = new Date(from + i * 60_000).toISOString();
    return i % 2
      ? { id, serverId: id, sender: 'bot', content: `<p>Answer <strong>${i}</strong></p>`, html: true, sources: [], createdAt }
      : { id, serverId: id, sender: 'user', content: `Question ${i}`, html: false, sources: [], createdAt, delivery: 'sent' };
  });
}

/** What a message's bubble should read: bot HTML as its text, anything else as it is. */
function expectedText(message: ChatMessage): string {
  if (!message.html) return message.content;
  return new DOMParser().parseFromString(message.content, 'text/html').body.textContent!;
}

/** Every bubble, in order, reads its message's text: no bot bubble has gone empty. */
async function expectEveryBubbleFilled(el: WebChatAgent): Promise<void> {
  await el.updateComplete;
  const shown = bubbles(el);
  expect(shown.filter((text) => !text?.trim()), 'empty bubbles').to.deep.equal([]);
  expect(shown).to.deep.equal(el.state.messages.map(expectedText));
}

/** The nodes of a row, itself, Lit markers and text included. */
function nodes(root: Node): number {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
  let count = 1;
  while (walker.nextNode()) count++;
  return count;
}

describe('<webchat-agent> log rows moving between blocks', () => {
  afterEach(() => localStorage.clear());

  it('shows one sanitised reply in full in every row that has it, in another element, and after a re-render', async () => {
    const reply = '<p>Open <strong>Settings</strong>, then <a href="https://example.com/vpn">VPN</a></p>';
    const messages = conversation(4).map((m) => (m.sender === 'bot' ? { ...m, content: reply } : m));
    const replies = (el: WebChatAgent) =>
      [...el.shadowRoot!.querySelectorAll('[part~=message-bot] .bubble')].map((b) => [b.textContent, b.querySelector('strong')?.textContent, b.querySelector('a')?.href]);
    const full = ['Open Settings, then VPN', 'Settings', 'https://example.com/vpn'];
    const show = async () => {
      const chatbotId = freshChatbotId();
      await service.configure(chatbotId, { historyMissing: true });
      persistTranscript(chatbotId, messages);
      const { el } = await mount({ persist: 'local', chatbotId });
      await waitFor(() => bubbles(el).length === 4, 'the restored conversation');
      return el;
    };
    const first = await show();
    expect(replies(first)).to.deep.equal([full, full]);
    // A second element builds its rows from the same sanitised reply.
    const second = await show();
    expect(replies(second)).to.deep.equal([full, full]);
    expect(replies(first)).to.deep.equal([full, full]);
    // Another language renders every row again.
    first.lang = 'de';
    await first.updateComplete;
    await waitFor(() => first.shadowRoot!.querySelector('[part~=message-user] [part=delivery]')?.textContent === 'Gesendet', 'the German rows');
    expect(replies(first)).to.deep.equal([full, full]);
    expect(replies(second)).to.deep.equal([full, full]);
  });

  it('builds a plain row of at most 6 nodes, Lit markers and text included, and still says who wrote each', async () => {
    const { el, chatbotId } = await mount();
    const sessionId = await goLive(el, chatbotId, 'Dana');
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Hello', agent: { name: 'Dana' } });
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Let me check', agent: { name: 'Dana' } });
    await waitFor(() => el.shadowRoot!.querySelectorAll('[part~=message-agent]').length === 2, 'the agent messages');
    await el.updateComplete;
    const rows = [...el.shadowRoot!.querySelectorAll('[part~=message-agent]')];
    expect(rows.map(nodes)).to.deep.equal([6, 5]);
    // Nothing between the rows either: every node of their block is a row.
    const block = rows[0]!.parentElement!;
    expect([...block.childNodes].every((node) => node instanceof Element && node.matches('[part~=message]'))).to.equal(true);
    // The first of Dana's run shows her name; the next says it in its time's name.
    const [lead, next] = rows;
    expect(lead!.firstChild!.textContent).to.equal('Dana');
    await timesShown(el);
    expect(next!.querySelector('time')!.getAttribute('aria-label')).to.match(/^Dana, /);
  });

  it('builds a settled row of the visitor in at most 6 nodes: only their newest sent message says "Sent"', async () => {
    const chatbotId = freshChatbotId();
    await service.configure(chatbotId, { historyMissing: true });
    persistTranscript(chatbotId, conversation(8));
    const { el } = await mount({ persist: 'local', chatbotId });
    await waitFor(() => bubbles(el).length === 8, 'the restored conversation');
    const visitor = [...el.shadowRoot!.querySelectorAll('[part~=message-user]')];
    expect(visitor.length).to.equal(4);
    // The first also heads its day (a <p> and its text).
    expect(visitor.slice(0, -1).map(nodes)).to.deep.equal([8, 6, 6]);
    expect(visitor.map((row) => row.querySelector('[part=delivery]')?.textContent ?? null)).to.deep.equal([null, null, null, 'Sent']);
    // Each still says who wrote it, and when.
    expect(visitor.map((row) => [senderOf(row), !!row.querySelector('time')])).to.deep.equal(Array(4).fill(['You', true]));
  });

  it('keeps every bot bubble filled when the visitor sends again while a reply is held, past 50 messages', async () => {
    const chatbotId = freshChatbotId();
    await service.configure(chatbotId, { historyMissing: true });
    // 48 messages: the replies to the next two land at the end of the first block of 50, and
    // move into the second as the visitor's messages settle above them.
    persistTranscript(chatbotId, conversation(48));
    const { el } = await mount({ persist: 'local', chatbotId });
    await waitFor(() => bubbles(el).length === 48, 'the restored conversation');

    const reply = (text: string) => ({ body: { reply: `<p>Reply to <b>${text}</b></p>`, sources: [], mode: 'bot' } });
    await service.script(chatbotId, { ...reply('first'), hold: true }, reply('second'));
    void el.send('first');
    const posted = async () => (await service.log(chatbotId)).requests.filter((r) => r.method === 'POST').length;
    await waitFor(async () => (await posted()) === 1, 'the first message at the service');
    void el.send('second');
    await waitFor(() => bubbles(el).includes('second'), 'the second message shown');
    await service.release(chatbotId);
    await waitFor(
      () => el.state.messages.length === 52 && el.state.messages.every((m) => m.delivery !== 'sending'),
      'both messages answered',
    );
    await expectEveryBubbleFilled(el);
    expect(bubbles(el).filter((text) => text?.startsWith('Reply to'))).to.deep.equal(['Reply to first', 'Reply to second']);
  });

  it('keeps every bot bubble filled when a history merge inserts an older message before them', async () => {
    const chatbotId = freshChatbotId();
    // A session the service knows, whose history holds one message the device never had,
    // older than all the others: merged in first, it shifts every row by one.
    const started = await fetch(`${service.url}/api/chat`, { method: 'POST', body: JSON.stringify({ message: 'hello', chatbotId }) });
    const sessionId = started.headers.get('X-Chat-Session-Id')!;
    const known = conversation(120);
    const older = { id: 'h-older', sender: 'bot', content: '<p>An <em>earlier</em> answer</p>', createdAt: new Date(Date.now() - 7_200_000).toISOString(), sources: [] };
    const history = [older, ...known.map(({ id, sender, content, createdAt }) => ({ id, sender, content, createdAt, sources: [] }))];
    await service.configure(chatbotId, { historyRaw: JSON.stringify({ messages: history, mode: 'bot' }) });
    persistTranscript(chatbotId, known, sessionId);

    const { el } = await mount({ persist: 'local', chatbotId });
    // The first render is the stored conversation; the history's answer comes after it.
    expect(bubbles(el).length).to.equal(120);
    await waitFor(() => bubbles(el).length === 121, 'the merged history');
    expect(bubbles(el)[0]).to.equal('An earlier answer');
    await expectEveryBubbleFilled(el);
  });
});
