/**
 * Renders a copy of a DocumentFragment. A fragment empties as it is inserted, and a row's
 * template is cached (message-list.ts): when that row is rendered again into new DOM (it
 * moved to another block), the fragment it holds would already be empty. So each part gets
 * its own copy, once: rendered again into the same part, the same fragment changes nothing,
 * and a row left as it was keeps its DOM untouched.
 */
import { noChange } from 'lit';
import { Directive, directive } from 'lit/directive.js';

class FragmentCopy extends Directive {
  private shown: DocumentFragment | undefined;

  render(fragment: DocumentFragment) {
    if (fragment === this.shown) return noChange;
    this.shown = fragment;
    return fragment.cloneNode(true);
  }
}

export const fragmentCopy = directive(FragmentCopy);
