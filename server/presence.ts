/**
 * [ext] Presence: agents hear when a visitor's last socket for a session has been gone for
 * a while ("left"), and when one joins again ("back"). A live chat whose visitor stays away
 * is closed after `staleMs`, so it leaves the LIVE list and frees its agent. Counts are the
 * store's, over every instance; timers here are precise, and the sweep catches what an
 * instance that stopped never got to.
 */
import { isLiveChat } from '../src/core/protocol.ts';
import type { Clock } from './clock.ts';
import { Refusal, type Conversations } from './conversations.ts';

export interface PresenceOptions {
  /** A visitor away this long is announced as gone (a reload or a short network drop is not). */
  graceMs: number;
  /** A live chat whose visitor has been away this long is closed. */
  staleMs: number;
}

export const STALE_NOTICE = 'The visitor left, so the chat was closed. The assistant is back.';

export class Presence {
  readonly #timers = new Map<string, unknown>();

  constructor(
    private readonly conversations: Conversations,
    private readonly clock: Clock,
    private readonly options: PresenceOptions,
  ) {}

  /** A visitor socket joined the session (on this instance). */
  arrived(sessionId: string): Promise<void> {
    this.#clear(sessionId);
    return this.conversations.serial(sessionId, async () => {
      const { before, after, changed } = await this.conversations.change(sessionId, (session) => {
        if (session.state.visitorAwaySince === undefined && !session.state.visitorLeft) return undefined;
        const next = { ...session.state };
        delete next.visitorAwaySince;
        delete next.visitorLeft;
        return next;
      });
      if (changed && before.state.visitorLeft) this.#announce(after.id, after.chatbotId, 'back', this.clock.now());
    });
  }

  /** The session's last visitor socket, over every instance, has closed. */
  gone(sessionId: string): Promise<void> {
    return this.conversations.serial(sessionId, async () => {
      const now = this.clock.now();
      const { after } = await this.conversations.change(sessionId, (session) =>
        session.state.visitorAwaySince === undefined ? { ...session.state, visitorAwaySince: now } : undefined,
      );
      this.#arm(sessionId, after.state.visitorAwaySince ?? now, this.options.graceMs);
    });
  }

  /** The backstop, run by the sweep: live sessions whose visitor vanished without a close here. */
  async sweep(): Promise<void> {
    const store = this.conversations.store;
    for (const session of await store.live()) {
      const { visitor } = await store.sockets(session.id, { all: 0, visitor: 0 });
      if (visitor > 0) continue;
      if (session.state.visitorAwaySince === undefined) await this.gone(session.id);
      else await this.check(session.id);
    }
  }

  /** Announces the departure once the grace has passed; closes the chat once it is stale. */
  async check(sessionId: string): Promise<void> {
    const stale = await this.conversations.serial(sessionId, async () => {
      const store = this.conversations.store;
      const session = await store.get(sessionId);
      const since = session?.state.visitorAwaySince;
      if (!session || since === undefined) return false;
      if ((await store.sockets(sessionId, { all: 0, visitor: 0 })).visitor > 0) return false;
      const away = this.clock.now() - since;
      const live = isLiveChat(session.state.mode, session.state.status);
      if (!session.state.visitorLeft) {
        if (away < this.options.graceMs) return void this.#arm(sessionId, since, this.options.graceMs);
        const { changed } = await this.conversations.change(sessionId, (s) =>
          s.state.visitorLeft || s.state.visitorAwaySince !== since ? undefined : { ...s.state, visitorLeft: true },
        );
        if (changed) this.#announce(sessionId, session.chatbotId, 'left', since);
      }
      if (!live) return false;
      if (away < this.options.staleMs) return void this.#arm(sessionId, since, this.options.staleMs);
      return true;
    });
    // Outside the queue: ending takes its own turn in it.
    if (stale) {
      await this.conversations.end(sessionId, 'timeout', STALE_NOTICE).catch((error: unknown) => {
        if (!(error instanceof Refusal)) throw error;
      });
    }
  }

  close(): void {
    for (const timer of this.#timers.values()) this.clock.clearTimeout(timer);
    this.#timers.clear();
  }

  #announce(sessionId: string, chatbotId: string, visitor: 'left' | 'back', at: number): void {
    this.conversations.publish({ type: 'presence', sessionId, chatbotId, visitor, at: new Date(at).toISOString() });
    this.conversations.publish({ type: 'changed', sessionId, chatbotId });
  }

  #arm(sessionId: string, since: number, after: number): void {
    this.#clear(sessionId);
    const timer = this.clock.setTimeout(
      () => {
        this.#timers.delete(sessionId);
        void this.check(sessionId).catch((error: unknown) => {
          if (!(error instanceof Refusal)) console.error(error);
        });
      },
      Math.max(0, since + after - this.clock.now()),
    );
    this.#timers.set(sessionId, timer);
  }

  #clear(sessionId: string): void {
    this.clock.clearTimeout(this.#timers.get(sessionId));
    this.#timers.delete(sessionId);
  }
}
