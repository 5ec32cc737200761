/**
 * The public headless client: runs the conversation's effects (REST, socket, timers,
 * storage, events) and feeds their outcomes back into the pure `update`.
 *
 * Lifecycle: `createChatClient()` restores the stored session and transcript at once (so
 * a UI can render them before any network); `start()` loads the server's history and
 * reopens live chat or monitoring when the session needs it; `dispose()` closes sockets
 * and timers, aborts requests and flushes storage (the client can be started again).
 */
import { DEFAULT_HUMAN_REQUEST } from './protocol.ts';
import { persisted, restore, update } from './conversation.ts';
import type { Config, Effect, Input, Model, Persisted, TimerName } from './conversation.ts';
import { getHistory, postChat } from './rest.ts';
import { openLiveChat } from './livechat.ts';
import type { LiveChatSocket } from './livechat.ts';
import { memoryStorage } from './storage.ts';
import type { ChatClient, ChatClientOptions, ChatEvent, ChatListener, Timers } from './types.ts';

/** The runtime's online/offline/pagehide events, where there are any (browsers, webviews). */
interface EventSource {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

const current = (value: string | (() => string | undefined) | undefined) => (typeof value === 'function' ? value() : value);

export function createChatClient(options: ChatClientOptions): ChatClient {
  const { baseUrl, chatbotId } = options;
  const config: Config = {
    chatbotId,
    lang: options.lang,
    // Read when a message or a join goes out: the page may have changed since (SPAs).
    get pageUrl() {
      return current(options.pageUrl);
    },
    get pageTitle() {
      return current(options.pageTitle);
    },
    monitor: options.monitor,
    initialDelayMs: options.reconnect?.initialDelayMs ?? 1000,
    maxDelayMs: options.reconnect?.maxDelayMs ?? 30000,
    typingTimeoutMs: options.typingTimeoutMs ?? 4000,
  };
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const timers: Timers = options.timers ?? { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as never) };
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const createId = options.createId ?? newId;
  const storage = options.storage ?? memoryStorage();
  const storageKey = `webchat-agent:${options.storageKey ?? chatbotId}`;
  const persistDelayMs = options.persistDelayMs ?? 250;

  let model: Model = restore(load());
  const listeners = new Set<ChatListener>();
  const pendingTimers = new Map<TimerName | 'persist', unknown>();
  const inflight = new Map<string, Promise<void>>();
  let socket: LiveChatSocket | null = null;
  // Between dispose() and start() nothing may outlive the page's use of the client: no
  // socket, timer or storage write, whatever answer still arrives.
  let disposed = false;
  const requests = new Set<AbortController>();
  let history: Promise<void> = Promise.resolve();
  // REST requests go one at a time, so each carries the session id its predecessor got.
  let restQueue: Promise<void> = Promise.resolve();
  const runtime = globalThis as Partial<EventSource>;
  const onOnline = () => dispatch({ type: 'online' });
  const onOffline = () => dispatch({ type: 'offline' });
  listenToNetwork();

  function dispatch(input: Input): void {
    const previous = model;
    const result = update(model, input, config);
    model = result.model;
    for (const effect of result.effects) run(effect);
    if (model !== previous) emit({ type: 'state', state: model });
  }

