/**
 * Fills a bot reply's bubble with its sanitised HTML. The last CACHE_SIZE replies' sanitised
 * fragments are kept, and a bubble only ever gets a clone: a fragment's nodes move into the
 * DOM they are appended to, so handing the kept one out would leave it empty for the next
 * bubble (the same reply twice, or a row built again). Where the sanitiser must load first
 * (no Sanitizer API) the bubble fills once it has; should it fail to load, with the reply's text.
 */
import { sanitizeHtml, sanitizerReady, textOf } from './sanitize.ts';

/** Enough for replies repeated nearby and rows built again; bounded, as it holds DOM. */
const CACHE_SIZE = 32;

const kept = new Map<string, DocumentFragment>();

/** A fresh copy of the reply's sanitised nodes, or null while the sanitiser is loading. */
export function sanitizedCopy(content: string): DocumentFragment | null {
  let fragment = kept.get(content);
  if (fragment) {
    // Most recently used last: the first key is the one to drop.
    kept.delete(content);
  } else {
    fragment = sanitizeHtml(content) ?? undefined;
    if (!fragment) return null;
    if (kept.size >= CACHE_SIZE) kept.delete(kept.keys().next().value!);
  }
  kept.set(content, fragment);
  return fragment.cloneNode(true) as DocumentFragment;
}

export function fillBotHtml(bubble: HTMLElement, content: string): void {
  const fragment = sanitizedCopy(content);
  if (fragment) {
    bubble.append(fragment);
    return;
  }
  sanitizerReady().then(
    () => bubble.append(sanitizedCopy(content) ?? textOf(content)),
    () => bubble.append(textOf(content)),
  );
}
