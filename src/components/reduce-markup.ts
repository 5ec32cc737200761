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

/** Start tags that close an open `<p>` (the parser does so for these blocks). */
const closesP = /^(?:p|ul|ol|li|pre|blockquote|h3|h4)$/;
/** Elements an `<li>` start tag does not look past for an open `<li>` to close. */
const listBoundary = /^(?:ul|ol|blockquote|pre|h3|h4)$/;
/** Their content is raw text to the tokenizer (`textarea`'s is kept as text, the rest dropped). */
const RAW_TEXT = 'script|style|xmp|iframe|noembed|noframes|noscript|title|textarea';
const rawText = new RegExp(`^(?:${RAW_TEXT})$`);
const rawTextEnd = new RegExp(`</(${RAW_TEXT})[\\t\\n\\f\\r />]`, 'gi');
/** Dropped with everything inside, up to their matching end tag. */
const dropsContent = /^(?:template|svg|math|audio|video|object)$/;

// The HTML tokenizer's whitespace is tab, line feed, form feed, carriage return and space.
/** At a `<`: a comment; a bogus comment up to `>` (`<!doctype…>`, `<![CDATA[…>`, `<?…>`, `</`
 * and no letter); or a tag, whose name is captured. Anything else is a `<` of the text. */
const markup = /<(?:!--(?:-?>|[^]*?(?:--!?>|$))|(?:[!?]|\/(?![a-z]))[^>]*>?|(\/?)([a-z][^\t\n\f\r />]*))/iy;
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
  const emit = (piece: string, isText?: boolean): boolean => {
    if (out.length + piece.length <= MAX_LENGTH) return (out += piece), true;
    if (isText) out += piece.slice(0, MAX_LENGTH - out.length).replace(/&[#\w]*$|[\ud800-\udbff]$/, '');
    out += '…';
    return false;
  };
  const emitText = (text: string): boolean => skip !== '' || !text || emit(text, true);
  /** Closes open elements down to (and including) index `to`, writing their end tags. */
  const closeTo = (to: number): boolean => {
    while (open.length > to) if (!emit(`</${open.pop()}>`)) return false;
    return true;
  };

  while (at < input.length) {
    const lt = input.indexOf('<', at);
    if (!emitText(input.slice(at, lt < 0 ? undefined : lt))) return out;
    if (lt < 0) break;
    markup.lastIndex = lt;
    const tag = markup.exec(input);
    if (!tag) {
      if (!emitText('&lt;')) return out;
      at = lt + 1;
      continue;
    }
    at = markup.lastIndex;
    if (!tag[2]) continue;

    // The attributes, up to the tag's `>`; a tag the input ends inside is no tag.
    let href: string | undefined;
    let separator: string | undefined;
    let name: string | undefined;
    let value: string | undefined;
    attribute.lastIndex = at;
    while ((([, separator, name, value] = attribute.exec(input)!), name !== undefined)) {
      if (href === undefined && /^href$/i.test(name)) href = (value ?? '').replace(/^(["'])([^]*)\1$/, '$2').replace(/"/g, '&quot;');
    }
    if (input[attribute.lastIndex] !== '>') break;
    at = attribute.lastIndex + 1;
    const selfClosing = separator!.endsWith('/');
    const end = tag[1] === '/';
    // Only ASCII letters are case-insensitive in tag names: `<ſtyle>` is no style element.
    const tagName = /^[a-z][a-z0-9]*$/i.test(tag[2]) ? tag[2].toLowerCase() : '';

    if (!end && rawText.test(tagName)) {
      rawTextEnd.lastIndex = at;
      let found;
      while ((found = rawTextEnd.exec(input)) && found[1]!.toLowerCase() !== tagName);
      const stop = found ? found.index : input.length;
      if (tagName === 'textarea' && !emitText(input.slice(at, stop).replace(/</g, '&lt;'))) return out;
      at = stop;
    } else if (tagName === 'plaintext') {
      break;
    } else if (skip) {
      if (tagName === skip && !selfClosing) skipDepth += end ? -1 : 1;
      if (!skipDepth) skip = '';
    } else if (!end && dropsContent.test(tagName)) {
      if (!selfClosing) (skip = tagName), (skipDepth = 1);
    } else if (tagName === 'br') {
      // `</br>` is a line break to the parser too.
      if (!emit('<br>')) return out;
    } else if (!ALLOWED_TAGS.includes(tagName)) {
      // Dropped; its text stays.
    } else if (end) {
      const index = open.lastIndexOf(tagName);
      // An `</li>` does not reach past a nested list; a stray end tag is dropped.
      if (index >= 0 && !(tagName === 'li' && open.slice(index).some((n) => n === 'ul' || n === 'ol')) && !closeTo(index)) return out;
    } else {
      // The end tags the parser implies before this start tag: an `<li>` closes the open one
      // (not past a list or block), a block an open `<p>`, an `<a>` the open `<a>`, and a
      // heading right inside a heading closes it.
      let implied = open.length;
      // (Between two open `<li>`s there is always a list, so the first found is the only one.)
      for (let i = open.length; tagName === 'li' && i-- && !listBoundary.test(open[i]!); ) if (open[i] === 'li') implied = i;
      if (closesP.test(tagName) && open.includes('p')) implied = Math.min(implied, open.lastIndexOf('p'));
      if (tagName === 'a' && open.includes('a')) implied = open.lastIndexOf('a');
      if (/^h[34]$/.test(tagName) && /^h[34]$/.test(open[implied - 1] ?? '')) implied--;
      if (!closeTo(implied)) return out;
      if (open.length < MAX_DEPTH) {
        if (!emit(tagName === 'a' && href !== undefined ? `<a href="${href}">` : `<${tagName}>`)) return out;
        open.push(tagName);
      }
    }
  }
  return out;
}
