import { expect, fixture, html, nextFrame, oneEvent } from '@open-wc/testing';
import { $, bubbles, button, focused, goLive, mount, persistTranscript, press, senderOf, service, statusText, textarea, typeText, waitFor } from './helpers.ts';
import { message } from './snapshots.ts';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';

describe('<webchat-agent> launcher', () => {
  it('starts closed with no focus taken, opens into the panel and closes back to the launcher', async () => {
    const { el } = await mount({ layout: 'launcher' });
    expect(document.activeElement).to.equal(document.body);
    const launcher = button(el, 'Open chat')!;
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect($(el, '[part=panel]')!.hidden).to.equal(true);

    const opened = oneEvent(el, 'webchat-open');
    launcher.click();
    await opened;
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(launcher.getAttribute('aria-expanded')).to.equal('true');
    expect(launcher.getAttribute('aria-label')).to.equal('Close chat');
    expect($(el, '[part=panel]')!.hidden).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal(textarea(el));

    const closed = oneEvent(el, 'webchat-close');
    await press('Escape');
    await closed;
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'Open chat'));
  });

  it('is keyboard operable: Enter on the focused launcher opens, Enter again closes', async () => {
    const { el } = await mount({ layout: 'launcher' });
    button(el, 'Open chat')!.focus();
    await press('Enter');
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal(textarea(el));
    // The tab order runs from the message through Send and "Talk to a human" to the launcher.
    await press('Tab');
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'Send'));
    await press('Tab');
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'Talk to a human'));
    await press('Tab');
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'Close chat'));
    await press('Enter');
    await el.updateComplete;
    expect(el.open).to.equal(false);
  });

  it('honours an initial open attribute without moving focus, and show()/hide()', async () => {
    const { el } = await mount({ layout: 'launcher', open: true });
    expect($(el, '[part=panel]')!.hidden).to.equal(false);
    expect(document.activeElement).to.equal(document.body);
    el.hide();
    await el.updateComplete;
    expect($(el, '[part=panel]')!.hidden).to.equal(true);
    el.show();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(textarea(el));
  });

  it('inline layout shows the panel with no launcher', async () => {
    const { el } = await mount({ layout: 'inline' });
    expect($(el, '[part=panel]')!.hidden).to.equal(false);
    expect($(el, '[part=launcher]')).to.equal(null);
    expect($(el, '[role=log]')!.getAttribute('aria-label')).to.equal('Conversation');
  });

  it('takes a layout changed at run time whole, and keeps the focus on the launcher while it updates', async () => {
    const { el } = await mount({ layout: 'launcher' });
    const panel = $(el, '[part=panel]')!;
    expect(panel.getAttribute('role')).to.equal('dialog');
    el.layout = 'inline';
    await el.updateComplete;
    expect($(el, '[part=launcher]')).to.equal(null);
    expect(panel.hidden).to.equal(false);
    expect(panel.getAttribute('role')).to.equal('region');
    expect(textarea(el)).to.exist;
    el.layout = 'launcher';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part=launcher]')).to.have.length(1);
    expect(panel.hidden).to.equal(true);
    expect(panel.getAttribute('role')).to.equal('dialog');
    const launcher = button(el, 'Open chat')!;
    launcher.focus();
    el.strings = { openChat: 'Chat with us' };
    await el.updateComplete;
    expect(launcher.getAttribute('aria-label')).to.equal('Chat with us');
    expect(el.shadowRoot!.activeElement).to.equal(launcher);
    // Another language: a new name and direction, the same button, still focused.
    el.strings = {};
    el.lang = 'ar';
    await waitFor(() => launcher.getAttribute('aria-label') === 'فتح الدردشة', 'the Arabic name');
    expect(panel.getAttribute('dir')).to.equal('rtl');
    expect(panel.getAttribute('aria-label')).to.equal('الدردشة');
    expect(button(el, 'فتح الدردشة')).to.equal(launcher);
    expect(el.shadowRoot!.activeElement).to.equal(launcher);
  });
});

