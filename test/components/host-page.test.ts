// The element on other people's pages: a portal's inherited text styles stop at the shadow
// root (only the documented custom properties reach in), and an inline chat lives inside
// the box its page gives it.
import { expect, fixture, html } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import type { ChatMessage } from '../../src/core/index.ts';
import { freshChatbotId } from '../support/control.ts';
import { $, persistTranscript, service, waitFor } from './helpers.ts';

/** What a page's own styles could hand down to the chat through inheritance. */
const INHERITED = [
  'textAlign', 'textAlignLast', 'lineHeight', 'letterSpacing', 'wordSpacing', 'textTransform', 'textIndent', 'whiteSpace',
  'fontStyle', 'fontVariantCaps', 'fontVariantNumeric', 'fontFamily', 'fontWeight', 'fontStretch', 'fontKerning',
  'fontFeatureSettings', 'textShadow', 'wordBreak', 'overflowWrap', 'hyphens', 'tabSize', 'textRendering', 'visibility',
  'cursor', 'listStyleType', 'textDecorationLine', 'webkitTextStrokeWidth', 'webkitTextFillColor', 'textWrapMode',
  'lineBreak', 'fontSizeAdjust', 'fontSynthesisWeight', 'textUnderlinePosition', 'textEmphasisStyle', 'quotes',
] as const;

/** A portal's justified, double-spaced serif prose, and a template's centred body; set on
 * the element itself too, as `body *` rules do. */
const HOSTILE_CSS = `
  .hostile, .hostile * {
    text-align: justify; text-align-last: center; line-height: 2.4; letter-spacing: 0.3em; word-spacing: 1em;
    text-transform: uppercase; text-indent: 3em; white-space: pre; font-style: italic; font-variant: small-caps oldstyle-nums;
    font-family: Georgia, serif; font-weight: 700; font-stretch: condensed; font-kerning: none;
    font-feature-settings: "smcp"; text-shadow: 1px 1px 2px red; word-break: break-all; overflow-wrap: anywhere;
    hyphens: auto; tab-size: 20; text-rendering: optimizeSpeed; cursor: wait; list-style-type: square;
    -webkit-text-stroke-width: 1px; -webkit-text-fill-color: transparent; text-wrap-mode: nowrap; line-break: anywhere;
    font-size-adjust: 0.4; font-synthesis-weight: none; text-underline-position: under; text-emphasis-style: dot;
    quotes: "«" "»";
  }
  .hostile { text-decoration: underline; }
`;

function conversation(count: number): ChatMessage[] {
  const from = Date.now() - 3_600_000;
  return Array.from({ length: count }, (_, i): ChatMessage => {
    const id = `h-${i}`;
    const createdAt = new Date(from + i * 60_000).toISOString();
    return i % 2
      ? { id, serverId: id, sender: 'bot', content: `<p>Answer ${i}, with a <a href="https://example.com/">link</a></p><ul><li>one</li></ul>`, html: true, sources: [], createdAt }
      : { id, serverId: id, sender: 'user', content: `Question ${i}\tindented`, html: false, sources: [], createdAt, delivery: 'sent' };
  });
}

/** The computed styles of what a visitor reads and types into. */
function readableStyles(el: WebChatAgent): Record<string, Record<string, string>> {
  const targets = {
    'user bubble': '[part~="message-user"] .bubble',
    'bot bubble': '[part~="message-bot"] .bubble',
    'bot list item': '[part~="message-bot"] li',
    'bot link': '[part~="message-bot"] a',
    title: '[part=title]',
    input: 'textarea',
    send: '[part=send]',
  };
  return Object.fromEntries(
    Object.entries(targets).map(([name, selector]) => {
      const target = $(el, selector);
      expect(target, name).to.exist;
      const style = getComputedStyle(target!) as unknown as Record<string, string>;
      return [name, Object.fromEntries(INHERITED.map((property) => [property, style[property]!]))];
    }),
  );
}

async function mountWithHistory(parentClass: string, messages: ChatMessage[], parentStyle = ''): Promise<WebChatAgent> {
  const chatbotId = freshChatbotId();
  persistTranscript(chatbotId, messages);
  const parent = await fixture<HTMLDivElement>(html`<div class=${parentClass} style=${parentStyle}>
    <webchat-agent chatbot-id=${chatbotId} base-url=${service.url} layout="inline" persist="local"></webchat-agent>
  </div>`);
  const el = parent.querySelector<WebChatAgent>('webchat-agent')!;
  await waitFor(() => el.shadowRoot!.querySelectorAll('[part~="message"]').length === messages.length, 'the restored conversation');
  return el;
}

describe('<webchat-agent> on a host page', () => {
  let sheet: HTMLStyleElement;
  before(() => {
    sheet = document.createElement('style');
    sheet.textContent = HOSTILE_CSS;
    document.head.append(sheet);
  });
  after(() => sheet.remove());
  afterEach(() => localStorage.clear());

  it("looks the same under a page's hostile inherited text styles as on a blank page", async () => {
    const blank = readableStyles(await mountWithHistory('blank', conversation(2)));
    const hostile = readableStyles(await mountWithHistory('hostile', conversation(2)));
    expect(hostile).to.deep.equal(blank);
    // The reset is the element's own, not the test page's defaults: the font is the system UI stack.
    expect(blank['bot bubble']!['fontFamily']).to.match(/^system-ui\b/);
    expect(blank['bot bubble']!['textAlign']).to.equal('start');
  });

  it('only the documented custom properties reach in: --webchat-font sets the font', async () => {
    const el = await mountWithHistory('hostile', conversation(2));
    el.style.setProperty('--webchat-font', 'italic 20px/1.5 monospace');
    const bubble = getComputedStyle($(el, '[part~="message-bot"] .bubble')!);
    expect([bubble.fontFamily, bubble.fontSize, bubble.fontStyle, bubble.lineHeight]).to.deep.equal(['monospace', '20px', 'italic', '30px']);
    expect(bubble.textAlign, 'still reset').to.equal('start');
  });

  it('inline, it fills a 480 px parent with 30 messages, and the log scrolls inside it', async () => {
    const el = await mountWithHistory('sized', conversation(30), 'height: 480px; width: 480px; display: flex; flex-direction: column');
    const parent = el.parentElement!.getBoundingClientRect();
    const box = (selector: string) => $(el, selector)!.getBoundingClientRect();
    expect(Math.round(el.getBoundingClientRect().height)).to.equal(480);
    expect(Math.round(box('[part=panel]').bottom)).to.be.at.most(Math.round(parent.bottom));
    expect(box('[part=composer]').bottom, 'the composer shows').to.be.at.most(parent.bottom + 0.5);
    const log = $(el, '[role=log]')!;
    expect(log.scrollHeight).to.be.greaterThan(log.clientHeight);
    log.scrollTop = 0;
    expect(log.scrollTop).to.equal(0);
    log.scrollTop = log.scrollHeight;
    expect(log.scrollTop, 'the log scrolls').to.be.greaterThan(0);
  });

  it('inline, in a block parent of a set height too (no flex needed)', async () => {
    const el = await mountWithHistory('sized', conversation(30), 'height: 480px; width: 480px');
    expect(Math.round(el.getBoundingClientRect().height)).to.equal(480);
    const log = $(el, '[role=log]')!;
    expect(log.scrollHeight).to.be.greaterThan(log.clientHeight);
  });
});
