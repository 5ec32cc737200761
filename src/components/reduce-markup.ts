/**
 * A bot reply's HTML, reduced before any parser sees it. Every HTML parser of the page
 * (DOMParser, <template>, even the Sanitizer API's `setHTML`) checks an inline handler or
 * `style` attribute against the page's Content-Security-Policy while it parses, before any
 * sanitiser can remove it: a strict page then reports a violation for each one. And a reply
 * nested 50,000 levels deep costs seconds to parse, sanitise and lay out. So one linear scan
 * of the string, shaped after the HTML tokenizer, writes a new string holding only:
 * - the allowed tags, with no attribute but an `<a>`'s first `href` (its value still
 *   undecoded: the sanitiser after this checks its scheme);
 * - text, with every `<` written as `&lt;` (entities are left for the parser to decode).
 * Whatever the scan gets wrong about the input can only change which text is kept: the
 * output can mean nothing else to a parser. What a visitor sees of it:
 * - another tag is dropped and its text kept, as DOMPurify's KEEP_CONTENT does; the content
 *   of script, style and the other raw-text elements, and of template, svg, math, audio,
 *   video and object elements is dropped with them;
 * - tags deeper than MAX_DEPTH are dropped, their text kept (no real reply nests so deep);
 * - the output stops at MAX_LENGTH characters, at a tag or inside text, and a "…" marks the
 *   cut: the visitor sees where the reply was cut rather than a reply that seems complete.
 * The output is well nested, with the end tags the parser would imply (an open `<p>`
 * before a block, an `<li>` before the next, an `<a>` before the next) written out, so the
 * tree a parser builds from it is the one counted here and never deeper than MAX_DEPTH.
 */

export const ALLOWED_TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote', 'h3', 'h4'];

/** Open elements at most: a deeper start tag is dropped, its text kept. */
export const MAX_DEPTH = 32;

/** Characters of output at most (64 KB of ASCII): a longer reply is cut. */
export const MAX_LENGTH = 64 * 1024;

const allowed = new Set(ALLOWED_TAGS);
/** Start tags that close an open `<p>` (the parser does so for these blocks). */
const closesP = new Set(['p', 'ul', 'ol', 'li', 'pre', 'blockquote', 'h3', 'h4']);
/** Elements an `<li>` start tag does not look past for an open `<li>` to close. */
const listBoundary = new Set(['ul', 'ol', 'blockquote', 'pre', 'h3', 'h4']);
/** Their content is raw text to the tokenizer (`textarea` is kept as text, the rest dropped). */
const rawText = /^(?:script|style|xmp|iframe|noembed|noframes|noscript|title|textarea)$/;
/** Dropped with everything inside, up to their matching end tag. */
const dropsContent = /^(?:template|svg|math|audio|video|object)$/;
/** The end tag that ends each raw-text element's content. */
const closers = new Map<string, RegExp>();

