import { expect } from '@open-wc/testing';
import { sanitizeHtml } from '../../src/components/sanitize.ts';

const render = (html: string): HTMLElement => {
  const div = document.createElement('div');
  div.append(sanitizeHtml(html));
  return div;
};

describe('bot HTML sanitising', () => {
  it('keeps the allowed formatting and returns nodes, not a string', () => {
    const fragment = sanitizeHtml('<p>Hello <strong>there</strong>, <em>see</em>:</p><ul><li><code>a</code></li></ul><h3>Title</h3>');
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

  it('leaves a DOMPurify shared with the page without this element\'s link hook', async () => {
    const { default: DOMPurify } = await import('dompurify');
    sanitizeHtml('<a href="https://example.com">x</a>');
    expect(DOMPurify.sanitize('<a href="https://example.com">x</a>')).to.equal('<a href="https://example.com">x</a>');
  });
});