describe('<webchat-agent> conversation', () => {
  it('sends on Enter, shows the bot\'s answer with its sources, and fires events', async () => {
    const { el } = await mount();
    const messages: unknown[] = [];
    el.addEventListener('webchat-message', (e) => messages.push((e as CustomEvent).detail.message));
    let states = 0;
    el.addEventListener('webchat-state', () => states++);

    await typeText(el, 'Hello there');
    await press('Enter');
    expect(textarea(el).value).to.equal('');
    await waitFor(() => bubbles(el).includes('Echo: Hello there'), 'the bot reply');
    expect(bubbles(el)).to.deep.equal(['Hello there', 'Echo: Hello there']);
    const source = $<HTMLAnchorElement>(el, '[part~=message-bot] [part=sources] a')!;
    expect(source.href).to.equal('https://example.com/help');
    expect(source.target).to.equal('_blank');
    expect(messages.length).to.equal(2);
    expect(states).to.be.greaterThan(0);
    expect(el.state.sessionId).to.be.a('string');
    expect(el.state.messages.map((m) => m.sender)).to.deep.equal(['user', 'bot']);
    await waitFor(() => $(el, '[part~=message-user] .delivery')?.textContent?.includes('Sent'), 'delivery "Sent"');
  });

  it('send() puts the message in state before it returns, so the next render shows it', async () => {
    const { el } = await mount();
    const sent = el.send('At once');
    expect(el.state.messages.map((m) => m.content)).to.deep.equal(['At once']);
    await el.updateComplete;
    expect(bubbles(el)).to.deep.equal(['At once']);
    await sent;
    await waitFor(() => bubbles(el).includes('Echo: At once'), 'the bot reply');
  });

  it('Shift+Enter adds a new line instead of sending', async () => {
    const { el, chatbotId } = await mount();
    await typeText(el, 'line one');
    await press('Shift+Enter');
    await typeText(el, 'line two');
    expect(textarea(el).value).to.equal('line one\nline two');
    expect(el.state.messages.length).to.equal(0);
    expect((await service.log(chatbotId)).requests.length).to.equal(0);
    await press('Enter');
    await waitFor(() => bubbles(el).includes('Echo: line one\nline two'), 'the two-line message answered');
  });

  it('counts down near the 700-character limit and keeps an over-long text unsent', async () => {
    const { el, chatbotId } = await mount();
    const input = textarea(el);
    input.value = 'x'.repeat(650);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    expect($(el, '[part=counter]')!.textContent).to.equal('50 characters left');
    expect(input.getAttribute('aria-describedby')).to.equal('counter');

    await typeText(el, 'y'.repeat(60));
    await el.updateComplete;
    expect($(el, '[part=counter]')!.textContent).to.equal('10 characters too many');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await press('Enter');
    expect(input.value.length).to.equal(710);
    expect(el.state.messages.length).to.equal(0);
    expect((await service.log(chatbotId)).requests.length).to.equal(0);

    input.value = 'short';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    expect($(el, '[part=counter]')).to.equal(null);
  });

  it('announces new messages only: a delivery going from Sending… to Sent is no addition to the log', async () => {
    const { el } = await mount();
    const log = $(el, '[role=log]')!;
    expect([log.getAttribute('aria-live'), log.getAttribute('aria-relevant')]).to.deep.equal(['polite', 'additions']);
    const added: string[] = [];
    const observer = new MutationObserver((records) => {
      // Lit's comment markers are nothing a screen reader sees.
      // A new block of rows is announced as the rows it brings.
      const parts = (n: Element) => (n.classList.contains('block') ? [...n.querySelectorAll(':scope > [part~=message]')].map((row) => row.getAttribute('part')!) : [n.getAttribute('part')!]);
      for (const r of records) for (const n of r.addedNodes) if (n.nodeType !== Node.COMMENT_NODE) added.push(...(n instanceof Element ? parts(n) : [`"${n.textContent}"`]));
    });
    observer.observe(log, { childList: true, subtree: true });
    await el.send('Hello');
    await waitFor(() => $(el, '[part~=message-user] [part=delivery]')?.textContent?.includes('Sent'), 'delivery "Sent"');
    observer.disconnect();
    expect(added.filter((part) => !part?.startsWith('message '))).to.deep.equal([]);
  });

  it('reports the page the visitor is on now with each message, as a single-page app navigates', async () => {
    const start = location.href;
    const { el, chatbotId } = await mount();
    try {
      await el.send('first');
      await waitFor(() => bubbles(el).includes('Echo: first'), 'the first answer');
      history.pushState(null, '', '/intranet/expenses?tab=claims');
      await el.send('second');
      await waitFor(() => bubbles(el).includes('Echo: second'), 'the second answer');
      const urls = (await service.log(chatbotId)).requests.map((r) => (r.body as { pageUrl?: string } | undefined)?.pageUrl);
      expect(urls).to.deep.equal([start, new URL('/intranet/expenses?tab=claims', start).href]);
    } finally {
      history.replaceState(null, '', start);
    }
  });

  it('with monitor, shows an agent who steps into a bot conversation at once', async () => {
    const { el, chatbotId } = await mount();
    el.monitor = true;
    await el.updateComplete;
    await el.send('hello');
    await waitFor(() => bubbles(el).includes('Echo: hello'), 'the bot reply');
    await waitFor(() => el.state.connection.state === 'joined', 'the watching socket');
    await service.act(chatbotId, el.state.sessionId!, { type: 'takeover', agent: { name: 'Ana' } });
    await waitFor(() => statusText(el) === 'Ana joined the chat', 'the agent shown without a message from the visitor');
    expect(button(el, 'End chat')).to.exist;
  });

  it('keeps a failed message with a Retry that sends it again', async () => {
    const { el, chatbotId } = await mount();
    await service.script(chatbotId, { status: 500, body: { error: { code: 'boom', message: 'Server down' } } });
    const errors: string[] = [];
    el.addEventListener('webchat-error', (e) => errors.push((e as CustomEvent).detail.error.code));
    await typeText(el, 'Are you there?');
    await press('Enter');
    await waitFor(() => button(el, 'Retry'), 'the Retry button');
    expect($(el, '[part~=message-user] .delivery')!.textContent).to.contain('Not sent');
    expect(bubbles(el)).to.deep.equal(['Are you there?']);
    expect($(el, '[part=error]')?.getAttribute('role')).to.equal('alert');
    expect(errors).to.deep.equal(['server_error']);

    button(el, 'Retry')!.click();
    await waitFor(() => bubbles(el).includes('Echo: Are you there?'), 'the answer after Retry');
    expect(button(el, 'Retry')).to.equal(null);
    expect(bubbles(el).filter((b) => b === 'Are you there?').length).to.equal(1);
  });

  it('goes from the bot to a human and back, with the live status and the right buttons', async () => {
    const { el, chatbotId } = await mount();
    expect(statusText(el)).to.equal('Assistant');
    expect(button(el, 'End chat')).to.equal(null);
    button(el, 'Talk to a human')!.click();
    await waitFor(() => statusText(el) === 'Waiting for an agent…', 'waiting for an agent');
    await waitFor(() => el.state.connection.state === 'joined', 'the live-chat socket joined');
    expect(button(el, 'Talk to a human')).to.equal(null);
    expect(button(el, 'End chat')).not.to.equal(null);

    const sessionId = el.state.sessionId!;
    await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name: 'Dana' } });
    await waitFor(() => statusText(el) === 'Dana joined the chat', 'the agent joined');
    await service.act(chatbotId, sessionId, { type: 'typing', isTyping: true });
    await waitFor(() => $(el, '[part=typing]')?.textContent?.includes('Dana is typing…'), 'the typing indicator');
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Hi, I am <b>Dana</b>', agent: { name: 'Dana' } });
    await waitFor(() => bubbles(el).includes('Hi, I am <b>Dana</b>'), 'the agent message, as text');
    const agentRow = $(el, '[part~=message-agent]:last-of-type')!;
    expect(senderOf(agentRow)).to.equal('Dana');

    // The visitor typing reaches the agent.
    await typeText(el, 'typing');
    await waitFor(
      async () => (await service.log(chatbotId)).frames.some((f) => f.frame.type === 'client:typing' && 'isTyping' in f.frame && f.frame.isTyping),
      'a client:typing frame',
    );

    button(el, 'End chat')!.click();
    await waitFor(() => button(el, 'Talk to a human'), 'back to the bot');
    expect(button(el, 'End chat')).to.equal(null);
    expect(statusText(el)).to.equal('Chat ended');
  });

  it('keeps the keyboard focus on "Talk to a human" as it becomes "End chat", and back', async () => {
    const { el } = await mount();
    button(el, 'Talk to a human')!.focus();
    await press('Enter');
    await waitFor(() => el.state.connection.state === 'joined', 'the live-chat socket joined');
    await el.updateComplete;
    expect(focused(el)).to.equal('button "End chat", part end');
    await press('Enter');
    await waitFor(() => el.state.conversation === 'bot', 'back to the bot');
    await el.updateComplete;
    expect(focused(el)).to.equal('button "Talk to a human", part human');
  });

  it('moves the focus to the message box when Retry, pressed from the keyboard, goes away', async () => {
    const { el, chatbotId } = await mount();
    await service.script(chatbotId, { status: 500, body: { error: { code: 'boom', message: 'Server down' } } });
    await el.send('Are you there?');
    await waitFor(() => button(el, 'Retry'), 'the Retry button');
    button(el, 'Retry')!.focus();
    await press('Enter');
    await waitFor(() => bubbles(el).includes('Echo: Are you there?'), 'the answer after Retry');
    expect(button(el, 'Retry')).to.equal(null);
    expect(focused(el)).to.equal('textarea "Message", part input');
  });

  it('says "Chat ended" when the agent ends the chat, and the bot\'s status once the visitor writes again', async () => {
    const { el, chatbotId } = await mount();
    await goLive(el, chatbotId, 'Dana');
    await service.act(chatbotId, el.state.sessionId!, { type: 'end' });
    await waitFor(() => statusText(el) === 'Chat ended', 'the chat ended');
    await typeText(el, 'Back to you, bot');
    await press('Enter');
    await waitFor(() => bubbles(el).includes('Echo: Back to you, bot'), 'the bot answering');
    await el.updateComplete;
    // The service still says "closed" on every reply; the header no longer does.
    expect(el.state.status).to.equal('closed');
    expect(statusText(el)).to.equal('Assistant');
  });

  it('shows reconnecting with a countdown when the live-chat socket drops, then recovers', async () => {
    const { el, chatbotId } = await mount();
    await goLive(el, chatbotId, 'Dana');
    await service.act(chatbotId, el.state.sessionId!, { type: 'drop' });
    await waitFor(() => statusText(el).startsWith('Reconnecting…'), 'the reconnecting status');
    expect($(el, '[role=status] [aria-hidden=true]')!.textContent).to.match(/^next try in \d+ s$/);
    await waitFor(() => statusText(el) === 'Dana joined the chat', 'the chat back after reconnecting', 8000);
  });

  it('passes an automated accessibility audit with the panel open', async () => {
    const { el, chatbotId } = await mount({ layout: 'launcher' });
    await service.script(chatbotId, {}, { status: 500, body: { error: { code: 'boom', message: 'down' } } });
    el.show();
    await el.send('First question');
    await el.send('Second question');
    await waitFor(() => button(el, 'Retry'), 'a failed message');
    await expect(el).to.be.accessible();
  });

  it('passes an automated accessibility audit in live chat, waiting and with an agent, with every kind of message', async () => {
    const { el, chatbotId } = await mount({ layout: 'launcher' });
    await service.script(chatbotId, { status: 500, body: { error: { code: 'boom', message: 'down' } } });
    el.show();
    await el.send('Not delivered');
    await el.send('How do I connect to the VPN?');
    await goLive(el, chatbotId);
    expect(statusText(el)).to.equal('Waiting for an agent…');
    await el.updateComplete;
    await expect(el).to.be.accessible();

    const sessionId = el.state.sessionId!;
    await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name: 'Dana' } });
    const notice = { type: 'livechat:message', sessionId, id: 'notice-1', sender: 'system', content: 'Dana joined the chat.', createdAt: new Date().toISOString() };
    await service.act(chatbotId, sessionId, { type: 'raw', data: JSON.stringify(notice) });
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Hello, I am Dana', agent: { name: 'Dana' } });
    await el.send('Thanks');
    await service.act(chatbotId, sessionId, { type: 'typing', isTyping: true });
    await waitFor(() => $(el, '[part=typing]'), 'the typing indicator');
    expect(statusText(el)).to.equal('Dana joined the chat');
    const kinds = new Set([...el.shadowRoot!.querySelectorAll('[part~=message]')].map((row) => row.getAttribute('part')));
    expect([...kinds].sort()).to.deep.equal(['message message-agent', 'message message-bot', 'message message-system', 'message message-user']);
    expect(button(el, 'Retry')).not.to.equal(null);
    expect($(el, '[part~=message-bot] [part=sources] a')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('keeps still when the visitor prefers reduced motion', async () => {
    const { emulateMedia } = await import('@web/test-runner-commands');
    const { el, chatbotId } = await mount();
    await goLive(el, chatbotId);
    await service.act(chatbotId, el.state.sessionId!, { type: 'typing', isTyping: true });
    await waitFor(() => $(el, '[part=typing]'), 'the typing indicator');
    const moving = () =>
      [...el.shadowRoot!.querySelectorAll('*')]
        .filter((node) => {
          const style = getComputedStyle(node);
          return style.animationName !== 'none' || parseFloat(style.transitionDuration) > 0;
        })
        .map((node) => node.className);
    try {
      await emulateMedia({ reducedMotion: 'no-preference' });
      expect(moving()).to.deep.equal(['dots']);
      await emulateMedia({ reducedMotion: 'reduce' });
      expect(moving()).to.deep.equal([]);
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('lets the host override any text through `strings`', async () => {
    const { el } = await mount();
    el.strings = { send: 'Senden', message: 'Nachricht', conversation: 'Unterhaltung' };
    await el.updateComplete;
    expect(button(el, 'Senden')).not.to.equal(null);
    expect($(el, 'textarea')!.getAttribute('aria-label')).to.equal('Nachricht');
    expect($(el, '[role=log]')!.getAttribute('aria-label')).to.equal('Unterhaltung');
    expect(button(el, 'Talk to a human')).not.to.equal(null);
  });

  it('reset() forgets the conversation', async () => {
    const { el } = await mount();
    await el.send('Remember me');
    expect(bubbles(el)).to.include('Remember me');
    el.reset();
    await el.updateComplete;
    expect(bubbles(el)).to.deep.equal([]);
    expect(el.state.sessionId).to.equal(null);
  });

  it('keeps the conversation across a reload with persist="local", and not with "none"', async () => {
    const { el, chatbotId } = await mount({ persist: 'local' });
    await el.send('Keep this');
    el.remove();
    const again = await mount({ persist: 'local', chatbotId });
    await waitFor(() => bubbles(again.el).includes('Echo: Keep this'), 'the restored transcript');
    const fresh = await mount({ persist: 'none', chatbotId });
    expect(bubbles(fresh.el)).to.deep.equal([]);
    localStorage.clear();
  });
});

describe('<webchat-agent> on and off the page', () => {
  const events = ['webchat-state', 'webchat-message', 'webchat-error'];
  async function live() {
    const { el, chatbotId } = await mount();
    await goLive(el, chatbotId);
    const heard: string[] = [];
    for (const type of events) el.addEventListener(type, () => heard.push(type));
    return { el, chatbotId, sessionId: el.state.sessionId!, heard };
  }

  it('moved in the DOM, keeps its live chat on the same socket, messages both ways', async () => {
    const { el, chatbotId, sessionId, heard } = await live();
    const elsewhere = await fixture(html`<div></div>`);
    elsewhere.append(el);
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Still there?', agent: { name: 'Dana' } });
    await waitFor(() => bubbles(el).includes('Still there?'), 'the agent message after the move');
    expect(heard.filter((type) => type === 'webchat-message')).to.deep.equal(['webchat-message']);
    await typeText(el, 'Yes');
    await press('Enter');
    await waitFor(
      async () => (await service.log(chatbotId)).frames.some((f) => f.frame.type === 'client:message' && f.frame.content === 'Yes'),
      'the reply at the agent',
    );
    const { sockets } = await service.log(chatbotId);
    expect(sockets.map((s) => [s.role, s.open])).to.deep.equal([['user', true]]);
  });

  it('removed, closes its live chat and goes quiet; put back, picks the conversation up again', async () => {
    const { el, chatbotId, sessionId, heard } = await live();
    const parent = el.parentElement!;
    el.remove();
    await waitFor(async () => (await service.log(chatbotId)).sockets.every((s) => !s.open), 'the socket closed');
    await service.act(chatbotId, sessionId, { type: 'say', content: 'While you were away', agent: { name: 'Dana' } });
    expect(heard).to.deep.equal([]);
    parent.append(el);
    await waitFor(() => bubbles(el).includes('While you were away'), 'the missed message, from the history');
    await waitFor(() => el.state.connection.state === 'joined', 'the live chat joined again');
    expect(heard).to.include('webchat-state');
  });
});

describe('<webchat-agent> scrolling', () => {
  afterEach(() => localStorage.clear());

  async function withTranscript(count: number): Promise<WebChatAgent> {
    const { freshChatbotId } = await import('../support/control.ts');
    const chatbotId = freshChatbotId();
    await service.configure(chatbotId, { historyMissing: true });
    persistTranscript(chatbotId, Array.from({ length: count }, (_, i) => message({ content: `Restored ${i}`, sender: i % 2 ? 'bot' : 'user', delivery: i % 2 ? undefined : 'sent' })));
    const { el } = await mount({ persist: 'local', chatbotId });
    el.style.height = '320px';
    // A long transcript shows its newest rows first (the rest as the reader scrolls up).
    await waitFor(() => bubbles(el).at(-1) === `Restored ${count - 1}` && el.state.messages.length === count, 'the restored transcript');
    return el;
  }

  const log = (el: WebChatAgent) => $(el, '[role=log]')!;
  const atBottom = (el: WebChatAgent) => {
    const l = log(el);
    return l.scrollHeight - l.scrollTop - l.clientHeight < 2;
  };

  it('sticks to the bottom while the reader is there, and offers "New messages" once they scroll up', async () => {
    const el = await withTranscript(40);
    await waitFor(() => atBottom(el), 'pinned to the bottom');

    await el.send('One more');
    await waitFor(() => bubbles(el).includes('Echo: One more'), 'the answer');
    await waitFor(() => atBottom(el), 'still pinned to the bottom');
    expect(button(el, 'New messages')).to.equal(null);

    log(el).scrollTop = 0;
    await waitFor(() => log(el).scrollTop === 0, 'scrolled up');
    await nextFrame();
    await el.send('While reading');
    await waitFor(() => bubbles(el).includes('Echo: While reading'), 'the answer');
    await waitFor(() => button(el, 'New messages'), 'the New messages button');
    expect(log(el).scrollTop).to.equal(0);

    button(el, 'New messages')!.click();
    await waitFor(() => atBottom(el), 'jumped to the bottom');
    await el.updateComplete;
    expect(button(el, 'New messages')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(log(el));
  });

  it('appending to 5,000 messages adds one row and leaves the others untouched', async () => {
    const el = await withTranscript(5000);
    const rows = $(el, '.rows')!;
    const first = rows.querySelector('.message');
    // Rows sit in blocks: a new row goes into the last block, or comes in a new one.
    const holdsRows = (node: Node) => node === rows || (node instanceof Element && (node.classList.contains('block') || node.classList.contains('blocks')));
    const rowsIn = (node: Node) => (!(node instanceof Element) ? [] : node.matches('.message') ? [node] : [...node.querySelectorAll('.message')]);
    const added: Element[] = [];
    const touched: Node[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'childList' && holdsRows(r.target) && r.removedNodes.length === 0) added.push(...[...r.addedNodes].flatMap(rowsIn));
        else touched.push(r.target);
      }
    });
    // The visitor's newest sent message says "Sent"; once the next one is sent, it no longer does.
    const previousSent = [...rows.querySelectorAll('[part~=message-user]')].at(-1)!;
    expect(previousSent.querySelector('[part=delivery]')?.textContent).to.equal('Sent');
    observer.observe(rows, { childList: true, subtree: true, attributes: true, characterData: true });
    await el.send('Number 5001');
    await waitFor(() => el.state.messages.length === 5002 && bubbles(el).at(-1) === 'Echo: Number 5001', 'the new message and its answer');
    await new Promise((resolve) => setTimeout(resolve));
    observer.disconnect();
    expect(rows.querySelector('.message')).to.equal(first);
    expect(added.length).to.equal(2);
    // The only changes after the two rows were added are inside them (the visitor's delivery),
    // and the previous "Sent" line leaving.
    expect(touched.filter((node) => !added.some((row) => row.contains(node)))).to.deep.equal([previousSent]);
    expect(previousSent.querySelector('[part=delivery]')).to.equal(null);
    expect(added[0]!.querySelector('[part=delivery]')?.textContent).to.equal('Sent');
  });
});

