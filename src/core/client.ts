/**
 * The public headless client: runs the conversation's effects (REST, socket, timers,
 * storage, events) and feeds their outcomes back into the pure `update`. It decides
 * nothing itself: where a message goes and when is the reducer's.
 *
 * Lifecycle: `createChatClient()` restores the stored session and transcript at once (so
 * a UI can render them before any network); `start()` loads the server's history and
 * reopens live chat or monitoring when the session needs it; `dispose()` closes sockets
 * and timers, aborts requests and flushes storage (the client can be started again).
 */
import { DEFAULT_HUMAN_REQUEST, endpointUrl } from './protocol.ts';
import { restore, update } from './conversation.ts';
import type { Config, Effect, Input, Model, TimerName } from './conversation.ts';
import { isQuotaError } from './persisted.ts';
import { readTranscript, transcriptRevision, transcriptWriter } from './saved-transcript.ts';
import { failure, getHistory, postChat } from './rest.ts';
import type { LiveChatSocket } from './livechat.ts';
import { livePart } from './live-loader.ts';
import { deepFreeze, publicState } from './state.ts';
import { loadUploadParts } from './upload-parts-loader.ts';
import { createSharedClient, type LocalClient } from './shared-client.ts';
import { memoryStorage } from './storage.ts';
import { conversationKey, visitorScope } from './visitor.ts';
import type { ChatClient, ChatClientOptions, ChatEvent, ChatListener, ChatState, StorageAdapter, Timers } from './types.ts';
import type { Visitor } from './protocol.ts';

