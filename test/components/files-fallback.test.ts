// [ext] Before the file UI's part has loaded, and when it cannot load, a message's files still
// show, as a line of their names (`part="file-names"`), never as nothing; a failed load is
// tried again later (not at every render): in the script-tag build from a fresh URL, and
// then the files show as thumbnails and cards.
// A file of its own: Web Test Runner runs each test file in its own page, and this page's
// cookie makes the test server refuse the part (filesPartSwitch in test/support/wtr-plugins.mjs).
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { FileLimits, FileRef } from '../../src/core/index.ts';
import { FILES_PATH } from '../../src/core/protocol.ts';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { freshChatbotId } from '../support/control.ts';
import { $, goLive, mount, persistTranscript, service, waitFor } from './helpers.ts';

const COOKIE = 'wtr-files-part';
const LIMITS: FileLimits = { maxBytes: 4096, maxPerMessage: 3, maxPerSession: 20, types: ['image/png', 'application/pdf'] };
const PARTS = new Set(['/src/components/files/index.ts', '/dist/webchat-agent.files.js']);

const ref = (name: string, type: string): FileRef => ({ id: `f-${name}`, name, type, size: 2048, url: `${service.url}${FILES_PATH}/${name}` });
/** The fetches of the part this page made, failed ones included. */
const partFetches = (of: Performance) => of.getEntriesByType('resource').filter((entry) => PARTS.has(new URL(entry.name).pathname)).length;
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<webchat-agent> files before their part has loaded [ext]', () => {
  const warnings: string[] = [];
  const warn = console.warn;

  before(async () => {
    // What earlier test files' pages fetched must not be this page's part.
    await executeServerCommand('disable-page-cache');
    // Expires by itself should this file stop halfway: other test files load the part.
    document.cookie = `${COOKIE}=fail; path=/; max-age=60`;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  });

  after(() => {
    document.cookie = `${COOKIE}=; path=/; max-age=0`;
    console.warn = warn;
  });

  it('shows a message’s file names while the part is missing and after it failed, with no new try at every render', async () => {
    const { el, chatbotId } = await mount({ layout: 'inline' });
    await service.configure(chatbotId, { files: LIMITS });
    const sessionId = await goLive(el, chatbotId, 'Mia');
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Here you go', agent: { name: 'Mia' }, attachments: [ref('photo.png', 'image/png'), ref('manual.pdf', 'application/pdf')] });

    const names = await waitFor(() => $(el, '[part~=message-agent] [part=file-names]'), 'the line of names');
    expect(text(names)).to.equal('Files: photo.png, manual.pdf');
    await waitFor(() => warnings.some((w) => w.includes('the file UI could not be loaded')), 'the failed load');
    await el.updateComplete;
    // Failed: the names stay, and no thumbnail, card or attach button pretends otherwise.
    expect(text($(el, '[part~=message-agent] [part=file-names]'))).to.equal('Files: photo.png, manual.pdf');
    expect($(el, '[part=attachment-image], [part=attachment-file], [part=attach]')).to.equal(null);
    const fetched = partFetches(performance);
    expect(fetched).to.equal(1);

    // Renders within the next 30 s (a message, typing) do not ask for it again.
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Did you get them?', agent: { name: 'Mia' } });
    await waitFor(() => el.state.messages.at(-1)?.content === 'Did you get them?', 'the next message');
    await service.act(chatbotId, sessionId, { type: 'typing', isTyping: true });
    await waitFor(() => el.state.typing, 'the agent typing');
    await el.updateComplete;
    expect(partFetches(performance), 'no new try at once').to.equal(fetched);
    expect(text($(el, '[part=file-names]'))).to.equal('Files: photo.png, manual.pdf');
  });

  it('the script-tag build tries again later, from a fresh URL, and then shows the files', async () => {
    const bundle = await fetch('/dist/webchat-agent.iife.js', { method: 'HEAD' });
    expect(bundle.ok, 'dist/webchat-agent.iife.js exists: run `npm run build` first').to.equal(true);
    const chatbotId = freshChatbotId();
    await service.configure(chatbotId, { historyMissing: true });
    persistTranscript(chatbotId, [
      { id: 'a1', sender: 'admin', content: 'Here you go', html: false, sources: [], createdAt: new Date().toISOString(), attachments: [ref('photo.png', 'image/png'), ref('manual.pdf', 'application/pdf')] },
    ]);
    const frame = document.createElement('iframe');
    frame.style.width = '800px';
    frame.style.height = '700px';
    frame.src = `/__csp/page.html?service=${encodeURIComponent(service.url)}&chatbot=${encodeURIComponent(chatbotId)}`;
    document.body.append(frame);
    try {
      await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      const win = frame.contentWindow as Window & typeof globalThis;
      const el = await waitFor(() => win.document.querySelector<WebChatAgent>('webchat-agent')?.shadowRoot && win.document.querySelector<WebChatAgent>('webchat-agent'), 'the element');
      const names = await waitFor(() => el.shadowRoot!.querySelector('[part=file-names]'), 'the line of names');
      expect(text(names)).to.equal('Files: photo.png, manual.pdf');
      await waitFor(() => partFetches(win.performance) === 1, 'the first try');
      // The part is back, but 30 s have not passed: a render asks for nothing.
      document.cookie = `${COOKIE}=; path=/; max-age=0`;
      await new Promise((resolve) => setTimeout(resolve, 100));
      el.strings = { title: 'Chat' };
      await el.updateComplete;
      expect(partFetches(win.performance)).to.equal(1);
      expect(text(el.shadowRoot!.querySelector('[part=file-names]'))).to.equal('Files: photo.png, manual.pdf');

      // Later, the next render tries again (a new URL: the browser keeps the failed one).
      const realNow = win.Date.now.bind(win.Date);
      win.Date.now = () => realNow() + 31_000;
      el.strings = { title: 'Chat ' };
      const thumb = await waitFor(() => el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part=attachment-image]'), 'the thumbnail after the part loaded');
      expect(thumb.querySelector('img')!.alt).to.equal('photo.png');
      expect(text(el.shadowRoot!.querySelector('a[part=attachment-file] .name'))).to.equal('manual.pdf');
      expect(el.shadowRoot!.querySelector('[part=file-names]')).to.equal(null);
      expect(win.performance.getEntriesByType('resource').map((entry) => new URL(entry.name)).filter((url) => url.pathname === '/dist/webchat-agent.files.js').map((url) => url.search)).to.deep.equal(['', '?retry=1']);
    } finally {
      frame.remove();
      localStorage.removeItem(`webchat-agent:${chatbotId}`);
    }
  });
});
