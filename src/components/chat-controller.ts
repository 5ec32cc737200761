/**
 * Binds a headless ChatClient to a Lit host: every state snapshot schedules a render,
 * and every client event is re-dispatched from the host as a bubbling, composed
 * `webchat-state` / `webchat-message` / `webchat-error` CustomEvent (detail: the event).
 * Detached from the page, the client is disposed; attached again, it starts again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createChatClient } from '../core/client.ts';
import { initialModel } from '../core/conversation.ts';
import type { ChatClient, ChatClientOptions, ChatEvent, ChatState } from '../core/types.ts';

/** What the element shows before it has a client (no `chatbot-id` yet). */
const EMPTY: ChatState = initialModel();

/** The element's public events: they bubble and cross shadow roots, like native UI events. */
export function emit(target: EventTarget, type: string, detail?: unknown): void {
  target.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
}

export class ChatController implements ReactiveController {
  client: ChatClient | null = null;
  private unsubscribe: (() => void) | undefined;
  private running = false;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  get state(): ChatState {
    return this.client?.state ?? EMPTY;
  }

  /** Replaces the client (options changed); `null` leaves the element without one. */
  connect(options: ChatClientOptions | null): void {
    this.hostDisconnected();
    if (this.running) this.client!.dispose();
    this.running = false;
    this.client = options && createChatClient(options);
    if (this.host.isConnected) this.hostConnected();
  }

  hostConnected(): void {
    if (!this.client || this.unsubscribe) return;
    this.unsubscribe = this.client.subscribe(this.forward);
    if (!this.running) void this.client.start();
    this.running = true;
    // Whatever happened while detached shows now.
    this.host.requestUpdate();
  }

  /** Detached, the element hears nothing more. A move in the DOM reattaches it at once: only
   * a client still detached a microtask later is disposed, so a move keeps its socket and
   * requests in flight (and a removal still saves before anything else reads storage). */
  hostDisconnected(): void {
    this.unsubscribe = void this.unsubscribe?.();
    const client = this.client;
    queueMicrotask(() => {
      if (this.host.isConnected || client !== this.client || !this.running) return;
      this.running = false;
      client!.dispose();
    });
  }

  private forward = (event: ChatEvent): void => {
    if (event.type === 'state') this.host.requestUpdate();
    emit(this.host, `webchat-${event.type}`, event);
  };
}
