import { expect, fixture, html } from '@open-wc/testing';
import { onRetryClick, renderMessage, sourceLink } from '../../src/components/message.ts';
import { renderStatus, renderTyping, statusText } from '../../src/components/status-bar.ts';
import { createFrame, syncLauncher } from '../../src/components/frame.ts';
import { defaultStrings as s } from '../../src/components/strings.ts';
import { senderOf } from './helpers.ts';
import { message, snapshot } from './snapshots.ts';


describe('message rows', () => {
  it('shows each sender distinctly, with the agent\'s name when known', async () => {
    const el = await fixture(html`<div>
      ${renderMessage(message({ sender: 'user', content: 'hi' }), s)}
      ${renderMessage(message({ sender: 'bot', content: 'hello' }), s)}
      ${renderMessage(message({ sender: 'admin', content: 'agent here', agent: { name: 'Dana' } }), s)}
      ${renderMessage(message({ sender: 'admin', content: 'anonymous agent' }), s)}
      ${renderMessage(message({ sender: 'system', content: 'Chat ended' }), s)}
    </div>`);
    const rows = [...el.querySelectorAll('.message')];
    expect(rows.map((r) => r.getAttribute('part'))).to.deep.equal([
      'message message-user',
      'message message-bot',
      'message message-agent',
      'message message-agent',
      'message message-system',
    ]);
    expect(rows.map(senderOf)).to.deep.equal(['You', 'Assistant', 'Dana', 'Agent', 'Notice']);
  });

  it('renders visitor and agent text as text, never as HTML', async () => {
    const el = await fixture(html`<div>
      ${renderMessage(message({ sender: 'user', content: '<b>not bold</b>' }), s)}
      ${renderMessage(message({ sender: 'admin', content: '<img src=x onerror=alert(1)>' }), s)}
    </div>`);
    const bubbles = [...el.querySelectorAll('.bubble')];
    expect(bubbles.map((b) => b.textContent)).to.deep.equal(['<b>not bold</b>', '<img src=x onerror=alert(1)>']);
    expect(el.querySelector('b, img')).to.equal(null);
  });

  it('renders bot HTML sanitised', async () => {
    const el = await fixture(html`<div>
      ${renderMessage(message({ content: '<p>See <a href="https://example.com/x">this</a><script>window.hacked = 1</script></p>', html: true }), s)}
    </div>`);
    const link = el.querySelector('.bubble p a') as HTMLAnchorElement;
    expect(link.href).to.equal('https://example.com/x');
    expect(link.rel).to.equal('noopener noreferrer');
    expect(el.querySelector('script')).to.equal(null);
  });

  it('lists web and product sources as links opening in a new tab, skipping unsafe ones', async () => {
    const el = await fixture(html`<div>
      ${renderMessage(
        message({
          sources: [
            { type: 'web', source: 'https://example.com/help/' },
            { type: 'web', source: 'https://example.com/vpn', title: 'Connecting to the VPN' },
            { type: 'product', source: 42, data: { name: 'Widget', url: 'https://shop.example.com/42' } },
            { type: 'web', source: 'javascript:alert(1)' },
            { type: 'product', source: 7 },
            { type: 'unknown', source: 'https://x.example' },
          ],
        }),
        s,
      )}
    </div>`);
    const list = el.querySelector('ul.sources')!;
    expect(list.getAttribute('aria-label')).to.equal('Sources');
    const links = [...list.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.href, a.target, a.rel])).to.deep.equal([
      ['example.com/help', 'https://example.com/help/', '_blank', 'noopener noreferrer'],
      ['Connecting to the VPN', 'https://example.com/vpn', '_blank', 'noopener noreferrer'],
      ['Widget', 'https://shop.example.com/42', '_blank', 'noopener noreferrer'],
    ]);
    expect(sourceLink({ type: 'web', source: 'not a url' })).to.equal(null);
  });

  it('shows an outgoing message\'s delivery, and a Retry for a failed one', async () => {
    const retried: string[] = [];
    const failed = message({ sender: 'user', delivery: 'failed' });
    // The log's one listener takes every row's Retry.
    const el = await fixture(html`<div @click=${(event: Event) => onRetryClick(event, (id) => retried.push(id))}>
      ${renderMessage(message({ sender: 'user', delivery: 'sending' }), s)}
      ${renderMessage(message({ sender: 'user', delivery: 'sent' }), s)}
      ${renderMessage(failed, s)}
    </div>`);
    const deliveries = [...el.querySelectorAll('.delivery')].map((d) => d.textContent!.replace(/\s+/g, ' ').trim());
    expect(deliveries).to.deep.equal(['Sending…', 'Sent', 'Not sent Retry']);
    const buttons = el.querySelectorAll('button');
    expect(buttons.length).to.equal(1);
    buttons[0]!.click();
    expect(retried).to.deep.equal([failed.id]);
  });
});