describe('<webchat-agent> theming', () => {
  it('follows prefers-color-scheme unless theme pins it', async () => {
    const { emulateMedia } = await import('@web/test-runner-commands');
    const { el } = await mount();
    const panel = () => getComputedStyle($(el, '[part=panel]')!).backgroundColor;
    await emulateMedia({ colorScheme: 'light' });
    expect(panel()).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    expect(panel()).to.equal('rgb(29, 31, 35)');
    el.setAttribute('theme', 'light');
    expect(panel()).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'light' });
    el.setAttribute('theme', 'dark');
    expect(panel()).to.equal('rgb(29, 31, 35)');
  });

  it('takes the host\'s custom properties and ::part rules', async () => {
    const style = document.createElement('style');
    style.textContent = `.themed { --webchat-accent: rgb(200, 0, 100); } .themed::part(send) { border-radius: 3px; }`;
    document.head.append(style);
    const { el } = await mount({ style: 'themed' });
    const send = button(el, 'Send')!;
    expect(getComputedStyle(send).backgroundColor).to.equal('rgb(200, 0, 100)');
    expect(getComputedStyle(send).borderTopLeftRadius).to.equal('3px');
    style.remove();
  });

  it('sizes the floating panel from --webchat-panel-width/height, whatever its content', async () => {
    const style = document.createElement('style');
    style.textContent = `.sized { --webchat-panel-width: 333px; --webchat-panel-height: 321px; }`;
    document.head.append(style);
    const { el } = await mount({ layout: 'launcher', open: true, style: 'sized' });
    const box = $(el, '[part=panel]')!.getBoundingClientRect();
    expect([Math.round(box.width), Math.round(box.height)]).to.deep.equal([333, 321]);
    style.remove();
  });

  it('mirrors the floating launcher in right-to-left pages', async () => {
    const ltr = await fixture(html`<div dir="ltr"><webchat-agent chatbot-id="x" persist="none"></webchat-agent></div>`);
    const rtl = await fixture(html`<div dir="rtl"><webchat-agent chatbot-id="x" persist="none"></webchat-agent></div>`);
    const x = (root: Element) => root.querySelector('webchat-agent')!.shadowRoot!.querySelector('[part=launcher]')!.getBoundingClientRect().left;
    expect(x(ltr)).to.be.greaterThan(innerWidth / 2);
    expect(x(rtl)).to.be.lessThan(innerWidth / 2);
  });
});
