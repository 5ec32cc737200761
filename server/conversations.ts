/**
 * The conversation rules, shared by REST and the live-chat hub: who answers a visitor
 * (bot or agent), escalation, takeover, end and the handoff timeout. Every change is
 * announced as an event; the hub turns events into frames.
 */
import { isLiveChat, type Agent } from '../src/core/protocol.ts';
import type { Bot } from './bot.ts';
import type { Clock } from './clock.ts';
import { isHumanRequest } from './escalation.ts';
import { clientKey, type Session, type SessionStore, type StoredMessage } from './sessions.ts';

export type EndedBy = 'user' | 'admin' | 'timeout';

export type ConversationEvent =
  | { type: 'message'; session: Session; message: StoredMessage }
  /** mode, status or agent changed */
  | { type: 'status'; session: Session }
  | { type: 'ended'; session: Session; by: EndedBy }
  /** Only what the console's list shows changed (page, new session). */
  | { type: 'changed'; session: Session }
  | { type: 'removed'; session: Session };

/** A refused action: the hub answers with `livechat:error`, REST with an HTTP error. */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Said {
  message: StoredMessage;
  /** True when the `clientMessageId` was already known: nothing was stored or sent. */
  duplicate: boolean;
  /** The bot's answer, when the bot answered. */
  reply?: StoredMessage;
}

export const ESCALATION_REPLY = 'I’m connecting you with a person from the helpdesk. Please stay on this page: an agent will join shortly.';
export const TIMEOUT_NOTICE = 'No agent was free to join, so the assistant is back. You can ask for a person again at any time.';

export class Conversations {
  readonly #listeners = new Set<(event: ConversationEvent) => void>();
  readonly #handoffTimers = new Map<string, unknown>();

  constructor(
    readonly store: SessionStore,
    private readonly bot: Bot,
    private readonly handoffTimeoutMs: number,
    private readonly clock: Clock,
  ) {}