/** The runtime's online/offline/pagehide events, where there are any (browsers, webviews). */
interface EventSource {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** A client that cannot work as configured (no chatbot id, a base URL that is not one):
 * thrown by `createChatClient`, so the mistake shows where it was made. */
export class ChatConfigurationError extends Error {
  readonly code = 'configuration';
  override readonly name = 'ChatConfigurationError';
}

const current = (value: string | (() => string | undefined) | undefined) => (typeof value === 'function' ? value() : value);

function checkOptions(options: ChatClientOptions): void {
  if (typeof options?.chatbotId !== 'string' || !options.chatbotId.trim()) {
    throw new ChatConfigurationError('webchat-agent: a chatbot id is required (the chatbot-id attribute, or the chatbotId option).');
  }
  let url: URL;
  try {
    url = endpointUrl(String(options.baseUrl), '/');
  } catch {
    throw new ChatConfigurationError(`webchat-agent: the base URL "${String(options.baseUrl)}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ChatConfigurationError(`webchat-agent: the base URL must be http(s), not "${url.protocol}".`);
  }
}

export function createChatClient(options: ChatClientOptions): ChatClient {
  checkOptions(options);
  // Each known visitor has a conversation of their own: its own storage and tab channel.
  const scope = visitorScope(options.visitor);
  if (scope) options = { ...options, storageKey: `${options.storageKey ?? options.chatbotId}:${scope}` };
  const coordinator = options.coordinator;
  if (!coordinator) return createLocalClient(options);
  // A tab shows the stored conversation at once, and most often leads at once too: the
  // leader's client then takes the same parsed transcript, unless the storage changed in
  // between (another tab wrote it), rather than reading and checking it all a second time.
  const storage = options.storage ?? memoryStorage();
  const key = storageKeyOf(options);
  let first: { revision: string; model: Model } | null = { revision: transcriptRevision(storage, key), model: restore(readTranscript(storage, key)) };
  const stored = () => publicState(first ? first.model : restore(readTranscript(storage, key)), null);
  const makeLocal = () => {
    const same = first && transcriptRevision(storage, key) === first.revision ? first.model : undefined;
    first = null;
    return createLocalClient(options, same);
  };
  return createSharedClient(options, coordinator, makeLocal, stored);
}

const storageKeyOf = (options: ChatClientOptions) => `webchat-agent:${options.storageKey ?? options.chatbotId}`;

/** Forgets what this device keeps of a visitor's conversation with a chatbot, with no client
 * (the element, told of another visitor before its conversation's code was here). */
export function forgetConversation(storage: StorageAdapter, chatbotId: string, visitor: Visitor | undefined): void {
  transcriptWriter(storage, conversationKey(chatbotId, visitor), () => false).forget();
}

/** The client that talks to the service itself: the only one of a tab on its own, the
 * leader's of tabs that share a conversation (shared-client.ts). */
export function createLocalClient(options: ChatClientOptions, restored?: Model): LocalClient {
  const { baseUrl, chatbotId } = options;
  const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: ChatClientOptions['WebSocket'] }).WebSocket;
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
    visitor: options.visitor,
    translate: options.translate,
    sockets: typeof WebSocketImpl === 'function',
    initialDelayMs: options.reconnect?.initialDelayMs ?? 1000,
    maxDelayMs: options.reconnect?.maxDelayMs ?? 30000,
    typingTimeoutMs: options.typingTimeoutMs ?? 4000,
    get live() {
      return livePart.loaded;
    },
  };
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const timers: Timers = options.timers ?? { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as never) };
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const createId = options.createId ?? newId;
  const storage = options.storage ?? memoryStorage();
  const storageKey = storageKeyOf(options);
  const persistDelayMs = options.persistDelayMs ?? 250;

  const transcript = transcriptWriter(storage, storageKey, isQuotaError);
  let model: Model = restored ?? restore(readTranscript(storage, storageKey));
  transcript.restored(model);
  let state: ChatState = publicState(model, null);
  const listeners = new Set<ChatListener>();
  const pendingTimers = new Map<TimerName | 'persist', unknown>();
  /** send()/retry() promises, settled once their message has left the REST queue. */
  const waiting = new Map<string, (() => void)[]>();
  const warned = new Set<string>();
  let socket: LiveChatSocket | null = null;
  // Between dispose() and start() nothing may outlive the page's use of the client: no
  // socket, timer or storage write, whatever answer still arrives.
  let disposed = false;
  const requests = new Set<AbortController>();
  /** [ext] The bytes of messages whose files are not all uploaded, and the uploads on the wire. */
  const files = new Map<string, Blob[]>();
  const uploads = new Map<string, AbortController>();
  let history: Promise<void> = Promise.resolve();
  /** Inputs waiting for the live part, in order: every input after the first that needed it
   * waits behind it, so none is applied before one that came earlier. */
  let held: Input[] | null = null;
  let partRetry: unknown;
  let partAttempt = 0;
  const runtime = globalThis as Partial<EventSource>;
  const onOnline = () => {
    if (held && livePart.loaded === undefined) loadLive();
    dispatch({ type: 'online' });
  };
  const onOffline = () => dispatch({ type: 'offline' });
  listenToNetwork();

  function dispatch(input: Input): void {
    if (held) held.push(input);
    else apply(input);
  }

  function apply(input: Input): void {
    const result = update(model, input, config);
    if (result.effects[0]?.type === 'load') {
      held = [input];
      return loadLive();
    }
    model = result.model;
    // Events go out once the new snapshot is made: a listener reads it in `state`, and what
    // it is handed is as frozen as the snapshot.
    const events: ChatEvent[] = [];
    for (const effect of result.effects) {
      if (effect.type === 'emit') events.push(deepFreeze(effect.event));
      else run(effect);
    }
    const next = publicState(model, state);
    const changed = next !== state;
    state = next;
    for (const event of events) emit(event);
    if (changed) emit({ type: 'state', state });
    settleWaiting();
  }

  function run(effect: Effect): void {
    if (disposed && ['open', 'timer', 'persist', 'history'].includes(effect.type)) return;
    switch (effect.type) {
      case 'rest': {
        const { id, body, sessionId } = effect;
        void call((signal) => postChat(fetchFn, baseUrl, body, sessionId, signal)).then((result) =>
          dispatch(result.ok ? { type: 'restOk', id, sessionId: result.sessionId, body: result.body, now: now() } : { type: 'restFail', id, error: result.error }),
        );
        return;
      }
      case 'history': {
        const { sessionId, seq } = effect;
        history = call((signal) => getHistory(fetchFn, baseUrl, chatbotId, sessionId, signal)).then((result) => {
          // Cut off by dispose(): start() asks again.
          if (!disposed) dispatch(result.ok ? { type: 'history', seq, sessionId, body: result.body } : { type: 'historyFail', seq, sessionId, error: result.error, jitter: random() });
        });
        return;
      }
      case 'open': {
        const { gen } = effect;
        socket?.close();
        // Only the live part asks for a socket: it is loaded.
        socket = config.live!.openLiveChat(WebSocketImpl, baseUrl, {
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
        arm(effect.name, effect.ms, () => dispatch({ type: 'timer', name: effect.name, now: now(), jitter: random() }));
        return;
      case 'cancel':
        disarm(effect.name);
        return;
      case 'persist':
        // Debounced: a burst of changes is written once.
        if (!pendingTimers.has('persist')) arm('persist', persistDelayMs, save);
        return;
      case 'forget':
        disarm('persist');
        transcript.forget();
        return;
      case 'emit':
        // Held by dispatch() until the snapshot exists; never run here.
        return;
      case 'warn':
        if (!warned.has(effect.message)) console.warn(effect.message);
        warned.add(effect.message);
        return;
      case 'upload':
        return upload(effect.id, effect.index, effect.sessionId);
      case 'abortUpload':
        uploads.get(effect.id)?.abort();
        uploads.delete(effect.id);
        return;
      case 'load':
        // Handled by dispatch(), before any effect runs.
        return;
    }
  }

  /** Loads the live part, then gives the held inputs again. A failed load is said once per
   * outage (a typed error, `serverCode: 'part_unavailable'`) and tried again with backoff,
   * and at once when the network comes back. */
  function loadLive(): void {
    timers.clearTimeout(partRetry);
    livePart.load().then(
      () => {
        partAttempt = 0;
        const inputs = held ?? [];
        held = null;
        apply({ type: 'part', error: null });
        for (const input of inputs) dispatch(input);
      },
      (error: Error) => {
        // Said, beside whatever waits: the visitor sees why nothing moves.
        if (partAttempt++ === 0) apply({ type: 'part', error: { code: 'network', serverCode: 'part_unavailable', message: error.message } });
        partRetry = timers.setTimeout(loadLive, Math.min(30_000, 1000 * 2 ** partAttempt));
      },
    );
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

  /** [ext] One file of a message to the server; the bytes are held here, never in the model. */
  function upload(id: string, index: number, sessionId: string): void {
    const file = files.get(id)?.[index];
    const name = model.messages.find((x) => x.id === id)?.upload?.files[index]?.name ?? 'file';
    if (!file) {
      // After a reload the bytes are gone: only the visitor can give them again.
      return dispatch({ type: 'uploadFail', id, error: { code: 'file_rejected', serverCode: 'file_unavailable', message: 'This file is no longer available: attach it again.' } });
    }
    const controller = new AbortController();
    uploads.set(id, controller);
    const sent = loadUploadParts().then(
      ({ uploadFile }) => uploadFile({ baseUrl, chatbotId, sessionId, file, name, signal: controller.signal, fetch: options.fetch, progress: (fraction) => dispatch({ type: 'uploadProgress', id, fraction }) }),
      (cause: Error) => failure('network', `The file could not be sent (${cause?.message ?? cause}).`),
    );
    void sent.then((result) => {
      if (uploads.get(id) !== controller) return;
      uploads.delete(id);
      if (result.ok && index === (files.get(id)?.length ?? 0) - 1) files.delete(id);
      dispatch(result.ok ? { type: 'uploadOk', id, file: result.file } : { type: 'uploadFail', id, error: result.error });
    });
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
        // A faulty listener must not stop the effects that follow (a send, a frame), nor the others.
        report(error);
      }
    }
  }

  function waitFor(id: string): Promise<void> {
    return new Promise((resolve) => {
      waiting.set(id, [...(waiting.get(id) ?? []), resolve]);
      settleWaiting();
    });
  }

  function settleWaiting(): void {
    for (const [id, resolvers] of waiting) {
      if (model.restInFlight?.id === id || model.restQueue.includes(id) || isHeld(id)) continue;
      waiting.delete(id);
      for (const resolve of resolvers) resolve();
    }
  }

  /** A send or retry of this message waits for the live part. */
  function isHeld(id: string): boolean {
    return !!held?.some((input) => (input.type === 'send' || input.type === 'retry') && input.id === id);
  }

  /** Writes what changed (saved-transcript.ts). Only a full storage (quota) sheds weight:
   * the oldest messages go until it fits, the session id and recent messages matter most.
   * Any other refusal leaves the stored copy as it was. */
  function save(): void {
    disarm('persist');
    transcript.save(model);
  }

  function listenToNetwork(): void {
    if (typeof runtime.addEventListener !== 'function') return;
    runtime.addEventListener('online', onOnline);
    runtime.addEventListener('offline', onOffline);
    runtime.addEventListener('pagehide', save);
  }

  /** Never throws nor rejects, whatever it is given or whoever listens. */
  function sendText(text: unknown, id = createId()): Promise<void> {
    try {
      dispatch({ type: 'send', id, text: text as string, now: now() });
      return waitFor(id);
    } catch (error) {
      report(error);
      return Promise.resolve();
    }
  }

  return {
    get state() {
      return state;
    },
    send: (text) => sendText(text),
    sendAs: (id, text) => sendText(text, id),
    has: (id) => model.messages.some((message) => message.id === id) || isHeld(id),
    settled: (id) => waitFor(id),
    flush: save,
    retry(messageId) {
      dispatch({ type: 'retry', id: messageId });
      return waitFor(messageId);
    },
    async sendFile(file, options = {}) {
      try {
        const given = Array.isArray(file) ? file : [file as Blob | string];
        const { fileOf } = await loadUploadParts();
        const opened = await Promise.all(given.map((one, i) => fileOf(one, given.length === 1 ? options.name : undefined, i)));
        const id = createId();
        files.set(id, opened.map((f) => f.blob));
        dispatch({ type: 'sendFile', id, files: opened.map(({ name, type, size }) => ({ name, type, size })), caption: options.caption ?? '', now: now() });
        if (!model.messages.some((x) => x.id === id)) files.delete(id);
      } catch (error) {
        emit({ type: 'error', error: { code: 'file_rejected', serverCode: 'file_unavailable', message: `The file could not be read (${(error as Error)?.message ?? error}).` } });
      }
    },
    cancelUpload(messageId) {
      dispatch({ type: 'cancelUpload', id: messageId });
      files.delete(messageId);
    },
    requestHuman() {
      return sendText(options.humanRequestText ?? DEFAULT_HUMAN_REQUEST);
    },
    endLiveChat() {
      dispatch({ type: 'end' });
    },
    setTyping(on) {
      dispatch({ type: 'typing', on: !!on });
    },
    setReading(on) {
      dispatch({ type: 'reading', on: !!on });
    },
    markRead() {
      dispatch({ type: 'markRead' });
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
      timers.clearTimeout(partRetry);
      save();
      disposed = true;
      for (const controller of requests) controller.abort(closed);
      for (const controller of uploads.values()) controller.abort(closed);
    },
  };
}

/** An error no caller can take (a listener's bug): the console gets it; it is never thrown
 * into the client's own work, nor at the page. */
function report(error: unknown): void {
  console.error(error);
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