  function run(effect: Effect): void {
    if (disposed && ['open', 'timer', 'persist', 'history'].includes(effect.type)) return;
    switch (effect.type) {
      case 'rest': {
        const { id, body } = effect;
        const done = restQueue.then(async () => {
          const { conversation, messages } = model;
          if (conversation === 'waiting' || conversation === 'live' || !messages.some((x) => x.id === id)) {
            return dispatch({ type: 'restSkip', id });
          }
          const asOf = model;
          const result = await call((signal) => postChat(fetchFn, baseUrl, body, asOf.sessionId, signal));
          dispatch(result.ok ? { type: 'restOk', id, sessionId: result.sessionId, body: result.body, now: now(), asOf } : { type: 'restFail', id, error: result.error });
        });
        restQueue = done.catch(() => {});
        inflight.set(id, done);
        void done.finally(() => inflight.get(id) === done && inflight.delete(id));
        return;
      }
      case 'history': {
        const { sessionId } = effect;
        const asOf = model;
        history = call((signal) => getHistory(fetchFn, baseUrl, chatbotId, sessionId, signal)).then((result) => {
          // Cut off by dispose(): start() asks again.
          if (!disposed) dispatch(result.ok ? { type: 'history', sessionId, body: result.body, asOf } : { type: 'historyFail', sessionId, error: result.error });
        });
        return;
      }
      case 'open': {
        const { gen } = effect;
        socket?.close();
        // Without any WebSocket (Node 20 and no `WebSocket` option) this fails like a refused
        // connection: a `connection` error in the state, not a throw.
        const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: ChatClientOptions['WebSocket'] }).WebSocket;
        socket = openLiveChat(WebSocketImpl, baseUrl, {
          open: () => dispatch({ type: 'socketOpen', gen }),
          frame: (parse) => dispatch({ type: 'socketFrame', gen, parse }),
          close: (code) => dispatch({ type: 'socketClose', gen, now: now(), jitter: random(), code }),
        });
        return;
      }
      case 'close':
        socket?.close();
        socket = null;
        return;
      case 'frame':
        socket?.send(effect.frame);
        return;
      case 'timer':
        arm(effect.name, effect.ms, () => dispatch({ type: 'timer', name: effect.name }));
        return;
      case 'cancel':
        disarm(effect.name);
        return;
      case 'persist':
        // Debounced: a long transcript is serialised once per burst of changes.
        if (!pendingTimers.has('persist')) arm('persist', persistDelayMs, save);
        return;
      case 'forget':
        disarm('persist');
        try {
          storage.removeItem(storageKey);
        } catch {
          // A storage that can't forget had nothing worth keeping.
        }
        return;
      case 'emit':
        emit(effect.event);
        return;
    }
  }

  /** A request dispose() can cut off, and that gives up when unanswered: one hung request
   * must not hold up the REST queue for good. A REST send then fails, its text kept. */
  async function call<T>(request: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (disposed) controller.abort(closed);
    requests.add(controller);
    const timer = timers.setTimeout(() => controller.abort(timedOut), 30_000);
    try {
      return await request(controller.signal);
    } finally {
      timers.clearTimeout(timer);
      requests.delete(controller);
    }
  }

  function arm(name: TimerName | 'persist', ms: number, callback: () => void): void {
    disarm(name);
    pendingTimers.set(name, timers.setTimeout(() => {
      pendingTimers.delete(name);
      callback();
    }, ms));
  }

  function disarm(name: TimerName | 'persist'): void {
    if (pendingTimers.has(name)) timers.clearTimeout(pendingTimers.get(name));
    pendingTimers.delete(name);
  }

  function emit(event: ChatEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A faulty listener must not stop the effects that follow (a send, a frame).
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  function load(): Persisted | null {
    try {
      const raw = storage.getItem(storageKey);
      const data = raw ? (JSON.parse(raw) as Persisted) : null;
      return data && typeof data === 'object' && Array.isArray(data.messages) ? data : null;
    } catch {
      return null;
    }
  }

  /** Writes the conversation; when the storage refuses (quota), drops the oldest quarter
   * of the transcript until it fits: the session id and recent messages matter most. */
  function save(): void {
    disarm('persist');
    const data = persisted(model);
    let messages = data.messages ?? [];
    for (;;) {
      try {
        storage.setItem(storageKey, JSON.stringify({ ...data, messages }));
        return;
      } catch {
        if (messages.length === 0) return;
        messages = messages.slice(Math.max(1, Math.floor(messages.length / 4)));
      }
    }
  }

  function listenToNetwork(): void {
    if (typeof runtime.addEventListener !== 'function') return;
    runtime.addEventListener('online', onOnline);
    runtime.addEventListener('offline', onOffline);
    runtime.addEventListener('pagehide', save);
  }

  function sendText(text: string): Promise<void> {
    const id = createId();
    dispatch({ type: 'send', id, text, now: now() });
    return inflight.get(id) ?? Promise.resolve();
  }

  return {
    get state() {
      return model;
    },
    send: sendText,
    retry(messageId) {
      dispatch({ type: 'retry', id: messageId });
      return inflight.get(messageId) ?? Promise.resolve();
    },
    requestHuman() {
      return sendText(options.humanRequestText ?? DEFAULT_HUMAN_REQUEST);
    },
    endLiveChat() {
      dispatch({ type: 'end' });
    },
    setTyping(on) {
      dispatch({ type: 'typing', on });
    },
    reset() {
      dispatch({ type: 'reset' });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    start() {
      listenToNetwork();
      if (disposed) {
        disposed = false;
        // Forget a socket an answer asked for while disposed: the resume opens what is needed.
        dispatch({ type: 'suspend' });
      }
      dispatch({ type: 'resume' });
      return history;
    },
    dispose() {
      runtime.removeEventListener?.('online', onOnline);
      runtime.removeEventListener?.('offline', onOffline);
      runtime.removeEventListener?.('pagehide', save);
      dispatch({ type: 'suspend' });
      for (const name of [...pendingTimers.keys()]) disarm(name);
      save();
      disposed = true;
      for (const controller of requests) controller.abort(closed);
    },
  };
}

const closed = new Error('the chat was closed');
const timedOut = new Error('no answer within 30 s');

/** A message's identity from the moment it is typed. */
function newId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; an http:// intranet page may not be one.
  return `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
