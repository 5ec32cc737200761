// The built one-script bundle on a German page under the strict CSP: it speaks German, loading
// that one locale from beside itself (webchat-agent.locale-de.js) and no other; English
// pages load none. The locale files are each a few hundred bytes, not part of the bundle.
import { expect } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { service } from '../support/browser-service.ts';
import { freshChatbotId, waitFor } from '../support/control.ts';

type CspWindow = Window & { cspViolations: string[] };

async function page(lang: string) {
  const chatbotId = freshChatbotId();
  await service.configure(chatbotId, { historyMissing: true });
  const frame = document.createElement('iframe');
  frame.src = `/__csp/page.html?${new URLSearchParams({ service: service.url, chatbot: chatbotId, lang })}`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const win = frame.contentWindow as CspWindow;
  const el = frame.contentDocument!.querySelector('webchat-agent') as WebChatAgent;
  await waitFor(() => win.customElements.get('webchat-agent') && el.shadowRoot?.querySelector('[part=send]'), 'the element');
  const send = () => el.shadowRoot!.querySelector('[part=send]')!.textContent;
  const locales = () => win.performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname).filter((path) => path.includes('.locale-'));
  return { frame, win, el, send, locales };
}

describe('the built IIFE in the visitor\'s language', () => {
  it('a de-AT page loads only webchat-agent.locale-de.js from beside the script, with no CSP violation', async () => {
    const bundle = await (await fetch('/dist/webchat-agent.iife.js')).text();
    expect(bundle, 'no locale inside the bundle').not.to.include('Nachricht eingeben');
    const { frame, win, send, locales } = await page('de-AT');
    await waitFor(() => send() === 'Senden', 'the German Send button');
    expect(locales()).to.deep.equal(['/dist/webchat-agent.locale-de.js']);
    expect(win.cspViolations).to.deep.equal([]);
    frame.remove();
  });

  it('an ar page is right to left; an English page loads no locale', async () => {
    const arabic = await page('ar');
    await waitFor(() => arabic.send() === 'إرسال', 'the Arabic Send button');
    expect(arabic.el.shadowRoot!.querySelector('[part=panel]')!.getAttribute('dir')).to.equal('rtl');
    expect(arabic.locales()).to.deep.equal(['/dist/webchat-agent.locale-ar.js']);
    expect(arabic.win.cspViolations).to.deep.equal([]);
    arabic.frame.remove();

    const english = await page('en-GB');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(english.send()).to.equal('Send');
    expect(english.locales()).to.deep.equal([]);
    english.frame.remove();
    localStorage.clear();
  });
});
