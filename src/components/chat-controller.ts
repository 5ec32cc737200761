/**
 * Binds a headless ChatClient to a Lit host: every state snapshot schedules a render,
 * and every client event is re-dispatched from the host as a bubbling, composed
 * `webchat-state` / `webchat-message` / `webchat-error` CustomEvent (detail: the event).
 * Detached from the page, the client is disposed; attached again, it starts again.
 */
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { createChatClient } from '../core/client.ts';
import { UNAVAILABLE, initialModel } from '../core/model.ts';
import { publicState } from '../core/state.ts';
import type { ChatClient, ChatClientOptions, ChatEvent, ChatState } from '../core/types.ts';
import { emit } from './emit.ts';

/** What the element shows when it has no client: the chat set up wrong (no chatbot id, a
 * base URL that is not one). The visitor reads a plain sentence; the console says why. */
const UNCONFIGURED: ChatState = Object.freeze({ ...publicState(initialModel(), null), error: Object.freeze({ code: 'configuration' as const, message: UNAVAILABLE }) });

export class ChatController implements ReactiveController {
  client: ChatClient | null = null;
  private unsubscribe: (() => void) | undefined;
  private running = false;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  get state(): ChatState {
    return this.client?.state ?? UNCONFIGURED;
  }

  /** Replaces the client (options changed). Options it can't work with leave the element
   * without one, and the integrator a warning. */
  connect(options: ChatClientOptions): void {
    this.hostDisconnected();
    if (this.running) this.client!.dispose();
    this.running = false;
    try {
      this.client = createChatClient(options);
    } catch (error) {
      this.client = null;
      console.warn((error as Error).message);
    }
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
