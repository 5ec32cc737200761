// Bundle sizes as a user pays for them: minified bytes, gzip -9, brotli. An ES entry counts
// with the chunks it imports statically (each file compressed on its own, as served); what
// it imports with `import()` is loaded only when needed and is not counted.
import { readFileSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { PARTS } from './parts.mjs';

const partFile = (name) => `webchat-agent.${name}.js`;

// The script-tag bundle's gzip budget, which CI enforces (issue 15 asks for 25 KB at most):
// 13.6 KB now. It is the shell every visitor needs: Lit, the element's attributes, the
// launcher, the language, the native bridge, and the panel's early textbox (early-composer.ts).
// The conversation (the core client, zod, the rows, the composer, the phone sheet) is the chat
// part, loaded from beside the script when the chat shows or the visitor reaches for it, or at
// once for a returning visitor's conversation. Raised from 13 KB for the early textbox and the
// composer's styles it shares with the view (0.8 KB; the chat part lost 0.2 KB of them).
export const IIFE_BUDGET_BYTES = 14 * 1024;

// What a visitor who chats loads before the panel works: the main bundle and the chat part
// (each file compressed on its own, as served). 41.9 KB now. Raised from 41 KB for the panel's
// alerts in the visitor's language (the errors' texts in English in the main bundle, 0.2 KB),
// then to 42 KB for the early textbox (0.6 KB net).
export const CHAT_BUDGET_BYTES = 42 * 1024;
export const CHAT_FILES = ['webchat-agent.iife.js', 'webchat-agent.chat.js'];

// Everything a visitor with every feature may load from the script tag: the main bundle,
// every part and the largest locale, each file compressed on its own as served. 65.9 KB now
// (DOMPurify's 11.5 KB and the file UI's 5.5 KB are most of the parts); the aim is 45 KB.
// Raised from 61 KB for the chat part: two files compress less well than one, and the
// shell's code that waits for the conversation's is new (2.7 KB together, DOMPurify's licence kept);
// then to 64.5 KB for the times that wait for the page's first idle moment (times.ts) and the
// saves' revisions (saved-transcript.ts), 0.5 KB together; then to 64.6 KB for the shell's frame
// kept as plain DOM (frame.ts: a closed launcher paints without Lit's first render, about 13 ms
// less start-up), 0.2 KB in the main bundle; then to 65.1 KB for the panel's alerts in the
// visitor's language (seven texts in every locale and in English), 0.5 KB; then to 65.2 KB for
// a follower's send that settles under the next leader when the last one went first (0.1 KB);
// then to 66 KB for the early textbox (0.6 KB net).
export const ALL_BUDGET_BYTES = 66 * 1024;

export const BUNDLES = ['webchat-agent.iife.js', 'webchat-agent.js', 'element.js', 'core.js', ...Object.keys(PARTS).map(partFile), 'webchat-agent.locale-de.js', 'webchat-agent.locale-ar.js', 'node/webchat-agent.js'];

/** What a visitor with every feature may load from the script tag (see ALL_BUDGET_BYTES). */
export function scriptTagFiles() {
  const locales = readdirSync(new URL('../dist/', import.meta.url)).filter((file) => /^webchat-agent\.locale-[\w-]+\.js$/.test(file));
  const largest = locales.map((file) => [file, sizes(file).gzip]).sort((a, b) => b[1] - a[1])[0]?.[0];
  return ['webchat-agent.iife.js', ...Object.keys(PARTS).map(partFile), ...(largest ? [largest] : [])];
}

const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*?\sfrom\s*)?["'](\.\.?\/[^"']+)["']/g;

/** The file and the chunks it imports statically, each once. */
export function closure(file) {
  const files = new Set([file]);
  for (const current of files) {
    const code = readFileSync(new URL(`../dist/${current}`, import.meta.url), 'utf8');
    for (const match of code.matchAll(STATIC_IMPORT)) files.add(posix.join(posix.dirname(current), match[1]));
  }
  return [...files];
}

export function sizes(file) {
  const total = { min: 0, gzip: 0, brotli: 0 };
  for (const part of closure(file)) {
    const bytes = readFileSync(new URL(`../dist/${part}`, import.meta.url));
    total.min += bytes.length;
    total.gzip += gzipSync(bytes, { level: 9 }).length;
    total.brotli += brotliCompressSync(bytes).length;
  }
  return total;
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
