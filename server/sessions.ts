/** The in-memory session store: conversations, their messages, idle expiry. */
import { randomUUID } from 'node:crypto';
import { isLiveChat, type Agent, type LiveStatus, type Mode, type Sender, type SessionSummary, type Source } from '../src/core/protocol.ts';
import { systemClock, type Clock } from './clock.ts';

/** A message as `GET /api/chat/history` and `livechat:message` carry it. */
// A type, not an interface: it must fit the schemas' open (indexed) object types.
export type StoredMessage = {
  id: string;
  sender: Sender;
  content: string;
  createdAt: string;
  sources?: Source[];
  clientMessageId?: string;
  agent?: Agent;
};

export interface Session {
  readonly id: string;
  readonly chatbotId: string;
  readonly createdAt: string;
  /** Last activity (epoch ms): idle expiry counts from here. */
  lastActivity: number;
  /** Order of last activity: unlike the clock, never equal for two sessions. */
  activityOrder: number;
  mode: Mode;
  /** Absent until the session first asks for a human. */
  status?: LiveStatus;
  agent?: Agent;
  /** The connection that took the session over: only it writes, types and ends as the agent. */
  owner?: object;
  waitingSince?: string;
  pageUrl?: string;
  pageTitle?: string;
  readonly messages: StoredMessage[];
  /** Visitor and agent messages by `clientKey(sender, clientMessageId)`, for de-duplication. */
  readonly byClientId: Map<string, StoredMessage>;
}

/** Each side picks its own ids: a visitor reusing the agent's id is not a resend. */
export function clientKey(sender: Sender, clientMessageId: string): string {
  return `${sender}:${clientMessageId}`;
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  #activityCount = 0;

  constructor(
    /** Older messages are dropped past this many, with their de-duplication keys. */
    private readonly maxMessages: number,
    private readonly clock: Clock = systemClock,
  ) {}

  create(chatbotId: string): Session {
    const now = this.clock.now();
    const session: Session = {
      id: randomUUID(),
      chatbotId,
      createdAt: new Date(now).toISOString(),
      lastActivity: now,
      activityOrder: ++this.#activityCount,
      mode: 'bot',
      messages: [],
      byClientId: new Map(),
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** A session of that chatbot: an id alone never reaches another chatbot's session. */
  get(id: string | undefined, chatbotId: string): Session | undefined {
    const session = id ? this.#sessions.get(id) : undefined;
    return session?.chatbotId === chatbotId ? session : undefined;
  }

  touch(session: Session): void {
    session.lastActivity = this.clock.now();
    session.activityOrder = ++this.#activityCount;
  }

  addMessage(session: Session, message: Omit<StoredMessage, 'id' | 'createdAt'>): StoredMessage {
    const stored: StoredMessage = { id: randomUUID(), createdAt: new Date(this.clock.now()).toISOString(), ...message };
    session.messages.push(stored);
    if (stored.clientMessageId) session.byClientId.set(clientKey(stored.sender, stored.clientMessageId), stored);
    while (session.messages.length > this.maxMessages) {
      const dropped = session.messages.shift()!;
      if (dropped.clientMessageId) session.byClientId.delete(clientKey(dropped.sender, dropped.clientMessageId));
    }
    this.touch(session);
    return stored;
  }

  /** Removes sessions idle for `idleMs` that nobody is connected to; returns them. */
  sweep(idleMs: number, inUse: (session: Session) => boolean): Session[] {
    const removed: Session[] = [];
    const cutoff = this.clock.now() - idleMs;
    for (const session of this.#sessions.values()) {
      if (session.lastActivity <= cutoff && !inUse(session)) {
        this.#sessions.delete(session.id);
        removed.push(session);
      }
    }
    return removed;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * The console's list: waiting first (longest wait first), then open, then the
   * `maxOthers` most recently active of the rest.
   */
  summaries(chatbotId: string | undefined, maxOthers: number): SessionSummary[] {
    const rank = (s: Session) => (!isLiveChat(s.mode, s.status) ? 2 : s.status === 'waiting' ? 0 : 1);
    const sorted = [...this.#sessions.values()]
      .filter((s) => !chatbotId || s.chatbotId === chatbotId)
      .sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? (a.waitingSince ?? '').localeCompare(b.waitingSince ?? '') : b.activityOrder - a.activityOrder));
    const live = sorted.filter((s) => rank(s) < 2).length;
    return sorted.slice(0, live + maxOthers).map(summarise);
  }
}

function summarise(session: Session): SessionSummary {
  const last = session.messages.at(-1);
  return {
    sessionId: session.id,
    chatbotId: session.chatbotId,
    mode: session.mode,
    status: session.status ?? null,
    createdAt: session.createdAt,
    updatedAt: new Date(session.lastActivity).toISOString(),
    waitingSince: session.waitingSince ?? null,
    // Only the bot's messages are HTML; people's words and system notices are text already.
    lastMessage: last ? (last.sender === 'bot' ? plainText(last.content) : last.content).slice(0, 140) : null,
    pageUrl: session.pageUrl ?? null,
    agent: session.agent ?? null,
  };
}

/** Bot replies are HTML the server built itself; a list row wants their text. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:#(\d+)|#x([0-9a-f]+)|(lt|gt|quot|apos|amp));/gi, (entity, dec?: string, hex?: string, name?: string) => {
      if (dec || hex) {
        const code = dec ? Number(dec) : parseInt(hex!, 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return NAMED_ENTITIES[name!.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