  subscribe(listener: (event: ConversationEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: ConversationEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  start(chatbotId: string): Session {
    const session = this.store.create(chatbotId);
    this.#emit({ type: 'changed', session });
    return session;
  }

  /**
   * A visitor's message, from REST or the socket. In live chat it goes to the agent; in bot
   * mode the bot answers, or escalates when asked for a human. `pageBase` is where the
   * knowledge pages are served, for the sources' absolute URLs.
   */
  visitorSays(session: Session, content: string, pageBase: string, clientMessageId?: string): Said {
    const known = clientMessageId ? session.byClientId.get(clientKey('user', clientMessageId)) : undefined;
    if (known) return { message: known, duplicate: true };
    // The answer comes first: if it fails, nothing was stored or sent.
    const live = isLiveChat(session.mode, session.status);
    const escalate = !live && isHumanRequest(content);
    const answer = live || escalate ? undefined : this.bot.answer(content, pageBase);
    const message = this.#add(session, { sender: 'user', content: content.trim(), ...(clientMessageId && { clientMessageId }) });
    if (escalate) return { message, duplicate: false, reply: this.#escalate(session) };
    if (!answer) return { message, duplicate: false };
    const reply = this.#add(session, { sender: 'bot', content: answer.html, sources: answer.sources });
    return { message, duplicate: false, reply };
  }

  agentSays(session: Session, content: string, owner: object, clientMessageId?: string): Said {
    const known = clientMessageId ? session.byClientId.get(clientKey('admin', clientMessageId)) : undefined;
    if (known) return { message: known, duplicate: true };
    this.assertOwner(session, owner);
    const message = this.#add(session, {
      sender: 'admin',
      content: content.trim(),
      ...(clientMessageId && { clientMessageId }),
      ...(session.agent && { agent: session.agent }),
    });
    return { message, duplicate: false };
  }

  /** Only the connection that took the session over acts as its agent. */
  assertOwner(session: Session, owner: object): void {
    if (session.mode !== 'human' || session.status !== 'open') {
      throw new Refusal('takeover_required', 'Take the session over first.');
    }
    if (session.owner !== owner) throw new Refusal('already_taken', `${session.agent?.name ?? 'Another agent'} has this session.`);
  }

  /**
   * An agent takes the session, waiting or not (an agent may step into a bot conversation).
   * `owner` is the taking connection. An open session whose owner is still connected
   * (`ownerConnected`) is refused to any other connection; once its owner is gone, the
   * same agent (a reconnected console) or another one may take it.
   */
  takeOver(session: Session, agent: Agent, owner: object, ownerConnected: (owner: object) => boolean): void {
    if (session.status === 'open' && session.mode === 'human') {
      if (session.owner && session.owner !== owner && ownerConnected(session.owner)) {
        throw new Refusal('already_taken', `${session.agent?.name ?? 'Another agent'} already has this session.`);
      }
      session.owner = owner;
      if (session.agent?.name === agent.name) {
        // The same agent again (a reloaded console): nothing changes, the status is repeated.
        this.#emit({ type: 'status', session });
        return;
      }
    }
    this.#clearHandoff(session);
    session.mode = 'human';
    session.status = 'open';
    session.agent = { name: agent.name };
    session.owner = owner;
    delete session.waitingSince;
    this.store.touch(session);
    this.#emit({ type: 'status', session });
    this.#add(session, { sender: 'system', content: `${agent.name} joined the chat.` });
  }

  /** Ends live chat (waiting or open) and hands the session back to the bot. */
  end(session: Session, by: EndedBy): void {
    if (!isLiveChat(session.mode, session.status)) throw new Refusal('not_live', 'This session is not in live chat.');
    const agent = session.agent;
    this.#clearHandoff(session);
    session.mode = 'bot';
    session.status = 'closed';
    delete session.agent;
    delete session.owner;
    delete session.waitingSince;
    this.store.touch(session);
    const content =
      by === 'timeout' ? TIMEOUT_NOTICE : agent ? `The chat with ${agent.name} has ended. The assistant is back.` : 'The request for a person was cancelled. The assistant is back.';
    // The notice goes first: a client that leaves live chat on `ended` still has it.
    this.#add(session, { sender: 'system', content });
    this.#emit({ type: 'ended', session, by });
    this.#emit({ type: 'status', session });
  }

  setPage(session: Session, pageUrl: string, pageTitle?: string): void {
    session.pageUrl = pageUrl;
    if (pageTitle !== undefined) session.pageTitle = pageTitle;
    this.store.touch(session);
    this.#emit({ type: 'changed', session });
  }

  /** Drops idle sessions nobody is connected to. */
  sweep(idleMs: number, inUse: (session: Session) => boolean): void {
    for (const session of this.store.sweep(idleMs, inUse)) {
      this.#clearHandoff(session);
      this.#emit({ type: 'removed', session });
    }
  }

  close(): void {
    for (const timer of this.#handoffTimers.values()) this.clock.clearTimeout(timer);
    this.#handoffTimers.clear();
  }

  #escalate(session: Session): StoredMessage {
    session.mode = 'human';
    session.status = 'waiting';
    session.waitingSince = new Date(this.clock.now()).toISOString();
    const timer = this.clock.setTimeout(() => {
      this.#handoffTimers.delete(session.id);
      if (session.status === 'waiting' && session.mode === 'human') this.end(session, 'timeout');
    }, this.handoffTimeoutMs);
    this.#handoffTimers.set(session.id, timer);
    this.#emit({ type: 'status', session });
    return this.#add(session, { sender: 'bot', content: `<p>${ESCALATION_REPLY}</p>` });
  }

  #clearHandoff(session: Session): void {
    this.clock.clearTimeout(this.#handoffTimers.get(session.id));
    this.#handoffTimers.delete(session.id);
  }

  #add(session: Session, message: Omit<StoredMessage, 'id' | 'createdAt'>): StoredMessage {
    const stored = this.store.addMessage(session, message);
    this.#emit({ type: 'message', session, message: stored });
    return stored;
  }
}
