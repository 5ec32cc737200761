/**
 * The conversation rules, shared by REST and the live-chat hub: who answers a visitor
 * (bot or agent), escalation, takeover, end and the handoff timeout. State lives in the
 * store; every change is written with compare-and-set (so two instances deciding at once
 * cannot both win) and announced as an event that reaches every instance's hub.
 */
import { randomUUID } from 'node:crypto';
import { isLiveChat, type Agent, type FileRef } from '../src/core/protocol.ts';
import type { Bot } from './bot.ts';
import type { Clock } from './clock.ts';
import { isHumanRequest } from './escalation.ts';
import { clientKey, type SessionRecord, type SessionState, type StoredMessage, type VisitorIdentity } from './store/records.ts';
import type { EndedBy, HubEvent, Store } from './store/store.ts';
import { plainText } from './summaries.ts';

export type { EndedBy };

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
  /** The session after the message. */
  session: SessionRecord;
}

export interface ConversationOptions {
  store: Store;
  bot: Bot;
  clock: Clock;
  /** How long a session waits for an agent before the bot resumes. */
  handoffTimeoutMs: number;
  /** Older messages are dropped past this many, with their de-duplication keys. */
  maxMessages: number;
}

export const ESCALATION_REPLY = 'I’m connecting you with a person from the helpdesk. Please stay on this page: an agent will join shortly.';
export const TIMEOUT_NOTICE = 'No agent was free to join, so the assistant is back. You can ask for a person again at any time.';

/** Compare-and-set retries before giving up: only a storm of writers to one session gets there. */
const MAX_ATTEMPTS = 50;

export class Conversations {
  readonly #handoffTimers = new Map<string, unknown>();
  /** The tail of each session's queue: one instance applies one change to a session at a time. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(private readonly options: ConversationOptions) {}

  get store(): Store {
    return this.options.store;
  }

  /** Re-arms the handoff timers of the waiting sessions the store holds (after a restart). */
  async resume(): Promise<void> {
    for (const session of await this.store.live()) this.#armHandoff(session);
  }

  async start(chatbotId: string): Promise<SessionRecord> {
    const now = this.options.clock.now();
    const record: SessionRecord = {
      id: randomUUID(),
      chatbotId,
      createdAt: new Date(now).toISOString(),
      lastActivity: now,
      activityOrder: 0,
      lastSeq: 0,
      version: 0,
      state: { mode: 'bot' },
    };
    await this.store.create(record);
    this.#publish({ type: 'changed', sessionId: record.id, chatbotId });
    return record;
  }

  /** A session of that chatbot: an id alone never reaches another chatbot's session. */
  async get(id: string | undefined, chatbotId: string): Promise<SessionRecord | undefined> {
    if (!id) return undefined;
    const session = await this.store.get(id);
    return session?.chatbotId === chatbotId ? session : undefined;
  }

  async messages(id: string): Promise<StoredMessage[]> {
    return (await this.store.messages(id)).map((entry) => entry.message);
  }

  /** Runs `task` after every earlier task of the same session on this instance. */
  serial<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(sessionId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => {});
    this.#queues.set(sessionId, tail);
    void tail.then(() => {
      if (this.#queues.get(sessionId) === tail) this.#queues.delete(sessionId);
    });
    return run;
  }

