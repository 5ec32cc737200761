// Links in the conversation: `webchat-link` before any of them opens (reply HTML, sources,
// an agent's text), canceling it, and each `link-target` mode.
import { expect } from '@open-wc/testing';
import type { LinkDetail } from '../../src/components/links.ts';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { $, goLive, mount, service, waitFor } from './helpers.ts';

const REPLY = '<p>Read the <a href="https://example.com/guide">VPN guide</a>.</p>';

/** A conversation with a link of each kind: the bot's reply HTML, its source, an agent's URL. */
async function withLinks(el: WebChatAgent, chatbotId: string): Promise<void> {
  await service.script(chatbotId, { body: { reply: REPLY, sources: [{ type: 'web', source: 'https://example.com/help', title: 'Help centre' }], mode: 'bot' } });
  await el.send('How do I connect?');
  const sessionId = await goLive(el, chatbotId, 'Ana');
  await service.act(chatbotId, sessionId, { type: 'say', content: 'See https://example.com/agent/page, it helps.', agent: { name: 'Ana' } });
  await waitFor(() => agentLink(el), "the agent's link");
}

const replyLink = (el: WebChatAgent) => $<HTMLAnchorElement>(el, '[part~=message-bot] [part=bubble] a');
const sourceLink = (el: WebChatAgent) => $<HTMLAnchorElement>(el, '[part~=message-bot] [part=sources] a');
const agentLink = (el: WebChatAgent) => $<HTMLAnchorElement>(el, '[part~=message-agent] [part=bubble] a');

/** Clicks a link as a visitor does and tells what the browser was left to do with it; the
 * page itself never navigates (the listener on window, the last one, cancels it). */
function click(link: HTMLAnchorElement): { opened: boolean; target: string } {
  let seen = { opened: false, target: '' };
  const last = (event: Event) => {
    seen = { opened: !event.defaultPrevented, target: link.target };
    event.preventDefault();
  };
  window.addEventListener('click', last);
  try {
    link.click();
  } finally {
    window.removeEventListener('click', last);
  }
  return seen;
}

function linkEvents(el: WebChatAgent, cancel = false): LinkDetail[] {
  const details: LinkDetail[] = [];
  // On the document: the event crosses the shadow root and bubbles.
  const listener = (event: Event) => {
    if (!el.contains(event.target as Node) && event.target !== el) return;
    details.push((event as CustomEvent<LinkDetail>).detail);
    if (cancel) event.preventDefault();
  };
  document.addEventListener('webchat-link', listener);
  return details;
}

describe('<webchat-agent> links', () => {
  it('fires webchat-link before a reply link, a source or an agent URL opens, saying which', async () => {
    const { el, chatbotId } = await mount();
    const details = linkEvents(el);
    await withLinks(el, chatbotId);
    expect(agentLink(el)!.textContent).to.equal('https://example.com/agent/page');
    expect(click(replyLink(el)!)).to.deep.equal({ opened: true, target: '_blank' });
    expect(click(sourceLink(el)!)).to.deep.equal({ opened: true, target: '_blank' });
    expect(click(agentLink(el)!)).to.deep.equal({ opened: true, target: '_blank' });
    expect(details).to.deep.equal([
      { url: 'https://example.com/guide', text: 'VPN guide', source: 'reply' },
      { url: 'https://example.com/help', text: 'Help centre', source: 'source' },
      { url: 'https://example.com/agent/page', text: 'https://example.com/agent/page', source: 'agent' },
    ]);
  });

  it('a canceled webchat-link opens nothing', async () => {
    const { el, chatbotId } = await mount();
    const details = linkEvents(el, true);
    await withLinks(el, chatbotId);
    expect(click(replyLink(el)!).opened).to.equal(false);
    expect(click(sourceLink(el)!).opened).to.equal(false);
    expect(click(agentLink(el)!).opened).to.equal(false);
    expect(details.map((d) => d.source)).to.deep.equal(['reply', 'source', 'agent']);
  });

  it('link-target="_self" opens links in the page; "bridge" never navigates, the event has the URL', async () => {
    const { el, chatbotId } = await mount();
    const details = linkEvents(el);
    await withLinks(el, chatbotId);
    el.setAttribute('link-target', '_self');
    expect(click(replyLink(el)!)).to.deep.equal({ opened: true, target: '_self' });
    expect(click(agentLink(el)!)).to.deep.equal({ opened: true, target: '_self' });
    el.setAttribute('link-target', 'bridge');
    expect(click(sourceLink(el)!).opened).to.equal(false);
    expect(details.at(-1)).to.deep.equal({ url: 'https://example.com/help', text: 'Help centre', source: 'source' });
    el.setAttribute('link-target', '_blank');
    expect(click(sourceLink(el)!)).to.deep.equal({ opened: true, target: '_blank' });
  });
});
