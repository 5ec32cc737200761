// The element's side of the core's contract: its state is the core's frozen ChatState, what
// it shows about the conversation comes from that state, and a wrong set-up is told plainly.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.ts';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import type { ChatState } from '../../src/core/index.ts';
import { $, bubbles, goLive, mount, service, statusText, waitFor } from './helpers.ts';

const KEYS = ['agent', 'connection', 'conversation', 'ended', 'error', 'files', 'messages', 'mode', 'sessionId', 'status', 'typing', 'unread'];

async function warningsOf(run: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  try {
    await run();
  } finally {
    console.warn = warn;
  }
  return warnings;
}

describe('<webchat-agent> state', () => {
  it('10. el.state and webchat-state carry exactly the documented ChatState, frozen', async () => {
    const { el } = await mount();
    const seen: ChatState[] = [];
    el.addEventListener('webchat-state', (event) => seen.push((event as CustomEvent<{ state: ChatState }>).detail.state));
    await el.send('hello');
    expect(Object.keys(el.state).sort()).to.deep.equal(KEYS);
    expect(seen.at(-1)).to.equal(el.state);
    expect(Object.isFrozen(el.state)).to.equal(true);
    expect(() => (el.state.messages as unknown[]).push({ id: 'forged', sender: 'admin', content: 'Pay here', html: false, sources: [], createdAt: '' })).to.throw(TypeError);
    expect(() => ((el.state.messages[0] as { content: string }).content = 'forged')).to.throw(TypeError);
    el.requestUpdate();
    await el.updateComplete;
    expect([...el.shadowRoot!.querySelectorAll('.bubble')].map((b) => b.textContent)).to.deep.equal(['hello', 'Echo: hello']);
  });

  it('1. shows the notice that ends a live chat at once, though the service sends it after livechat:ended', async () => {
    const { el, chatbotId } = await mount();
    await goLive(el, chatbotId, 'Dana');
    await service.configure(chatbotId, { endNotice: 'The chat with Dana has ended. The assistant is back.' });
    await service.act(chatbotId, el.state.sessionId!, { type: 'end' });
    await waitFor(() => bubbles(el).includes('The chat with Dana has ended. The assistant is back.'), 'the notice');
    expect(statusText(el)).to.equal('Chat ended');
  });

  it('12. "Chat ended" is the core\'s: it shows after the visitor ends the chat too, and a reload does not invent it', async () => {
    const { el, chatbotId } = await mount({ persist: 'local' });
    await goLive(el, chatbotId, 'Dana');
    el.endLiveChat();
    await el.updateComplete;
    expect(el.state.ended).to.equal(true);
    expect(statusText(el)).to.equal('Chat ended');
    el.remove();
    const again = await mount({ persist: 'local', chatbotId });
    await again.el.updateComplete;
    expect(again.el.state.ended).to.equal(false);
    expect(statusText(again.el)).to.equal('Assistant');
    localStorage.clear();
  });
});

describe('<webchat-agent> set up wrong', () => {
  it('13. without chatbot-id: a console warning for the integrator, a plain sentence for the visitor', async () => {
    let el!: WebChatAgent;
    const warnings = await warningsOf(async () => {
      el = await fixture<WebChatAgent>(html`<webchat-agent layout="inline" persist="none"></webchat-agent>`);
    });
    expect(warnings.join('\n')).to.match(/chatbot.id/);
    expect($(el, '[part=error]')!.textContent).to.equal('This chat is not available at the moment. Please try again later.');
    await el.send('hello');
    expect(el.state.messages).to.deep.equal([]);
  });

  it('13. a base-url that is not a URL is refused the same way, with the reason in the console', async () => {
    let el!: WebChatAgent;
    const warnings = await warningsOf(async () => {
      el = await fixture<WebChatAgent>(html`<webchat-agent chatbot-id="demo" base-url="::not a url::" layout="inline" persist="none"></webchat-agent>`);
    });
    expect(warnings.join('\n')).to.include('::not a url::');
    expect($(el, '[part=error]')!.textContent).to.match(/not available/);
  });

  it('13. an unknown chatbot id reads as unavailable, not as the server\'s words', async () => {
    const { el, chatbotId } = await mount();
    await service.script(chatbotId, { status: 404, body: { error: { code: 'unknown_chatbot', message: `Unknown chatbot "${chatbotId}".` } } });
    const warnings = await warningsOf(() => el.send('hello'));
    await el.updateComplete;
    await waitFor(() => $(el, '[part=error]'), 'the error');
    expect($(el, '[part=error]')!.textContent).to.not.include(chatbotId);
    expect(warnings.join('\n')).to.include(chatbotId);
  });
});
