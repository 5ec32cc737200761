/**
 * Messages as terminal text. Bot replies are HTML: html-to-text lays out paragraphs, lists
 * and code; emphasis, code and links come back as markers that become colours and OSC 8
 * hyperlinks last, after every control character of the input is gone, so a reply can
 * never move the cursor or retitle the window.
 */
import { compile, type FormatCallback } from 'html-to-text';
import type { ChatMessage, FileRef, Source } from '../core/index.ts';
import { sizeText } from '../core/file-checks.ts';
import { hyperlink, type Style } from './style.ts';

// Private-use characters as markers: they are removed from the input first, so only the
// formatters below can put them in the output.
const BOLD = ['\uE001', '\uE002'] as const;
const ITALIC = ['\uE003', '\uE004'] as const;
const CODE = ['\uE005', '\uE006'] as const;
const LINK_OPEN = '\uE007';
const LINK_TEXT = '\uE008';
const LINK_CLOSE = '\uE009';
const MARKERS = /[\uE000-\uE00F]/g;

/** C0 and C1 controls but newline and tab: ESC, BEL, CSI… */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Removes what must not reach the terminal; numeric references too, since html-to-text decodes them. */
export function stripControls(text: string): string {
  return text.replace(CONTROLS, '').replace(MARKERS, '');
}

function stripHtmlControls(html: string): string {
  return stripControls(html).replace(/&#(x[0-9a-f]+|[0-9]+);?/gi, (reference, digits: string) => {
    const code = digits[0] === 'x' || digits[0] === 'X' ? Number.parseInt(digits.slice(1), 16) : Number(digits);
    const char = Number.isSafeInteger(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    return char === '' || stripControls(char) === '' ? '' : reference;
  });
}

const span =
  ([open, close]: readonly [string, string]): FormatCallback =>
  (elem, walk, builder) => {
    builder.addInline(open, { noWordTransform: true });
    walk(elem.children, builder);
    builder.addInline(close, { noWordTransform: true });
  };

export const safeUrl = (href: string): string | null => {
  try {
    const url = new URL(stripControls(href.trim()));
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
};

const anchor: FormatCallback = (elem, walk, builder) => {
  const url = safeUrl(String(elem.attribs?.href ?? ''));
  if (!url) return walk(elem.children, builder);
  builder.addInline(`${LINK_OPEN}${url}${LINK_TEXT}`, { noWordTransform: true });
  walk(elem.children, builder);
  builder.addInline(LINK_CLOSE, { noWordTransform: true });
};

const convert = compile({
  wordwrap: false,
  formatters: { bold: span(BOLD), italic: span(ITALIC), code: span(CODE), anchor },
  selectors: [
    { selector: 'a', format: 'anchor' },
    { selector: 'strong', format: 'bold' },
    { selector: 'b', format: 'bold' },
    { selector: 'em', format: 'italic' },
    { selector: 'i', format: 'italic' },
    { selector: 'code', format: 'code' },
    { selector: 'img', format: 'skip' },
    ...(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((tag) => ({ selector: tag, options: { uppercase: false } })),
    { selector: 'ul', options: { itemPrefix: ' • ' } },
  ],
});

function link(style: Style, url: string, text: string): string {
  const label = text.trim() === '' ? url : text;
  if (style.hyperlinks) return hyperlink(url, style.paint('underline', label));
  const bare = url.replace(/^mailto:/, '');
  return label === url || label === bare ? style.paint('underline', label) : `${label} (${style.paint('underline', url)})`;
}

export function htmlToTerminal(html: string, style: Style): string {
  // Controls again, but not the markers: only the formatters above can have made those.
  const laid = convert(stripHtmlControls(html)).replace(CONTROLS, '');
  return laid
    .replace(new RegExp(`${LINK_OPEN}([^${LINK_TEXT}]*)${LINK_TEXT}([^${LINK_CLOSE}]*)${LINK_CLOSE}`, 'g'), (_, url: string, label: string) => link(style, url, label))
    .replace(new RegExp(`${BOLD[0]}([^${BOLD[1]}]*)${BOLD[1]}`, 'g'), (_, inner: string) => style.paint('bold', inner))
    .replace(new RegExp(`${ITALIC[0]}([^${ITALIC[1]}]*)${ITALIC[1]}`, 'g'), (_, inner: string) => style.paint('italic', inner))
    .replace(new RegExp(`${CODE[0]}([^${CODE[1]}]*)${CODE[1]}`, 'g'), (_, inner: string) => style.paint('cyan', inner))
    .replace(MARKERS, '')
    .trim();
}

/** A source as one line: its title and its URL (always shown: the reader may copy it). */
export function sourceLine(source: Source, style: Style): string {
  const title = typeof source.title === 'string' ? stripControls(source.title).trim() : '';
  const raw = typeof source.source === 'string' || typeof source.source === 'number' ? String(source.source) : '';
  const url = safeUrl(raw);
  if (url) {
    const shown = style.hyperlinks ? hyperlink(url, style.paint('underline', url)) : style.paint('underline', url);
    return title ? `${title}: ${shown}` : shown;
  }
  const what = stripControls(raw);
  return [title || source.type, what].filter(Boolean).join(': ');
}

/** A file of a message: `name (size) URL`, the URL shown whole so it can be copied. */
export function attachmentLine(file: FileRef, style: Style): string {
  const name = stripControls(file.name).trim() || 'file';
  const url = safeUrl(file.url);
  const shown = url && (style.hyperlinks ? hyperlink(url, style.paint('underline', url)) : style.paint('underline', url));
  return `${name} (${sizeText(file.size)})${shown ? ` ${shown}` : ''}`;
}

export function senderLabel(message: ChatMessage): string {
  switch (message.sender) {
    case 'user':
      return 'you';
    case 'bot':
      return 'assistant';
    case 'admin':
      return stripControls(message.agent?.name ?? '').trim() || 'agent';
    case 'system':
      return '--';
  }
}

const LABEL_COLOR = { user: 'green', bot: 'blue', admin: 'magenta', system: 'gray' } as const;

/** The body alone: HTML laid out, plain text cleaned. */
export function messageText(message: ChatMessage, style: Style): string {
  return message.html ? htmlToTerminal(message.content, style) : stripControls(message.content).trim();
}

/** A message as printed in the transcript: `label: text`, its files a line each, later lines
 * indented, sources last. A message of files alone has its first file beside the label. */
export function formatMessage(message: ChatMessage, style: Style, { label = true } = {}): string {
  const files = (message.attachments ?? []).map((file) => attachmentLine(file, style));
  const body = [messageText(message, style), ...files].filter((line) => line !== '').join('\n');
  if (message.sender === 'system') return style.paint('gray', `-- ${body.replace(/\n(?=.)/g, '\n   ')}`);
  const name = style.paint(['bold', LABEL_COLOR[message.sender]], `${senderLabel(message)}:`);
  const lines = [label ? `${name} ${body.replace(/\n(?=.)/g, '\n  ')}` : body];
  if (message.sources.length > 0) {
    const indent = label ? '  ' : '';
    lines.push(`${indent}${style.paint('dim', 'Sources:')}`);
    message.sources.forEach((source, i) => lines.push(`${indent}[${i + 1}] ${sourceLine(source, style)}`));
  }
  return lines.join('\n');
}
