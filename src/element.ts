// `webchat-agent/element`: the class without registering it, so an app chooses the tag (or a
// scoped registry) itself, the way Shoelace splits `dialog.component.ts` from `dialog.ts`.
// Importing this module defines nothing: `sideEffects` in package.json says so to bundlers.
import { WebChatAgent } from './components/webchat-agent.ts';

export { WebChatAgent, DEFAULT_BASE_URL } from './components/webchat-agent.ts';
// The events' detail types; with them comes the DOM's HTMLElementEventMap, augmented.
export type * from './components/events.ts';
export { defaultStrings, type WebchatStrings } from './components/strings.ts';

/**
 * Registers the element under `tagName` where there is a custom element registry (a
 * browser, or the one Lit's server build puts in Node), once: a tag already defined keeps
 * what it has.
 * Returns the class the tag now has, or `undefined` where there is no registry.
 */
export function defineWebChatAgent(tagName = 'webchat-agent'): typeof WebChatAgent | undefined {
  const registry = globalThis.customElements as CustomElementRegistry | undefined;
  if (!registry) return undefined;
  const existing = registry.get(tagName);
  if (existing) return existing as typeof WebChatAgent;
  try {
    registry.define(tagName, WebChatAgent);
    return WebChatAgent;
  } catch {
    // One constructor, one name per registry: when the class has a tag already, a subclass
    // takes this one (a tag name that is not valid throws again, from here).
    const element = class extends WebChatAgent {};
    registry.define(tagName, element);
    return element;
  }
}
