/**
 * The element's public events and their `detail`s: the single source of their types. The
 * manifest's `@fires` tags name these types, the framework typings generated from it
 * import them, and the DOM's `HTMLElementEventMap` learns them here, so
 * `el.addEventListener('webchat-message', (e) => e.detail.message)` type-checks once the
 * package's types are in (types only: this module has no code).
 */
import type { ChatError, ChatMessage, ChatState } from '../core/types.ts';
import type { LinkDetail } from './links.ts';

/** `webchat-message`: a message was added (the client's event, frozen). */
export interface WebchatMessageDetail {
  readonly type: 'message';
  readonly message: ChatMessage;
}

/** `webchat-state`: the state changed; `state` is the new snapshot. */
export interface WebchatStateDetail {
  readonly type: 'state';
  readonly state: ChatState;
}

/** `webchat-error`: something failed. */
export interface WebchatErrorDetail {
  readonly type: 'error';
  readonly error: ChatError;
}

/** `webchat-unread`: the unread count changed (and once on load when a kept one is not 0). */
export interface WebchatUnreadDetail {
  readonly count: number;
}

/** `webchat-link`: a link of the conversation is about to open (cancelable). */
export type WebchatLinkDetail = LinkDetail;

/** Every public event of `<webchat-agent>`: bubbling, composed `CustomEvent`s. The panel's
 * open and close carry no detail (`null`, as `new CustomEvent(type)` makes it). */
export interface WebChatAgentEventMap {
  'webchat-message': CustomEvent<WebchatMessageDetail>;
  'webchat-state': CustomEvent<WebchatStateDetail>;
  'webchat-error': CustomEvent<WebchatErrorDetail>;
  'webchat-open': CustomEvent<null>;
  'webchat-close': CustomEvent<null>;
  'webchat-unread': CustomEvent<WebchatUnreadDetail>;
  'webchat-link': CustomEvent<WebchatLinkDetail>;
}

declare global {
  // Every HTML element's map, not only the element's own: the events bubble and are
  // composed, so a container's listener hears them too.
  interface HTMLElementEventMap extends WebChatAgentEventMap {}
}
