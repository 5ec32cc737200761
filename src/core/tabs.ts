/**
 * How the tabs of one origin agree on who talks to the service: one leader, elected with
 * the Web Locks API, and a BroadcastChannel between them. The conversation's logic is in
 * shared-client.ts; this is only the runtime's part, so a webview or a test can bring its
 * own. Types are structural: the core is checked without the DOM's.
 */

/** What a tab does when it is made the leader, and when it must stop being one. */
export interface LeaderRole {
  lead(): void;
  /** The tab is about to be frozen: it can't serve the others while it sleeps. */
  stepDown(): void;
}

export interface TabChannel {
  post(message: unknown): void;
  /** Messages from the other tabs (never this one's own). */
  listen(listener: (message: unknown) => void): void;
  close(): void;
}

export interface TabCoordinator {
  /** Asks to lead under `name`; `role.lead()` runs once this tab is the one. The returned
   * function gives the leadership up, or the place in the queue. */
  lead(name: string, role: LeaderRole): () => void;
  channel(name: string): TabChannel;
}

interface LockManager {
  request(name: string, options: { signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}
interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
/** Where the APIs come from: the global scope, or a stand-in (a tab of its own in a test). */
export interface Runtime {
  navigator?: { locks?: LockManager };
  BroadcastChannel?: new (name: string) => BroadcastChannelLike;
  document?: { addEventListener(type: string, listener: () => void): void; removeEventListener(type: string, listener: () => void): void };
}

/** The browser's coordinator, or null where Web Locks or BroadcastChannel is missing (each
 * tab then keeps its own conversation, as with `persist="session"`). */
export function browserTabs(runtime: Runtime = globalThis as unknown as Runtime): TabCoordinator | null {
  const locks = runtime.navigator?.locks;
  const Channel = runtime.BroadcastChannel;
  if (!locks || typeof locks.request !== 'function' || typeof Channel !== 'function') return null;
  return {
    lead(name, role) {
      let queued: AbortController | null = null;
      let release: (() => void) | null = null;
      const request = () => {
        if (queued || release) return;
        const controller = (queued = new AbortController());
        locks
          .request(name, { signal: controller.signal }, () => new Promise<void>((resolve) => {
            queued = null;
            release = resolve;
            role.lead();
          }))
          // Aborted while queued: the tab went away or froze first.
          .catch(() => undefined);
      };
      const giveUp = () => {
        queued?.abort();
        queued = null;
        const held = release;
        release = null;
        held?.();
        return held !== null;
      };
      // A frozen tab would hold the lock and answer no one: hand over, ask again on resume.
      const onFreeze = () => {
        if (release) role.stepDown();
        giveUp();
      };
      runtime.document?.addEventListener('freeze', onFreeze);
      runtime.document?.addEventListener('resume', request);
      request();
      return () => {
        runtime.document?.removeEventListener('freeze', onFreeze);
        runtime.document?.removeEventListener('resume', request);
        giveUp();
      };
    },
    channel(name) {
      const channel = new Channel(name);
      return {
        post: (message) => channel.postMessage(message),
        listen(listener) {
          channel.onmessage = (event) => listener(event.data);
        },
        close: () => channel.close(),
      };
    },
  };
}
