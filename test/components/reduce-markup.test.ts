// reduceMarkup() must write nothing but the allowed tags (an <a> with its href alone) and
// text without a `<`, whatever it is given: then no parser can find a handler, a style or
// another element in what it wrote, however the scan misread the input.
import { expect } from '@open-wc/testing';
import { ALLOWED_TAGS, MAX_DEPTH, reduceMarkup } from '../../src/components/reduce-markup.ts';
import { markupPayloads } from './xss-corpus.ts';

const safeShape = new RegExp(`^(?:[^<]|<(?:/?(?:${ALLOWED_TAGS.join('|')})|a href="[^"]*")>)*…?$`);

/** Strings built from the pieces that matter to the tokenizer, from a fixed seed. */
function tokenSoup(count: number): string[] {
  const pieces = ['<', '>', '/', '!', '--', '"', "'", '=', ' ', '\n', 'a', 'b', 'p', 'li', 'ul', 'h3', 'A', 'href', '&amp;', '&', 'script', 'style', 'svg', 'template', 'textarea', 'plaintext', 'br', 'onclick', 'javascript:', '?', '[CDATA[', 'img', 'div'];
  let seed = 7;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  return Array.from({ length: count }, () => Array.from({ length: 1 + next(40) }, () => pieces[next(pieces.length)]).join(''));
}

describe('reducing bot markup before it is parsed', () => {
  it('writes only the allowed tags and text, for the XSS corpus and 20,000 strings of tokenizer pieces', () => {
    const wrong = [...markupPayloads, ...tokenSoup(20_000)].filter((input) => !safeShape.test(reduceMarkup(input)));
    expect(wrong).to.deep.equal([]);
  });

  it('writes the end tags the parser would imply, so what it counts is what the parser builds', () => {
    expect(reduceMarkup('<ul><li>a<li>b</ul><p>x<p>y<h3>t<h4>u</h4><a href="https://a.example">1<a href="https://b.example">2')).to.equal(
      '<ul><li>a</li><li>b</li></ul><p>x</p><p>y</p><h3>t</h3><h4>u</h4><a href="https://a.example">1</a><a href="https://b.example">2',
    );
    const deep = reduceMarkup(`${'<li><ul>'.repeat(40)}x`);
    expect(deep.split('<').length - 1).to.equal(MAX_DEPTH);
  });

  it('keeps the text of dropped tags, not the content of scripts, styles, templates or svg', () => {
    expect(reduceMarkup('<div class="x">kept <span>text</span></div><script>no</script><style>no</style><template>no</template><svg><text>no</text></svg><textarea>a <b></textarea>')).to.equal(
      'kept texta &lt;b>',
    );
  });
});
