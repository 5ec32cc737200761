// The two sanitisers side by side: every case of a corpus of benign and hostile bot HTML goes
// through the engine's HTML Sanitizer API and through the DOMPurify fallback, and the DOM
// each leaves must be the same. A difference is allowed only where it is listed below, with
// why it is safe.
import { expect } from '@open-wc/testing';
import { sanitizeHtml, sanitizerReady } from '../../src/components/sanitize.ts';
import { markupPayloads, urlPayloads } from './xss-corpus.ts';

const TAGS = ['p', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote', 'h3', 'h4'];

/** What bots send: formatting, lists, code, links, entities, scripts of the world. */
const benign: string[] = [
  ...TAGS.map((tag) => (tag === 'a' ? '<a href="https://example.com/docs">docs</a>' : `<${tag}>text in ${tag}</${tag}>`)),
  ...TAGS.flatMap((outer) => ['strong', 'em', 'code', 'a'].map((inner) => `<${outer}>before <${inner}${inner === 'a' ? ' href="https://example.com/x?y=1&amp;z=2"' : ''}>inside</${inner}> after</${outer}>`)),
  '<p>One</p><p>Two</p><p>Three</p>',
  '<ol><li>Open the portal</li><li>Sign in<ul><li>with your email</li><li>and password</li></ul></li><li>Done</li></ol>',
  '<pre><code>const x = 1 &lt; 2 &amp;&amp; "y";\n  indented\n</code></pre>',
  '<blockquote><p>Quoted <em>reply</em></p></blockquote>',
  '<h3>Heading</h3><p>Body<br>next line<br/>and another</p>',
  '<p>&lt;script&gt;alert(1)&lt;/script&gt; is shown as text</p>',
  '<p>&copy; 2026 &mdash; &hellip; &nbsp; &#8364; &#x1F600; &amp;amp;</p>',
  '<p dir="rtl">مرحبا بك في الدعم</p>',
  '<p>日本語のテキスト、中文文本、한국어 텍스트</p>',
  '<p>emoji 👩‍💻🏳️‍🌈 and ZWJ</p>',
  '<a href="mailto:help@example.com">mail</a> <a href="tel:+4912345">call</a>',
  '<a href="HTTPS://EXAMPLE.COM/UPPER">upper scheme</a>',
  '<a href="https://example.com/a b">space in path</a>',
  '<a href="https://example.com/#frag" title="t">with a title</a>',
  '<p>plain text with no tags at all</p>',
  'text without any element',
  '',
  '   ',
  '<p></p><p> </p>',
  '<ul></ul><ol><li></li></ol>',
  '<br><br><br>',
  '<strong><em><code>three deep</code></em></strong>',
  '<p>a<b>b<i>c</i>d</b>e</p>',
  '<h4>Small heading</h4><ul><li><a href="https://example.com/1">1</a></li><li><a href="https://example.com/2">2</a></li></ul>',
];

/** Broken markup: the parsers must agree on how it is mended. */
const malformed: string[] = [
  '<p>unclosed paragraph',
  '<b>unclosed bold <i>and italic',
  '<b><i>misnested</b></i>',
  '<p><p>nested paragraphs</p></p>',
  '<li>a list item without a list</li>',
  '<ul><p>paragraph in a list</p></ul>',
  '</p>stray end tag</b>',
  '<p>text <a href="https://example.com/">link <a href="https://example.com/2">nested link</a></a></p>',
  '<pre>\nleading newline</pre>',
  '<h3><p>paragraph in heading</p></h3>',
  '<blockquote><blockquote><blockquote>deep quotes</blockquote></blockquote></blockquote>',
  '<code><pre>pre in code</pre></code>',
  '<p>a < b and c > d</p>',
  '<p>unfinished tag <b',
  '<p>attribute without value <b title>x</b></p>',
  '<p>uppercase <B>BOLD</B> <Em>Em</Em></p>',
  '<p>&unknown; &amp &lt</p>',
  '<!-- a comment --><p>after a comment</p>',
  '<!doctype html><p>after a doctype</p>',
  '<p>null\u0000char</p>',
  '<?xml version="1.0"?><p>processing instruction</p>',
  '<![CDATA[cdata]]><p>after</p>',
  '<p>tab\tand\nnewline\r\nand cr</p>',
  ...Array.from({ length: 10 }, (_, i) => `${'<b>'.repeat(i * 5)}deep ${i}${'</b>'.repeat(i * 3)}`),
];

/** mXSS shapes and namespace confusion, beyond the strict-CSP corpus. */
const mutations: string[] = [
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<svg><p><style><img src=x onerror=alert(1)></style></p></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  '<template><img src=x onerror=alert(1)></template>',
  '<textarea><img src=x onerror=alert(1)></textarea>',
  '<title><img src=x onerror=alert(1)></title>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<iframe srcdoc="<img src=x onerror=alert(1)>"></iframe>',
  '<a href="javascript&colon;alert(1)">entity colon</a>',
  '<a href="jav&#x09;ascript:alert(1)">tab entity</a>',
  '<a href=" javascript:alert(1)">leading space</a>',
  '<a href="data:text/html,<script>alert(1)</script>">data</a>',
  '<a href="vbscript:msgbox(1)">vb</a>',
  '<a href="//evil.example/">protocol-relative</a>',
  '<a href="/relative">relative</a>',
  '<a href="#top">fragment</a>',
  '<a href="https://example.com/" target="_self" rel="opener">target and rel given</a>',
  '<p style="background:url(javascript:alert(1))">style</p>',
  '<p class="x" id="y" data-x="1" aria-label="l">attributes</p>',
  '<b is="x-evil">customized built-in</b>',
  '<x-custom>custom element</x-custom>',
  '<p><base href="https://evil.example/"><a href="/x">base</a></p>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<object data="https://evil.example/x.swf"></object>',
  '<embed src="https://evil.example/x.swf">',
  '<table><tr><td>table cell</td></tr></table>',
  '<img src="https://example.com/pic.png" alt="alt text">',
  '<svg><a xlink:href="javascript:alert(1)"><text>svg link</text></a></svg>',
  '<math href="javascript:alert(1)">math href</math>',
  '<button formaction="javascript:alert(1)">button</button>',
  '<select><option>option</option></select>',
  '<p>\u202Eright-to-left override</p>',
  '<a href="https://xn--80ak6aa92e.com/">punycode host</a>',
];

const corpus = [...new Set([...benign, ...malformed, ...mutations, ...markupPayloads, ...urlPayloads.map((url) => `<a href="${url}">link</a>`)])];

/** Differences that are safe, and why: none so far. An entry: [case, why]. */
const DOCUMENTED: ReadonlyMap<string, string> = new Map();

const markup = (fragment: DocumentFragment | null): string => {
  const div = document.createElement('div');
  if (fragment) div.append(fragment);
  return div.innerHTML;
};

describe('the Sanitizer API and DOMPurify leave the same DOM', () => {
  const native = new Map<string, string>();
  const fallback = new Map<string, string>();

  before(async () => {
    for (const html of corpus) native.set(html, markup(sanitizeHtml(html)));
    Object.defineProperty(HTMLTemplateElement.prototype, 'setHTML', { value: undefined, configurable: true });
    try {
      await sanitizerReady();
      for (const html of corpus) fallback.set(html, markup(sanitizeHtml(html)));
    } finally {
      delete (HTMLTemplateElement.prototype as { setHTML?: unknown }).setHTML;
    }
  });

  it(`over ${corpus.length} cases of benign and hostile HTML`, () => {
    expect(corpus.length).to.be.at.least(200);
    const differing = corpus.filter((html) => native.get(html) !== fallback.get(html) && !DOCUMENTED.has(html));
    expect(differing.map((html) => ({ html, native: native.get(html), fallback: fallback.get(html) }))).to.deep.equal([]);
  });

  it('and what they leave is only allowed tags, links with a safe scheme, and no other attribute', () => {
    const allowed = new Set([...TAGS, 'br']);
    for (const [html, output] of [...native, ...fallback]) {
      const div = document.createElement('div');
      div.append(document.createRange().createContextualFragment(output));
      for (const el of div.querySelectorAll('*')) {
        expect(allowed.has(el.localName), `<${el.localName}> from ${html}`).to.equal(true);
        for (const attr of el.getAttributeNames()) expect(['href', 'target', 'rel'].includes(attr) && el.localName === 'a', `${attr} on <${el.localName}> from ${html}`).to.equal(true);
        const href = el.getAttribute('href');
        if (href !== null) expect(href, `href from ${html}`).to.match(/^(https?|mailto|tel):/i);
      }
    }
  });
});