describe('status bar', () => {
  it('names every live state', () => {
    const texts = [
      snapshot({ conversation: 'new', sessionId: null }),
      snapshot(),
      snapshot({ conversation: 'waiting', mode: 'human', status: 'waiting', connection: { state: 'joined' } }),
      snapshot({ conversation: 'live', mode: 'human', status: 'open', agent: { name: 'Dana' }, connection: { state: 'joined' } }),
      snapshot({ conversation: 'live', mode: 'human', status: 'open', connection: { state: 'joined' } }),
      snapshot({ conversation: 'live', connection: { state: 'reconnecting', attempt: 2, retryAt: 0 } }),
      snapshot({ conversation: 'live', connection: { state: 'offline' } }),
      snapshot({ status: 'closed', ended: true }),
      snapshot({ status: 'closed' }),
    ].map((state) => statusText(state, s));
    expect(texts).to.deep.equal([
      'Assistant',
      'Assistant',
      'Waiting for an agent…',
      'Dana joined the chat',
      'Agent joined the chat',
      'Reconnecting…',
      'Offline',
      'Chat ended',
      // Closed long ago: the service says so on every reply after a live chat.
      'Assistant',
    ]);
  });

  it('counts down to the next reconnection attempt, out of the screen reader\'s way', async () => {
    const now = 1_000_000;
    const state = snapshot({ conversation: 'live', connection: { state: 'reconnecting', attempt: 1, retryAt: now + 4200 } });
    const el = await fixture(html`<div>${renderStatus(state, s, now)}</div>`);
    const status = el.querySelector('[role=status]')!;
    expect(status.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Reconnecting… next try in 5 s');
    expect(status.querySelector('[aria-hidden=true]')!.textContent).to.equal('next try in 5 s');
  });

  it('shows who is typing', async () => {
    const live = await fixture(html`<div>${renderTyping(snapshot({ conversation: 'live', typing: true, agent: { name: 'Dana' } }), s)}</div>`);
    // The animated dots are decoration: hidden from assistive technology.
    const spoken = (el: Element) => [...el.querySelector('[part=typing]')!.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE || (n instanceof Element && n.ariaHidden !== 'true')).map((n) => n.textContent).join('').trim();
    expect(spoken(live)).to.equal('Dana is typing…');
    expect(live.querySelector('[aria-hidden=true]')!.textContent).to.equal('•••');
    const bot = await fixture(html`<div>${renderTyping(snapshot({ typing: true }), s)}</div>`);
    expect(spoken(bot)).to.equal('Assistant is typing…');
    const idle = await fixture(html`<div>${renderTyping(snapshot(), s)}</div>`);
    expect(idle.textContent!.trim()).to.equal('');
  });
});

describe('launcher', () => {
  const launcher = (toggle: () => void = () => undefined) => createFrame(document.createElement('div').attachShadow({ mode: 'open' }), () => undefined, () => undefined, toggle);

  it('is a button named by what it does, with its expanded state', () => {
    let toggled = 0;
    const frame = launcher(() => toggled++);
    const button = frame.launcher;
    syncLauncher(frame, false, s);
    expect(button.getAttribute('aria-label')).to.equal('Open chat');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(button.getAttribute('aria-controls')).to.equal(frame.panel.id);
    button.click();
    expect(toggled).to.equal(1);
    syncLauncher(frame, true, s);
    expect(button.getAttribute('aria-label')).to.equal('Close chat');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(button.querySelectorAll('svg[aria-hidden=true]')).to.have.length(1);
  });

  it('shows the unread count on a closed launcher only, in its name too, and never twice', () => {
    const frame = launcher();
    const button = frame.launcher;
    syncLauncher(frame, false, s, 3, 'en');
    const badge = button.querySelector('[part=badge]')!;
    expect(badge.textContent).to.equal('3');
    expect(badge.getAttribute('aria-hidden')).to.equal('true');
    expect(button.getAttribute('aria-label')).to.equal('Open chat, 3 unread messages');
    syncLauncher(frame, false, s, 3, 'en');
    expect(button.querySelector('[part=badge]'), 'an update that changes nothing keeps the nodes').to.equal(badge);
    syncLauncher(frame, false, s, 120, 'en');
    expect(button.querySelector('[part=badge]')!.textContent).to.equal('99+');
    syncLauncher(frame, true, s, 120, 'en');
    expect(button.querySelector('[part=badge]')).to.equal(null);
    expect(button.querySelectorAll('svg')).to.have.length(1);
  });
});
