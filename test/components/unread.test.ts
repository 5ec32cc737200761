// Messages that arrive while nobody looks: the closed launcher's badge, its accessible name,
// the `webchat-unread` event, and a count that outlives a reload.
import { expect } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { $, button, goLive, mount, service, waitFor } from './helpers.ts';

function unreadEvents(el: WebChatAgent): number[] {
  const counts: number[] = [];
  el.addEventListener('webchat-unread', (event) => counts.push((event as CustomEvent<{ count: number }>).detail.count));
  return counts;
}

const say = (chatbotId: string, sessionId: string, content: string) => service.act(chatbotId, sessionId, { type: 'say', content, agent: { name: 'Ana' } });

/** Hides or shows the page the way a tab switch does. */
function pageVisibility(state: 'hidden' | 'visible'): void {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('<webchat-agent> unread messages', () => {
  afterEach(() => {
    delete (document as { visibilityState?: unknown }).visibilityState;
    localStorage.clear();
  });

  it('the closed launcher shows the count and says it; opening reads them', async () => {
    // The live chat starts with the panel open: the bot's answer to the request is read.
    const { el, chatbotId } = await mount({ layout: 'launcher', open: true });
    const counts = unreadEvents(el);
    const sessionId = await goLive(el, chatbotId, 'Ana');
    el.hide();
    await say(chatbotId, sessionId, 'Are you still there?');
    await waitFor(() => button(el, 'Open chat, 1 unread message'), 'the launcher names one unread message');
    expect($(el, '[part=badge]')!.textContent).to.equal('1');
    expect($(el, '[part=badge]')!.getAttribute('aria-hidden')).to.equal('true');
    await say(chatbotId, sessionId, 'I can help with the VPN.');
    await waitFor(() => button(el, 'Open chat, 2 unread messages'), 'the launcher names two unread messages');
    expect($(el, '[part=badge]')!.textContent).to.equal('2');

    button(el, 'Open chat, 2 unread messages')!.click();
    await waitFor(() => el.state.unread === 0, 'the messages read');
    await el.updateComplete;
    expect(button(el, 'Close chat')).to.not.equal(null);
    expect($(el, '[part=badge]')).to.equal(null);
    // Read as they arrive while the panel is open.
    await say(chatbotId, sessionId, 'Try reconnecting.');
    await waitFor(() => el.state.messages.some((m) => m.content === 'Try reconnecting.'), 'the third message');
    el.hide();
    await el.updateComplete;
    expect(button(el, 'Open chat')).to.not.equal(null);
    expect(counts).to.deep.equal([1, 2, 0]);
  });

  it('a hidden page counts as not reading, even with the panel open', async () => {
    const { el, chatbotId } = await mount({ layout: 'launcher', open: true });
    const counts = unreadEvents(el);
    const sessionId = await goLive(el, chatbotId, 'Ana');
    pageVisibility('hidden');
    await say(chatbotId, sessionId, 'Back in a minute?');
    await waitFor(() => counts.length === 1, 'a webchat-unread event');
    expect(el.state.unread).to.equal(1);
    pageVisibility('visible');
    await waitFor(() => counts.length === 2, 'the count cleared');
    expect(counts).to.deep.equal([1, 0]);
  });

  it('the count survives a reload', async () => {
    const first = await mount({ layout: 'launcher', persist: 'local', open: true });
    const sessionId = await goLive(first.el, first.chatbotId, 'Ana');
    first.el.hide();
    await say(first.chatbotId, sessionId, 'One');
    await say(first.chatbotId, sessionId, 'Two');
    await waitFor(() => first.el.state.unread === 2, 'two unread');
    first.el.remove();

    const { el } = await mount({ layout: 'launcher', persist: 'local', chatbotId: first.chatbotId });
    expect(el.state.unread).to.equal(2);
    await el.updateComplete;
    expect(button(el, 'Open chat, 2 unread messages')).to.not.equal(null);
  });

  it('what the agent wrote while the page was closed is unread when it comes back', async () => {
    const first = await mount({ layout: 'launcher', persist: 'local', open: true });
    const sessionId = await goLive(first.el, first.chatbotId, 'Ana');
    first.el.hide();
    await first.el.updateComplete;
    first.el.remove();
    await say(first.chatbotId, sessionId, 'Are you still there?');

    const { el } = await mount({ layout: 'launcher', persist: 'local', chatbotId: first.chatbotId });
    await waitFor(() => button(el, 'Open chat, 1 unread message'), 'the launcher names the message');
  });

  it('an inline chat on a visible page is read as it arrives', async () => {
    const { el, chatbotId } = await mount({ layout: 'inline' });
    const sessionId = await goLive(el, chatbotId, 'Ana');
    await say(chatbotId, sessionId, 'Hello from Ana');
    await waitFor(() => el.state.messages.some((m) => m.content === 'Hello from Ana'), 'the message');
    expect(el.state.unread).to.equal(0);
  });

  it('plural texts follow the language: a translation gives each category it uses', async () => {
    const { el, chatbotId } = await mount({ layout: 'launcher', open: true });
    el.lang = 'pl';
    el.strings = { openChatUnread: 'Otwórz czat, {unread}', unread_one: '{count} nowa wiadomość', unread_few: '{count} nowe wiadomości', unread_many: '{count} nowych wiadomości' };
    await el.updateComplete;
    // The shipped Polish locale speaks too: the agent joins in Polish.
    const sessionId = await goLive(el, chatbotId);
    await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name: 'Ana' } });
    await waitFor(() => $(el, '[role=status]')!.textContent!.includes('Ana jest teraz na czacie'), 'the agent joined');
    el.hide();
    for (const text of ['a', 'b', 'c']) await say(chatbotId, sessionId, text);
    await waitFor(() => button(el, 'Otwórz czat, 3 nowe wiadomości'), 'the Polish "few" form');
  });
});