  /**
   * Changes a session's state with compare-and-set: `change` sees the stored state and
   * returns the next one, or undefined for no change; it may throw a Refusal. When another
   * writer got there first, it runs again on what that writer stored.
   */
  async change(id: string, change: (session: SessionRecord) => SessionState | undefined | Promise<SessionState | undefined>): Promise<{ before: SessionRecord; after: SessionRecord; changed: boolean }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await this.store.get(id);
      if (!before) throw new Refusal('unknown_session', 'The session has expired.');
      const next = await change(structuredClone(before));
      if (!next) return { before, after: before, changed: false };
      if (await this.store.putState(id, before.version, next)) {
        return { before, after: { ...before, state: next, version: before.version + 1 }, changed: true };
      }
    }
    throw new Error(`session ${id}: too many concurrent changes`);
  }

  /**
   * A visitor's message, from REST or the socket. In live chat it goes to the agent; in bot
   * mode the bot answers, or escalates when asked for a human. `pageBase` is where the
   * knowledge pages are served, for the sources' absolute URLs.
   */
  visitorSays(session: SessionRecord, content: string, pageBase: string, clientMessageId?: string, attachments?: FileRef[]): Promise<Said> {
    return this.serial(session.id, async () => {
      const key = clientMessageId ? clientKey('user', clientMessageId) : undefined;
      const known = key ? await this.store.findByClientKey(session.id, key) : undefined;
      if (known) return { message: known, duplicate: true, session };
      const current = (await this.store.get(session.id)) ?? session;
      const live = isLiveChat(current.state.mode, current.state.status);
      // [ext] The bot reads no files: they go to a person.
      if (attachments?.length && !live) throw new Refusal('not_live', 'Files can be sent in a live chat only.');
      const escalate = !live && isHumanRequest(content);
      // The answer comes first: if it fails, nothing was stored or sent.
      const answer = live || escalate ? undefined : this.options.bot.answer(content, pageBase);
      const said = await this.#add(current, { sender: 'user', content: content.trim(), ...(clientMessageId && { clientMessageId }), ...(attachments?.length && { attachments }) }, key);
      if (said.duplicate) return { message: said.message, duplicate: true, session: current };
      if (escalate) {
        const { after, changed } = await this.change(session.id, (s) =>
          isLiveChat(s.state.mode, s.state.status) ? undefined : { ...s.state, mode: 'human', status: 'waiting', waitingSince: new Date(this.options.clock.now()).toISOString() },
        );
        if (!changed) return { message: said.message, duplicate: false, session: after };
        this.#publishStatus(after);
        this.#armHandoff(after);
        const reply = await this.#add(after, { sender: 'bot', content: `<p>${ESCALATION_REPLY}</p>` });
        return { message: said.message, duplicate: false, reply: reply.message, session: after };
      }
      if (!answer) return { message: said.message, duplicate: false, session: current };
      // An agent may have taken the session while the bot thought: then the bot stays quiet.
      const now = (await this.store.get(session.id)) ?? current;
      if (isLiveChat(now.state.mode, now.state.status)) return { message: said.message, duplicate: false, session: now };
      const reply = await this.#add(now, { sender: 'bot', content: answer.html, sources: answer.sources });
      return { message: said.message, duplicate: false, reply: reply.message, session: now };
    });
  }

  /** `owner` is the agent socket's key (`instanceId/socketId`). */
  agentSays(session: SessionRecord, content: string, owner: string, clientMessageId?: string, attachments?: FileRef[], originalContent?: string): Promise<Said> {
    return this.serial(session.id, async () => {
      const key = clientMessageId ? clientKey('admin', clientMessageId) : undefined;
      const known = key ? await this.store.findByClientKey(session.id, key) : undefined;
      if (known) return { message: known, duplicate: true, session };
      const current = await this.#fresh(session.id);
      assertOwner(current, owner);
      const said = await this.#add(
        current,
        { sender: 'admin', content: content.trim(), ...(clientMessageId && { clientMessageId }), ...(current.state.agent && { agent: current.state.agent }), ...(attachments?.length && { attachments }), ...(originalContent && { originalContent }) },
        key,
      );
      return { message: said.message, duplicate: said.duplicate, session: current };
    });
  }

  /** Refuses unless `owner` is the socket that took the session over. */
  async assertOwner(sessionId: string, owner: string): Promise<SessionRecord> {
    const session = await this.#fresh(sessionId);
    assertOwner(session, owner);
    return session;
  }

  /**
   * An agent takes the session, waiting or not (an agent may step into a bot conversation).
   * An open session whose owner is still connected (`ownerConnected`, which may ask the
   * other instances) is refused to anyone else; once its owner is gone, the same agent (a
   * reconnected console) or another one may take it. Exclusive across instances: the
   * state is written with compare-and-set, so of two agents racing exactly one wins.
   */
  takeOver(sessionId: string, agent: Agent, owner: string, ownerConnected: (owner: string) => Promise<boolean>): Promise<void> {
    return this.serial(sessionId, async () => {
      let announce = true;
      const { after, changed } = await this.change(sessionId, async (session) => {
        const { state } = session;
        announce = true;
        if (state.status === 'open' && state.mode === 'human') {
          if (state.owner && state.owner !== owner && (await ownerConnected(state.owner))) {
            throw new Refusal('already_taken', `${state.agent?.name ?? 'Another agent'} already has this session.`);
          }
          // The same agent again (a reloaded console): nothing is announced.
          if (state.agent?.name === agent.name) announce = false;
        }
        const next: SessionState = { ...state, mode: 'human', status: 'open', agent: { name: agent.name }, owner };
        delete next.waitingSince;
        return next;
      });
      if (!changed) return;
      this.#clearHandoff(sessionId);
      await this.store.touch(sessionId, this.options.clock.now());
      this.#publishStatus(after);
      if (announce) await this.#add(after, { sender: 'system', content: `${agent.name} joined the chat.` });
    });
  }

  /** The agent socket `owner` is gone: another agent may take the session without waiting. */
  release(sessionId: string, owner: string): Promise<void> {
    return this.serial(sessionId, async () => {
      await this.change(sessionId, (session) => {
        if (session.state.owner !== owner) return undefined;
        const next = { ...session.state };
        delete next.owner;
        return next;
      }).catch((error: unknown) => {
        if (!(error instanceof Refusal)) throw error;
      });
    });
  }

  /** Ends live chat (waiting or open) and hands the session back to the bot. */
  end(sessionId: string, by: EndedBy, notice?: string): Promise<void> {
    return this.serial(sessionId, async () => {
      const { before, after } = await this.change(sessionId, (session) => {
        if (!isLiveChat(session.state.mode, session.state.status)) throw new Refusal('not_live', 'This session is not in live chat.');
        const next: SessionState = { ...session.state, mode: 'bot', status: 'closed' };
        delete next.agent;
        delete next.owner;
        delete next.waitingSince;
        return next;
      });
      this.#clearHandoff(sessionId);
      const agent = before.state.agent;
      const content =
        notice ??
        (by === 'timeout' ? TIMEOUT_NOTICE : agent ? `The chat with ${agent.name} has ended. The assistant is back.` : 'The request for a person was cancelled. The assistant is back.');
      // The notice goes first: a client that leaves live chat on `ended` still has it.
      await this.#add(after, { sender: 'system', content });
      this.#publish({ type: 'ended', sessionId, chatbotId: after.chatbotId, by });
      this.#publishStatus(after);
    });
  }

  /** The page the visitor is on and, when the host says, who the visitor is. */
  setMeta(sessionId: string, meta: { pageUrl?: string; pageTitle?: string; visitor?: VisitorIdentity }): Promise<void> {
    return this.serial(sessionId, async () => {
      const { after, changed } = await this.change(sessionId, (session) => {
        const next = { ...session.state };
        if (meta.pageUrl !== undefined) next.pageUrl = meta.pageUrl;
        if (meta.pageTitle !== undefined) next.pageTitle = meta.pageTitle;
        if (meta.visitor !== undefined) next.visitor = meta.visitor;
        return JSON.stringify(next) === JSON.stringify(session.state) ? undefined : next;
      });
      await this.store.touch(sessionId, this.options.clock.now());
      if (changed) this.#publish({ type: 'changed', sessionId, chatbotId: after.chatbotId });
    });
  }

  /** Drops idle sessions nobody is connected to, on any instance. */
  async sweep(idleMs: number): Promise<void> {
    const now = this.options.clock.now();
    for (const id of await this.store.idle(now - idleMs)) {
      const sockets = await this.store.sockets(id, { all: 0, visitor: 0 });
      if (sockets.all > 0) {
        await this.store.retain(id);
        continue;
      }
      const session = await this.store.get(id);
      if (session && session.lastActivity > now - idleMs) continue;
      if (await this.store.remove(id)) {
        this.#clearHandoff(id);
        this.#publish({ type: 'removed', sessionId: id, chatbotId: session?.chatbotId ?? '' });
      }
    }
    // A waiting session whose instance stopped before its deadline: whoever sweeps ends it.
    for (const session of await this.store.live()) {
      if (session.state.status === 'waiting' && !this.#handoffTimers.has(session.id)) this.#armHandoff(session);
    }
  }

  close(): void {
    for (const timer of this.#handoffTimers.values()) this.options.clock.clearTimeout(timer);
    this.#handoffTimers.clear();
  }

  publish(event: HubEvent): void {
    this.#publish(event);
  }

  #publish(event: HubEvent): void {
    this.store.publish(event);
  }

  #publishStatus(session: SessionRecord): void {
    const { state } = session;
    this.#publish({ type: 'status', sessionId: session.id, chatbotId: session.chatbotId, mode: state.mode, ...(state.status && { status: state.status }), agent: state.agent ?? null });
  }

  /** The timer that hands a waiting session back to the bot; fires at once when overdue. */
  #armHandoff(session: SessionRecord): void {
    const { state } = session;
    if (state.status !== 'waiting' || state.mode !== 'human' || !state.waitingSince) return;
    this.#clearHandoff(session.id);
    const waitingSince = state.waitingSince;
    const due = Date.parse(waitingSince) + this.options.handoffTimeoutMs - this.options.clock.now();
    const timer = this.options.clock.setTimeout(() => {
      this.#handoffTimers.delete(session.id);
      void this.#timeout(session.id, waitingSince).catch((error: unknown) => {
        if (!(error instanceof Refusal)) console.error(error);
      });
    }, Math.max(0, due));
    this.#handoffTimers.set(session.id, timer);
  }

  /** Ends the wait that began at `waitingSince`, unless an agent (or another instance) got there first. */
  async #timeout(sessionId: string, waitingSince: string): Promise<void> {
    const session = await this.store.get(sessionId);
    if (session?.state.status !== 'waiting' || session.state.waitingSince !== waitingSince) return;
    await this.end(sessionId, 'timeout').catch((error: unknown) => {
      // Another instance ended it a moment before: nothing left to do.
      if (!(error instanceof Refusal && error.code === 'not_live')) throw error;
    });
  }

  #clearHandoff(sessionId: string): void {
    this.options.clock.clearTimeout(this.#handoffTimers.get(sessionId));
    this.#handoffTimers.delete(sessionId);
  }

  async #fresh(sessionId: string): Promise<SessionRecord> {
    const session = await this.store.get(sessionId);
    if (!session) throw new Refusal('unknown_session', 'The session has expired.');
    return session;
  }

  async #add(session: SessionRecord, message: Omit<StoredMessage, 'id' | 'createdAt'>, key?: string): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const now = this.options.clock.now();
    const stored: StoredMessage = { id: randomUUID(), createdAt: new Date(now).toISOString(), ...message };
    // Only the bot's messages are HTML; people's words and system notices are text already.
    const text = stored.sender === 'bot' ? plainText(stored.content) : stored.content;
    const files = stored.attachments?.map((file) => `📎 ${file.name}`).join(' ') ?? '';
    const summary = (text || files).slice(0, 140);
    const appended = await this.store.append(session.id, stored, key, this.options.maxMessages, now, summary);
    if (!appended.duplicate) this.#publish({ type: 'message', sessionId: session.id, chatbotId: session.chatbotId, seq: appended.seq, message: appended.message });
    return appended;
  }
}

function assertOwner(session: SessionRecord, owner: string): void {
  const { state } = session;
  if (state.mode !== 'human' || state.status !== 'open') throw new Refusal('takeover_required', 'Take the session over first.');
  if (state.owner !== owner) throw new Refusal('already_taken', `${state.agent?.name ?? 'Another agent'} has this session.`);
}
