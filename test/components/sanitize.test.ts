import { expect } from '@open-wc/testing';
import DOMPurify from 'dompurify';
import { sanitizeHtml, sanitizerReady } from '../../src/components/sanitize.ts';
import { depth } from './helpers.ts';

const render = (html: string): HTMLElement => {
  const div = document.createElement('div');
  div.append(sanitizeHtml(html)!);
  return div;
};

/** The engine's HTML Sanitizer API, or DOMPurify where it is missing (hidden here). */
const engines = [
  { name: 'the Sanitizer API', hidden: false },
  { name: 'DOMPurify, where the Sanitizer API is missing', hidden: true },
];

for (const engine of engines) describe(`with ${engine.name}`, () => {
  before(async () => {
    if (engine.hidden) Object.defineProperty(HTMLTemplateElement.prototype, 'setHTML', { value: undefined, configurable: true });
    // Only such an engine loads DOMPurify, once.
    await sanitizerReady();
  });
  after(() => {
    if (engine.hidden) delete (HTMLTemplateElement.prototype as { setHTML?: unknown }).setHTML;
  });

  it(`parses with ${engine.hidden ? 'DOMPurify' : 'the Sanitizer API, not DOMPurify'}`, () => {
    const sanitize = DOMPurify.sanitize;
    let calls = 0;
    DOMPurify.sanitize = ((...args: Parameters<typeof sanitize>) => (calls++, sanitize(...args))) as typeof sanitize;
    try {
      expect(render('<p>a <b>b</b></p>').innerHTML).to.equal('<p>a <b>b</b></p>');
    } finally {
      DOMPurify.sanitize = sanitize;
    }
    expect(calls).to.equal(engine.hidden ? 1 : 0);
  });

  describe('bot HTML sanitising', () => {
    it('keeps the allowed formatting and returns nodes, not a string', () => {
      const fragment = sanitizeHtml('<p>Hello <strong>there</strong>, <em>see</em>:</p><ul><li><code>a</code></li></ul><h3>Title</h3>')!;
      expect(fragment).to.be.instanceOf(DocumentFragment);
      const div = document.createElement('div');
      div.append(fragment);
      expect(div.querySelector('p strong')?.textContent).to.equal('there');
      expect(div.querySelector('ul li code')?.textContent).to.equal('a');
      expect(div.querySelector('h3')?.textContent).to.equal('Title');
    });

    it('drops scripts, event handlers, styles, images and iframes, keeping their text where harmless', () => {
      const div = render(
        '<p onclick="alert(1)" style="color:red" class="x">Hi<script>alert(1)</script><img src=x onerror="alert(1)"><iframe src="https://evil.example"></iframe><b>bold</b></p><div><input value="x"><button>b</button></div>',
      );
      expect(div.innerHTML).to.equal('<p>Hi<b>bold</b></p>b');
    });

    it('keeps http, https, mailto and tel links, opening in a new tab without an opener', () => {
      const div = render(
        '<a href="https://example.com/a">a</a><a href="http://example.com/b">b</a><a href="mailto:help@example.com">c</a><a href="tel:+4912345">d</a>',
      );
      const links = [...div.querySelectorAll('a')];
      expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
        'https://example.com/a',
        'http://example.com/b',
        'mailto:help@example.com',
        'tel:+4912345',
      ]);
      for (const a of links) {
        expect(a.target).to.equal('_blank');
        expect(a.rel).to.equal('noopener noreferrer');
      }
    });

    it('drops links with any other scheme but keeps their text', () => {
      const div = render(
        '<a href="javascript:alert(1)">js</a><a href="data:text/html,x">data</a><a href="/relative">rel</a><a href=" JaVaScRiPt:alert(1)">mixed</a><a href="vbscript:x">vb</a>',
      );
      expect(div.textContent).to.equal('jsdatarelmixedvb');
      for (const a of div.querySelectorAll('a')) {
        expect(a.hasAttribute('href')).to.equal(false);
        expect(a.hasAttribute('target')).to.equal(false);
      }
    });

    it('leaves a DOMPurify shared with the page without this element\'s link hook', () => {
      sanitizeHtml('<a href="https://example.com">x</a>');
      expect(DOMPurify.sanitize('<a href="https://example.com">x</a>')).to.equal('<a href="https://example.com">x</a>');
    });
  });

  describe('bot HTML bounded before it is parsed', () => {
    /** The sanitiser as it was before replies were bounded: DOMPurify with the allowlist. */
    function unbounded(html: string): string {
      const div = document.createElement('div');
      div.append(
        DOMPurify.sanitize(html, {
          ALLOWED_TAGS: ['p', 'br', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote', 'h3', 'h4'],
          ALLOWED_ATTR: ['href'],
          ALLOWED_URI_REGEXP: /^(?:https?|mailto|tel):/i,
          RETURN_DOM_FRAGMENT: true,
        }),
      );
      for (const a of div.querySelectorAll('a[href]')) a.setAttribute('target', '_blank'), a.setAttribute('rel', 'noopener noreferrer');
      return div.innerHTML;
    }

    it('renders ordinary replies exactly as before', () => {
      const replies = [
        '<p>To reset your password, open <a href="https://example.com/account">your account</a> and choose <strong>Reset</strong>.</p>',
        '<ol><li>Open <em>Settings</em></li><li>Choose <b>Network</b></li><li>Turn on <code>VPN</code></li></ol>',
        '<h3>Opening hours</h3><ul><li>Mon–Fri: 9–17</li><li>Sat: 10–14</li></ul><p>Call <a href="tel:+4912345">+49 12345</a> or write to <a href="mailto:help@example.com">help</a>.</p>',
        '<pre><code>npm install webchat-agent\nnpx webchat</code></pre>',
        '<blockquote><p>Quoted &amp; &lt;escaped&gt; text &copy; 2026</p></blockquote><h4>Note</h4><p>Line one<br>Line two<br/>Line three</p>',
        'Plain text, where a < b and 3 > 2.',
        '<p>Nested <strong><em>bold italic</em></strong> and <i>italic</i></p>',
        '<p>First<p>Second<ul><li>one<li>two</ul>',
        '<span>Wrapped</span> in <span class="x">spans</span>, and a table: <table><tr><td>a</td><td>b</td></tr></table>',
        '<p>Emoji 👋, a&nbsp;non-breaking space &mdash; and a <a href="https://example.com/a?x=1&amp;y=2">query</a></p>',
        '  leading space and <b>bold</b>\nwith a new line\n',
        '<ul>\n  <li>one</li>\n  <li>two <a href="https://example.com/two">link</a></li>\n</ul>',
      ];
      for (const reply of replies) expect(render(reply).innerHTML, reply).to.equal(unbounded(reply));
    });

    it('keeps the text of a reply nested 50,000 deep, at most 32 elements deep', () => {
      const div = render(`${'<b>'.repeat(50_000)}deep text`);
      expect(div.textContent).to.equal('deep text');
      expect(depth(div)).to.equal(32);
      expect(div.querySelectorAll('b').length).to.equal(32);
    });

    it('drops only the tags past 32 levels, keeping their text and the structure around them', () => {
      const div = render(`<ul><li>${'<strong>'.repeat(40)}inner${'</strong>'.repeat(40)}</li><li>next</li></ul><p>after</p>`);
      expect(depth(div)).to.equal(32);
      expect([...div.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['inner', 'next']);
      expect(div.querySelector(':scope > p')?.textContent).to.equal('after');
    });

    it('cuts a reply longer than 64 KB, marking the cut with an ellipsis', () => {
      const div = render(`<p>${'word '.repeat(20_000)}</p><p>never shown</p>`);
      const text = div.textContent!;
      expect(text.length).to.be.within(60_000, 64 * 1024);
      expect(text.endsWith('…')).to.equal(true);
      expect(text).not.to.include('never shown');
    });
  });
});
