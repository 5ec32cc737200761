// The built one-script bundle (dist/webchat-agent.iife.js, from `npm run build`) in a page
// served with the strict CSP: it must register the element, chat, and render bot HTML
// without a single CSP or Trusted Types violation.
import { expect } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { service } from '../support/browser-service.ts';
import { freshChatbotId, waitFor } from '../support/control.ts';

type CspWindow = Window & { cspViolations: string[] };

describe('the built IIFE under a strict CSP', () => {
  it('registers <webchat-agent>, chats and renders sanitised bot HTML with no violation', async () => {
    const bundle = await fetch('/dist/webchat-agent.iife.js', { method: 'HEAD' });
    expect(bundle.ok, 'dist/webchat-agent.iife.js exists: run `npm run build` first').to.equal(true);

    const chatbotId = freshChatbotId();
    // A persisted bot reply with HTML: restoring it runs DOMPurify under Trusted Types.
    await service.configure(chatbotId, { historyMissing: true });
    localStorage.setItem(
      `webchat-agent:${chatbotId}`,
      JSON.stringify({
        sessionId: 's-csp',
        mode: 'bot',
        messages: [
          {
            id: 'b1',
            sender: 'bot',
            html: true,
            sources: [],
            createdAt: '2026-01-01T00:00:00.000Z',
            content: '<p>See <a href="https://example.com/docs">the docs</a><img src=x></p>',
          },
        ],
      }),
    );

    const frame = document.createElement('iframe');
    frame.style.width = '800px';
    frame.style.height = '700px';
    frame.src = `/__csp/page.html?service=${encodeURIComponent(service.url)}&chatbot=${encodeURIComponent(chatbotId)}`;
    document.body.append(frame);
    await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    const win = frame.contentWindow as CspWindow;
    const doc = frame.contentDocument!;

    expect(win.customElements.get('webchat-agent'), 'the bundle registered the element').to.be.a('function');
    const el = doc.querySelector('webchat-agent') as WebChatAgent;
    const root = el.shadowRoot!;
    await waitFor(() => root.querySelector('[part~=message-bot] a'), 'the restored bot reply');
    const link = root.querySelector<HTMLAnchorElement>('[part~=message-bot] a')!;
    expect(link.href).to.equal('https://example.com/docs');
    expect(link.rel).to.equal('noopener noreferrer');
    expect(root.querySelector('img')).to.equal(null);

    // A round trip over REST from the strict page.
    const input = root.querySelector('textarea')!;
    input.value = 'Hello from a strict page';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    root.querySelector<HTMLButtonElement>('[part=send]')!.click();
    await waitFor(
      () => [...root.querySelectorAll('.bubble')].some((b) => b.textContent === 'Echo: Hello from a strict page'),
      'the bot answer',
    );
    // Styles came through adoptedStyleSheets, not blocked <style> elements.
    expect(getComputedStyleIn(win, root.querySelector('[part=send]')!).backgroundColor).to.equal('rgb(37, 99, 235)');
    expect(win.cspViolations).to.deep.equal([]);
    frame.remove();
    localStorage.clear();
  });
});

describe('the built IIFE carries only what every visitor needs', () => {
  /** The strict-CSP page with the bundle, with or without the engine's Sanitizer API. */
  async function open(sanitizerApi: boolean) {
    const chatbotId = freshChatbotId();
    await service.script(chatbotId, { body: { reply: '<p>Read <strong>this</strong> <a href="https://example.com/a">guide</a></p>', mode: 'bot' } });
    const frame = document.createElement('iframe');
    const query = new URLSearchParams({ service: service.url, chatbot: chatbotId, ...(sanitizerApi ? {} : { 'sanitizer-api': 'off' }) });
    frame.src = `/__csp/page.html?${query}`;
    document.body.append(frame);
    await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    const win = frame.contentWindow as CspWindow;
    const el = frame.contentDocument!.querySelector('webchat-agent') as WebChatAgent;
    await waitFor(() => win.customElements.get('webchat-agent') && el.shadowRoot, 'the element');
    await el.send('guide please');
    const bubble = await waitFor(() => el.shadowRoot!.querySelector('[part~=message-bot] .bubble strong')?.closest('.bubble'), 'the formatted reply');
    const loaded = win.performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
    frame.remove();
    return { html: bubble.innerHTML.replace(/<!--[^]*?-->/g, ''), loaded, violations: win.cspViolations };
  }

  it('loads DOMPurify from beside the script only where the Sanitizer API is missing, under the strict CSP', async () => {
    const bundle = await (await fetch('/dist/webchat-agent.iife.js')).text();
    expect(bundle).to.not.include('DOMPurify');
    const native = await open(true);
    const fallback = await open(false);
    expect(native.loaded).to.not.include('/dist/webchat-agent.purify.js');
    expect(fallback.loaded).to.include('/dist/webchat-agent.purify.js');
    expect(fallback.html).to.equal(native.html);
    expect(native.html).to.include('<strong>this</strong>');
    expect([...native.violations, ...fallback.violations]).to.deep.equal([]);
    localStorage.clear();
  });
});

function getComputedStyleIn(win: Window, element: Element): CSSStyleDeclaration {
  return win.getComputedStyle(element);
}
