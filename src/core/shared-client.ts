/**
 * One conversation for every tab of an origin that shares its storage. The tabs elect a
 * leader (tabs.ts); only the leader runs a real client, so there is one socket, one REST
 * queue (a first message from two tabs starts one session) and one writer of the storage
 * (no tab overwrites another's newer transcript). The others are followers: they show the
 * leader's state, patched over the channel as it changes, and hand it their commands.
 *
 * Nothing a follower asks for is lost when the leader goes: a command stays with the
 * follower until the leader has applied it and written the storage (its `ack`), and is
 * handed again to the next leader, which takes over from the storage. A resent command
 * that was applied after all is known by its id and not applied twice. A send's promise
 * waits for a leader to say the message left the queue; one that went before it could is
 * asked about by the next.
 */
import { diff, apply, eventsOf, readTabMessage, type Command, type CommandOp, type TabMessage, type Update } from './tab-messages.ts';
import type { LeaderRole, TabCoordinator } from './tabs.ts';
import type { ChatClient, ChatClientOptions, ChatEvent, ChatListener, ChatMessage, ChatState } from './types.ts';
import { DEFAULT_HUMAN_REQUEST } from './protocol.ts';
import { deepFreeze } from './state.ts';

/** The real client, with what the leader needs to serve the other tabs. */
export interface LocalClient extends ChatClient {
  /** Sends under an id given by another tab. */
  sendAs(id: string, text: unknown): Promise<void>;
  /** Whether a message of that id is in the transcript. */
  has(id: string): boolean;
  /** Resolves once the message has left the REST queue (at once if not in it). */
  settled(id: string): Promise<void>;
  /** Writes the storage now. */
  flush(): void;
}

