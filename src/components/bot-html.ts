/**
 * Renders a bot reply's sanitised HTML into its part. Each part (each DOM instance of a
 * row: a row's template is cached, and rendered again into new DOM when it moves to another
 * block of the log) sanitises for itself, so it never inserts a fragment another part's DOM
 * has consumed; rendered again with the same reply, it changes nothing. Where the sanitiser
 * must load first (no Sanitizer API), the reply shows once it has; should it fail to load,
 * the reply's text shows.
 */
import { noChange, nothing } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import { sanitizeHtml, sanitizerReady, textOf } from './sanitize.ts';

class BotHtml extends AsyncDirective {
  private shown: string | undefined;

  render(content: string) {
    if (content === this.shown) return noChange;
    this.shown = content;
    const fragment = sanitizeHtml(content);
    if (fragment) return fragment;
    sanitizerReady().then(
      () => this.shown === content && this.setValue(sanitizeHtml(content)),
      () => this.shown === content && this.setValue(textOf(content)),
    );
    return nothing;
  }
}

export const botHtml = directive(BotHtml);
