/** The knowledge base: markdown documents, split into sections the bot can quote. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer, Marked, type Token } from 'marked';

/** Plain text, never HTML: whoever renders it escapes it. */
export interface Block {
  kind: 'p' | 'ul' | 'ol';
  items: string[];
}

export interface Section {
  /** The document title for the introduction, else the `##` heading. */
  heading: string;
  blocks: Block[];
}

export interface KnowledgeDoc {
  slug: string;
  title: string;
  markdown: string;
  sections: Section[];
}

export function loadKnowledge(dir: string): KnowledgeDoc[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => parseDoc(file.slice(0, -3), readFileSync(join(dir, file), 'utf8')));
}

export function parseDoc(slug: string, markdown: string): KnowledgeDoc {
  let title = slug;
  const sections: Section[] = [];
  let current: Section | undefined;
  for (const token of new Lexer().lex(markdown)) {
    if (token.type === 'heading' && token.depth === 1) {
      title = inlineText(token.tokens);
      current = { heading: title, blocks: [] };
      sections.push(current);
    } else if (token.type === 'heading') {
      current = { heading: inlineText(token.tokens), blocks: [] };
      sections.push(current);
    } else if (token.type === 'paragraph') {
      current?.blocks.push({ kind: 'p', items: [inlineText(token.tokens)] });
    } else if (token.type === 'list') {
      const items = (token.items as Array<{ tokens: Token[] }>).map((item) => blockText(item.tokens));
      current?.blocks.push({ kind: token.ordered ? 'ol' : 'ul', items });
    }
  }
  return { slug, title, markdown, sections: sections.filter((s) => s.blocks.length > 0) };
}

/** The text of inline markdown (links keep their label, code its content). */
function inlineText(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => ('tokens' in token && token.tokens ? inlineText(token.tokens) : token.type === 'br' ? ' ' : 'text' in token ? String(token.text) : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A list item holds block tokens (`text`, nested lists) around its inline ones. */
function blockText(tokens: Token[]): string {
  return tokens
    .map((token) => (token.type === 'list' ? (token.items as Array<{ tokens: Token[] }>).map((i) => blockText(i.tokens)).join('; ') : 'tokens' in token && token.tokens ? inlineText(token.tokens) : ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Self-hosters bring their own articles: raw HTML in them is shown as text, and links
 * or images to anything but http(s), mailto or a relative address keep only their text.
 */
const pageMarkdown = new Marked({
  renderer: {
    html: ({ text }) => escapeHtml(text),
    link({ href, tokens }) {
      return safeHref(href) ? false : this.parser.parseInline(tokens);
    },
    image({ href, text }) {
      return safeHref(href) ? false : escapeHtml(text);
    },
  },
});

function safeHref(href: string): boolean {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
  const compact = href.replace(/[\u0000-\u0020]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'mailto';
}

/** A document as an HTML page. */
export function renderDocPage(doc: KnowledgeDoc): string {
  const body = pageMarkdown.parse(doc.markdown, { async: false });
  return page(doc.title, `<nav><a href="/kb/">Helpdesk articles</a></nav>\n<article>${body}</article>`);
}

export function renderIndexPage(docs: KnowledgeDoc[]): string {
  const items = docs.map((doc) => `<li><a href="/kb/${encodeURIComponent(doc.slug)}">${escapeHtml(doc.title)}</a></li>`).join('\n');
  return page('Helpdesk articles', `<nav><a href="/">Northwind Intranet</a></nav>\n<h1>Helpdesk articles</h1>\n<ul>${items}</ul>`);
}

function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Northwind Helpdesk</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/kb.css">
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