// The HTML tokenizer's whitespace: tab, line feed, form feed, carriage return, space.
const comment = /<!--(?:-?>|[^]*?--!?>)/y;
/** `<!doctype…>`, `<![CDATA[…>`, `<?…>`, `</` not followed by a letter: up to the next `>`. */
const bogus = /<(?:[!?]|\/(?![a-z]))[^>]*>?/iy;
const tagOpen = /<(\/?)([a-z][^\t\n\f\r />]*)/iy;
/** One attribute, after its separator (which may hold `/`): name, then `=` and a value. */
const attribute = /([\t\n\f\r /]*)(?:([^\t\n\f\r />][^\t\n\f\r />=]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*("[^"]*"?|'[^']*'?|[^\t\n\f\r >]*))?)?/y;

export function reduceMarkup(input: string): string {
  let out = '';
  const open: string[] = [];
  /** Inside an element whose content is dropped: its name and nesting. */
  let skip = '';
  let skipDepth = 0;
  let at = 0;

  /** Appends `piece` while it fits; returns false once the output is full (and marked). */
  const emit = (piece: string, isText = false): boolean => {
    if (out.length + piece.length <= MAX_LENGTH) return (out += piece), true;
    if (isText) out += piece.slice(0, MAX_LENGTH - out.length).replace(/&[#\w]*$|[\ud800-\udbff]$/, '');
    out += '…';
    return false;
  };
  /** Closes open elements down to (and including) index `to`, writing their end tags. */
  const closeTo = (to: number): boolean => {
    while (open.length > to) if (!emit(`</${open.pop()}>`)) return false;
    return true;
  };

  while (at < input.length) {
    const lt = input.indexOf('<', at);
    const text = input.slice(at, lt < 0 ? input.length : lt);
    if (text && !skip && !emit(text, true)) return out;
    if (lt < 0) break;
    at = lt;

    comment.lastIndex = bogus.lastIndex = tagOpen.lastIndex = at;
    if (input.startsWith('<!--', at)) {
      at = comment.test(input) ? comment.lastIndex : input.length;
      continue;
    }
    if (bogus.test(input)) {
      at = bogus.lastIndex;
      continue;
    }
    const tag = tagOpen.exec(input);
    if (!tag) {
      if (!skip && !emit('&lt;')) return out;
      at += 1;
      continue;
    }

    // The attributes, up to the tag's `>`; a tag the input ends inside is no tag.
    let href: string | undefined;
    let selfClosing = false;
    attribute.lastIndex = at + tag[0].length;
    for (;;) {
      const [, separator, name, value] = attribute.exec(input)!;
      if (name === undefined) {
        selfClosing = separator!.endsWith('/');
        break;
      }
      if (href === undefined && /^href$/i.test(name)) href = (value ?? '').replace(/^(["'])([^]*)\1$/, '$2').replace(/"/g, '&quot;');
    }
    if (input[attribute.lastIndex] !== '>') break;
    at = attribute.lastIndex + 1;

    const end = tag[1] === '/';
    // Only ASCII letters are case-insensitive in tag names: `<ſtyle>` is no style element.
    const name = /^[a-z][a-z0-9]*$/i.test(tag[2]!) ? tag[2]!.toLowerCase() : '';

    if (!end && rawText.test(name)) {
      let close = closers.get(name);
      if (!close) closers.set(name, (close = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'ig')));
      close.lastIndex = at;
      const found = close.exec(input);
      const content = input.slice(at, found ? found.index : input.length);
      if (name === 'textarea' && !skip && !emit(content.replace(/</g, '&lt;'), true)) return out;
      at = found ? found.index : input.length;
      continue;
    }
    if (name === 'plaintext') break;
    if (skip) {
      if (name === skip && !selfClosing) skipDepth += end ? -1 : 1;
      if (skipDepth === 0) skip = '';
      continue;
    }
    if (!end && dropsContent.test(name)) {
      if (!selfClosing) (skip = name), (skipDepth = 1);
      continue;
    }
    if (!allowed.has(name)) continue;

    // `</br>` is a line break to the parser.
    if (name === 'br') {
      if (!emit('<br>')) return out;
      continue;
    }
    if (end) {
      const index = open.lastIndexOf(name);
      // An `</li>` does not reach past a nested list; a stray end tag is dropped.
      if (index >= 0 && !(name === 'li' && open.slice(index).some((n) => n === 'ul' || n === 'ol')) && !closeTo(index)) return out;
      continue;
    }
    // The end tags the parser implies before this start tag: an `<li>` closes the open one
    // (not past a list or block), a block closes an open `<p>`, an `<a>` the open `<a>`.
    let implied = open.length;
    if (name === 'li') {
      for (let i = open.length - 1; i >= 0 && !listBoundary.has(open[i]!); i--) {
        if (open[i] === 'li') {
          implied = i;
          break;
        }
      }
    }
    if (closesP.has(name) && open.includes('p')) implied = Math.min(implied, open.lastIndexOf('p'));
    if (name === 'a' && open.includes('a')) implied = open.lastIndexOf('a');
    if (!closeTo(implied)) return out;
    // A heading right inside a heading closes it.
    if ((name === 'h3' || name === 'h4') && /^h[34]$/.test(open.at(-1) ?? '') && !closeTo(open.length - 1)) return out;

    if (open.length >= MAX_DEPTH) continue;
    if (!emit(name === 'a' && href !== undefined ? `<a href="${href}">` : `<${name}>`)) return out;
    open.push(name);
  }
  return out;
}