export function createSharedClient(
  options: ChatClientOptions,
  coordinator: TabCoordinator,
  makeLocal: () => LocalClient,
  stored: () => ChatState,
): ChatClient {
  const name = `webchat-agent:${options.storageKey ?? options.chatbotId}`;
  const createId = options.createId ?? (() => `t-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`);
  const tab = createId();
  const listeners = new Set<ChatListener>();
  /** This tab's commands the leader has not confirmed yet, in the order they were given. */
  const pending = new Map<string, Command>();
  /** Sends and retries a leader confirmed but has not said are settled: a leader that went
   * before it could say so leaves them to the next one. */
  const unsettled = new Set<string>();
  /** send()/retry() promises, by message id: settled when the leader says so. */
  const waiting = new Map<string, (() => void)[]>();

  let state: ChatState = stored();
  let channel: ReturnType<TabCoordinator['channel']> | null = null;
  let resign: (() => void) | null = null;
  let started = false;
  let reading = true;

  // Follower: the leader's revision last applied (-1: none yet, waiting for its snapshot).
  let revision = -1;

  // Leader: the real client, what each follower said about reading (the followers it knows
  // of), the last broadcast.
  let local: LocalClient | null = null;
  let unsubscribe: (() => void) | null = null;
  const readingTabs = new Map<string, boolean>();
  let broadcast: readonly ChatMessage[] = [];
  let outgoing: ChatEvent[] = [];
  let flushQueued = false;
  let leaderRevision = 0;
  const applied = new Set<string>();

  const role: LeaderRole = { lead: becomeLeader, stepDown: becomeFollower };

  function join(): void {
    if (channel) return;
    channel = coordinator.channel(name);
    channel.listen(receive);
    resign = coordinator.lead(name, role);
    say({ kind: 'hello', tab, reading });
  }

  function leave(): void {
    if (!channel) return;
    if (local) stopLeading();
    say({ kind: 'bye', tab });
    resign?.();
    resign = null;
    channel.close();
    channel = null;
    revision = -1;
  }

  function say(message: TabMessage): void {
    try {
      channel?.post(message);
    } catch (error) {
      // A message that can't be cloned is a bug here, not the page's: it must not stop the chat.
      console.error(error);
    }
  }

  function emit(event: ChatEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error(error);
      }
    }
  }

  // ---- the leader ----

  function becomeLeader(): void {
    if (local || !channel) return;
    local = makeLocal();
    unsubscribe = local.subscribe(relay);
    broadcast = [];
    readingTabs.clear();
    applied.clear();
    if (started) void local.start();
    local.setReading(reading);
    // What this tab asked for while it followed is done here now.
    for (const command of [...pending.values()]) {
      const done = perform(command);
      if (command.id) void Promise.resolve(done).then(() => settle(command.id!));
    }
    pending.clear();
    for (const id of unsettled) void local.settled(id).then(() => settle(id));
    setState(local.state);
    say({ kind: 'leader', tab });
  }

  function becomeFollower(): void {
    if (!local) return;
    stopLeading();
    say({ kind: 'hello', tab, reading });
  }

  function stopLeading(): void {
    unsubscribe?.();
    unsubscribe = null;
    // Writes the storage: the next leader starts from it.
    local?.dispose();
    local = null;
    revision = -1;
  }

  /** The real client's events: this tab's listeners at once, the others in one message per turn. */
  function relay(event: ChatEvent): void {
    if (event.type === 'state') setState(event.state, false);
    else emit(event);
    if (event.type !== 'state') outgoing.push(event);
    if (!flushQueued) {
      flushQueued = true;
      queueMicrotask(publish);
    }
    if (event.type === 'state') emit(event);
  }

  function publish(): void {
    flushQueued = false;
    if (!local) return;
    const current = local.state;
    // Only when another tab has said hello: one that joins asks, and gets the whole state.
    // Cloning every change onto a channel nobody heard was a sixth of a live burst's time.
    // Counted when unsaid too: a follower forgotten (a `bye` it did not send) sees the gap at
    // the next update and asks for the whole state, rather than patch a base it never had.
    leaderRevision++;
    if (readingTabs.size) {
      const { head, keep, tail } = diff(broadcast, current);
      say({ kind: 'update', rev: leaderRevision, keep, tail: tail as Update['tail'], head, events: outgoing as Update['events'] });
    }
    broadcast = current.messages;
    outgoing = [];
  }

  function snapshotFor(follower: string): void {
    if (!local) return;
    const { head, tail } = diff([], local.state);
    say({ kind: 'update', rev: leaderRevision, to: follower, keep: 0, tail: tail as Update['tail'], head, events: [] });
  }

  function updateReading(): void {
    if (!local) return;
    local.setReading(reading || [...readingTabs.values()].some(Boolean));
  }

  /** A command, from this tab or another; applied once whoever resends it. */
  function perform(command: Command): Promise<void> | void {
    const target = local!;
    if (applied.has(command.cid)) return command.id ? target.settled(command.id) : undefined;
    // Typing and reading are never resent, and there are many: not worth remembering.
    // Asking whether a message settled changes nothing: asked twice, it is answered twice.
    if (command.op !== 'typing' && command.op !== 'reading' && command.op !== 'settle') applied.add(command.cid);
    switch (command.op) {
      case 'send':
        return target.has(command.id!) ? target.settled(command.id!) : target.sendAs(command.id!, command.text);
      case 'retry':
        return target.retry(command.id!);
      case 'end':
        return target.endLiveChat();
      case 'reset':
        return target.reset();
      case 'markRead':
        return target.markRead();
      case 'typing':
        return target.setTyping(command.on === true);
      case 'reading':
        readingTabs.set(command.tab, command.on === true);
        return updateReading();
      case 'settle':
        return target.settled(command.id!);
    }
  }

  function serve(command: Command): void {
    const done = perform(command);
    if (command.op === 'typing' || command.op === 'reading') return;
    if (command.op !== 'settle') {
      // Written before it is confirmed: if this tab goes now, the next leader has it.
      local!.flush();
      say({ kind: 'ack', cid: command.cid });
    }
    if (command.id && (command.op === 'send' || command.op === 'retry' || command.op === 'settle')) {
      const id = command.id;
      void Promise.resolve(done).then(() => say({ kind: 'settled', id }));
    }
  }

  // ---- a follower ----

  function receive(data: unknown): void {
    const message = readTabMessage(data);
    if (!message) return;
    if (local) {
      if (message.kind === 'hello') {
        readingTabs.set(message.tab, message.reading);
        updateReading();
        snapshotFor(message.tab);
      } else if (message.kind === 'bye') {
        readingTabs.delete(message.tab);
        updateReading();
      } else if (message.kind === 'command') {
        serve(message);
      }
      return;
    }
    switch (message.kind) {
      case 'update':
        return follow(message);
      case 'ack': {
        const id = pending.get(message.cid)?.id;
        pending.delete(message.cid);
        if (id && waiting.has(id)) unsettled.add(id);
        return;
      }
      case 'settled':
        return settle(message.id);
      case 'leader':
        // A new leader, from the storage: it needs this tab's reading and unconfirmed commands.
        revision = -1;
        say({ kind: 'hello', tab, reading });
        for (const command of pending.values()) say(command);
        for (const id of unsettled) say({ kind: 'command', tab, cid: createId(), op: 'settle', id });
        return;
      default:
        return;
    }
  }

  function follow(update: Update): void {
    if (update.to !== undefined && update.to !== tab) return;
    const snapshot = update.to === tab;
    if (!snapshot && (revision < 0 || update.rev !== revision + 1 || update.keep > state.messages.length)) {
      // A step missed (or no snapshot yet): the whole state again, once.
      if (revision >= 0) {
        revision = -1;
        say({ kind: 'hello', tab, reading });
      }
      return;
    }
    revision = update.rev;
    setState(apply(snapshot ? [] : state.messages, update), false);
    for (const event of eventsOf(update)) emit(event);
    emit({ type: 'state', state });
  }

  function setState(next: ChatState, announce = true): void {
    state = deepFreeze(next);
    if (announce) emit({ type: 'state', state });
  }

  function settle(id: string): void {
    const resolvers = waiting.get(id);
    waiting.delete(id);
    unsettled.delete(id);
    for (const resolve of resolvers ?? []) resolve();
  }

  /** A command from this tab: done here when it leads, else handed to the leader. */
  function command(op: CommandOp, fields: Partial<Pick<Command, 'id' | 'text' | 'on'>> = {}): Promise<void> | void {
    const cmd: Command = { kind: 'command', tab, cid: createId(), op, ...fields };
    if (local) return perform(cmd);
    if (op !== 'typing' && op !== 'reading') pending.set(cmd.cid, cmd);
    say(cmd);
  }

  function untilSettled(id: string, run: () => Promise<void> | void): Promise<void> {
    if (local) return Promise.resolve(run()).then(() => undefined);
    const done = new Promise<void>((resolve) => waiting.set(id, [...(waiting.get(id) ?? []), resolve]));
    run();
    return done;
  }

  function sendText(text: unknown): Promise<void> {
    const id = createId();
    return untilSettled(id, () => command('send', { id, text }));
  }

  return {
    get state() {
      return state;
    },
    send: sendText,
    retry: (id) => untilSettled(id, () => command('retry', { id })),
    // [ext] The bytes stay in the tab that holds the conversation: a follower's files are refused
    // with a typed error rather than copied over the channel.
    sendFile(file, fileOptions) {
      if (local) return local.sendFile(file, fileOptions);
      emit({ type: 'error', error: { code: 'file_rejected', serverCode: 'other_tab', message: 'Send files from the tab where the chat was opened first.' } });
      return Promise.resolve();
    },
    cancelUpload: (id) => local?.cancelUpload(id),
    requestHuman: () => sendText(options.humanRequestText ?? DEFAULT_HUMAN_REQUEST),
    endLiveChat: () => void command('end'),
    setTyping: (on) => void command('typing', { on: !!on }),
    setReading(on) {
      reading = !!on;
      if (local) updateReading();
      else command('reading', { on: reading });
    },
    markRead: () => void command('markRead'),
    reset: () => void command('reset'),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    start() {
      started = true;
      join();
      return local ? local.start() : Promise.resolve();
    },
    dispose() {
      started = false;
      leave();
      // Sends this tab still waits on: the page that asked is going.
      for (const id of [...waiting.keys()]) settle(id);
    },
  };
}
