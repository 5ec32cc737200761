// Tabs that share one conversation (persist="local"): clients of one page stand in for the
// tabs of one origin. Web Locks and BroadcastChannel work between them as between tabs
// (a channel never hears its own messages, the lock queues every request), against the
// fake service over a real socket.
import { expect } from '@open-wc/testing';
import { createChatClient } from '../../src/core/client.ts';
import { localStorageAdapter } from '../../src/core/storage.ts';
import { readTranscript } from '../../src/core/saved-transcript.ts';
import { browserTabs, type Runtime, type TabCoordinator } from '../../src/core/tabs.ts';
import type { ChatClient, ChatState } from '../../src/core/types.ts';
import { service, waitFor } from './harness.ts';
import { freshChatbotId } from '../support/control.ts';
import type { BotLog } from '../support/control.ts';

interface Tab {
  client: ChatClient;
  leads: () => boolean;
  /** When this tab was made the leader (performance.now()), or null. */
  ledAt: () => number | null;
}

const opened: Tab[] = [];

/** A coordinator that says which tab leads, around the browser's own; `unsaid` drops what
 * the tab would post, as a tab closing before its next turn never says it. */
function watched(coordinator: TabCoordinator, hooks: { onLead?: () => void } = {}, unsaid: (message: unknown) => boolean = () => false): { coordinator: TabCoordinator; leads: () => boolean; ledAt: () => number | null } {
  let leading = false;
  let ledAt: number | null = null;
  return {
    coordinator: {
      channel(name) {
        const channel = coordinator.channel(name);
        return { ...channel, post: (message) => void (unsaid(message) || channel.post(message)) };
      },
      lead(name, role) {
        const giveUp = coordinator.lead(name, {
          lead() {
            leading = true;
            ledAt = performance.now();
            role.lead();
            hooks.onLead?.();
          },
          stepDown() {
            leading = false;
            role.stepDown();
          },
        });
        return () => {
          leading = false;
          giveUp();
        };
      },
    },
    leads: () => leading,
    ledAt: () => ledAt,
  };
}

/** A tab's own document, for its lifecycle events (freeze, resume). */
function tabDocument(): EventTarget {
  return new EventTarget();
}

interface TabOptions {
  start?: boolean;
  document?: EventTarget;
  onLead?: (client: ChatClient) => void;
  unsaid?: (message: unknown) => boolean;
}

function openTab(chatbotId: string, { start = true, document = tabDocument(), onLead, unsaid }: TabOptions = {}): Tab {
  const hooks: { onLead?: () => void } = {};
  const { coordinator, leads, ledAt } = watched(browserTabs({ navigator, BroadcastChannel, document } as unknown as Runtime)!, hooks, unsaid);
  const client = createChatClient({ baseUrl: service.url, chatbotId, storage: localStorageAdapter(), coordinator, persistDelayMs: 50 });
  if (onLead) hooks.onLead = () => onLead(client);
  if (start) void client.start();
  const tab = { client, leads, ledAt };
  opened.push(tab);
  return tab;
}

function closeTab(tab: Tab): void {
  tab.client.dispose();
  opened.splice(opened.indexOf(tab), 1);
}

const texts = (state: ChatState) => state.messages.map((m) => m.content);
const visitorSockets = (log: BotLog) => log.sockets.filter((s) => s.open && s.role === 'user');
const sentFrames = (log: BotLog) => log.frames.flatMap(({ frame }) => (frame.type === 'client:message' ? [frame.content] : []));

async function leaderOf(tabs: Tab[]): Promise<Tab> {
  return waitFor(() => {
    const leading = tabs.filter((tab) => tab.leads());
    return leading.length === 1 && leading[0];
  }, 'one leader');
}

/** Every tab shows exactly `expected`, in that order. */
async function everyTabShows(tabs: Tab[], expected: string[]): Promise<void> {
  await waitFor(() => tabs.every((tab) => JSON.stringify(texts(tab.client.state)) === JSON.stringify(expected)), `every tab showing ${JSON.stringify(expected)}`);
}

/** Three tabs in a live chat that agent Ana took over; returns the tabs and the session. */
async function liveInThreeTabs(prepare: (tabs: Tab[]) => void = () => {}) {
  const chatbotId = freshChatbotId();
  const tabs = [openTab(chatbotId), openTab(chatbotId), openTab(chatbotId)];
  await leaderOf(tabs);
  prepare(tabs);
  await tabs[1]!.client.requestHuman();
  await waitFor(() => tabs.every((tab) => tab.client.state.connection.state === 'joined'), 'joined, in every tab');
  const sessionId = tabs[0]!.client.state.sessionId!;
  await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name: 'Ana' } });
  await waitFor(() => tabs.every((tab) => tab.client.state.conversation === 'live'), 'live, in every tab');
  return { chatbotId, tabs, sessionId };
}

describe('one conversation across tabs', () => {
  afterEach(() => {
    for (const tab of opened.splice(0)) tab.client.dispose();
    localStorage.clear();
  });

  it('messages from every tab and from the agent show in every tab, once and in order, over one socket', async () => {
    const { chatbotId, tabs, sessionId } = await liveInThreeTabs();
    for (const [i, tab] of tabs.entries()) {
      await tab.client.send(`from tab ${i}`);
      // The agent answers what reached them: the echo says it did.
      await waitFor(() => tabs.every((t) => t.client.state.messages.some((m) => m.content === `from tab ${i}` && m.delivery === 'sent')), `tab ${i}'s message confirmed everywhere`);
      await service.act(chatbotId, sessionId, { type: 'say', content: `agent answers ${i}` });
      await waitFor(() => tabs.every((t) => texts(t.client.state).at(-1) === `agent answers ${i}`), `the answer ${i} everywhere`).catch((e) => { throw new Error(e.message + JSON.stringify(tabs.map((t) => [t.leads(), texts(t.client.state)]))); });
    }
    const expected = texts(tabs[0]!.client.state);
    expect(expected.filter((text) => /^(from tab|agent answers)/.test(text))).to.deep.equal(['from tab 0', 'agent answers 0', 'from tab 1', 'agent answers 1', 'from tab 2', 'agent answers 2']);
    await everyTabShows(tabs, expected);
    await waitFor(() => tabs.every((tab) => tab.client.state.messages.every((m) => m.sender !== 'user' || m.delivery === 'sent')), 'every echo');
    const log = await service.log(chatbotId);
    expect(visitorSockets(log), 'visitor sockets').to.have.length(1);
    expect(log.sockets.filter((s) => s.role === 'user'), 'sockets ever opened').to.have.length(1);
    expect(sentFrames(log).filter((text) => text.startsWith('from tab'))).to.deep.equal(['from tab 0', 'from tab 1', 'from tab 2']);
    // One writer: what is stored is the transcript, each message once.
    const stored = () => readTranscript(localStorageAdapter(), `webchat-agent:${chatbotId}`) as { sessionId: string; messages: { id: string }[] };
    await waitFor(() => stored().messages.length === expected.length, 'the stored transcript');
    expect(new Set(stored().messages.map((m) => m.id)).size).to.equal(expected.length);
    expect(stored().sessionId).to.equal(sessionId);
  });

  it("when the leader's tab closes, another takes over within 2 s; messages queued meanwhile are sent once", async () => {
    const { chatbotId, tabs } = await liveInThreeTabs();
    const leader = await leaderOf(tabs);
    const others = tabs.filter((tab) => tab !== leader);
    const closedAt = performance.now();
    closeTab(leader);
    // Sent while no tab leads: each stays with its tab until a leader confirms it.
    const sends = others.flatMap((tab, i) => [tab.client.send(`queued ${i}a`), tab.client.send(`queued ${i}b`)]);
    const next = await leaderOf(others);
    const handover = next.ledAt()! - closedAt;
    expect(handover, 'handover in ms').to.be.below(2000);
    await Promise.all(sends);
    await waitFor(() => others.every((tab) => tab.client.state.connection.state === 'joined'), 'rejoined');
    const queued = ['queued 0a', 'queued 0b', 'queued 1a', 'queued 1b'];
    await waitFor(async () => {
      const sent = sentFrames(await service.log(chatbotId)).filter((text) => text.startsWith('queued'));
      return sent.length >= 4 && others.every((tab) => tab.client.state.messages.filter((m) => m.content.startsWith('queued')).every((m) => m.delivery === 'sent'));
    }, 'every queued message sent');
    const log = await service.log(chatbotId);
    expect(sentFrames(log).filter((text) => text.startsWith('queued')).sort(), 'sent once each').to.deep.equal(queued);
    for (const tab of others) expect(texts(tab.client.state).filter((text) => text.startsWith('queued')).sort()).to.deep.equal(queued);
    expect(visitorSockets(log), 'visitor sockets open').to.have.length(1);
  });

  it("a send the leader took but had no time to say it settled before its tab closed settles under the next leader, and is sent once", async () => {
    const chatbotId = freshChatbotId();
    // Its tab closes after each command's confirmation, before the turn that says it settled.
    const leader = openTab(chatbotId, { unsaid: (message) => (message as { kind?: unknown }).kind === 'settled' });
    await leaderOf([leader]);
    // The next in the lock's queue sends too: one send settles in the tab that leads next,
    // the other in a tab that follows that one.
    const next = openTab(chatbotId);
    const other = openTab(chatbotId);
    const settled: string[] = [];
    const sends = [next, other].map((tab, i) => tab.client.send(`taken by the first leader ${i}`).then(() => settled.push(`tab ${i}`)));
    await waitFor(() => [leader, next, other].every((tab) => tab.client.state.messages.filter((m) => m.sender === 'bot').length === 2), 'both answers everywhere');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled, 'settled before the leader closes').to.deep.equal([]);
    closeTab(leader);
    expect(await leaderOf([next, other])).to.equal(next);
    await waitFor(() => settled.length === 2, 'both sends settled');
    await Promise.all(sends);
    const log = await service.log(chatbotId);
    const asked = log.requests.map(({ body }) => (body as { message?: unknown } | null)?.message).filter((text) => typeof text === 'string' && text.startsWith('taken by'));
    expect(asked.sort(), 'each sent once').to.deep.equal(['taken by the first leader 0', 'taken by the first leader 1']);
  });

  it('two tabs sending their first message at the same moment start one session', async () => {
    const chatbotId = freshChatbotId();
    const tabs = [openTab(chatbotId), openTab(chatbotId)];
    await leaderOf(tabs);
    await Promise.all([tabs[0]!.client.send('first from tab 0'), tabs[1]!.client.send('first from tab 1')]);
    const log = await service.log(chatbotId);
    const posts = log.requests.filter((r) => r.path === '/api/chat');
    expect(posts).to.have.length(2);
    expect(posts[0]!.sessionHeader, 'the first starts the session').to.equal(null);
    expect(posts[1]!.sessionHeader, 'the second carries it').to.equal(tabs[0]!.client.state.sessionId);
    expect(tabs[1]!.client.state.sessionId).to.equal(tabs[0]!.client.state.sessionId);
    await everyTabShows(tabs, texts(tabs[0]!.client.state));
    expect(texts(tabs[0]!.client.state).filter((text) => text.startsWith('first'))).to.have.length(2);
  });

  it('reset() in one tab starts a new conversation in every tab', async () => {
    const chatbotId = freshChatbotId();
    const tabs = [openTab(chatbotId), openTab(chatbotId), openTab(chatbotId)];
    await leaderOf(tabs);
    await tabs[2]!.client.send('an old question');
    await waitFor(() => tabs.every((tab) => tab.client.state.messages.length === 2), 'the answer in every tab');
    tabs.find((tab) => !tab.leads())!.client.reset();
    await waitFor(() => tabs.every((tab) => tab.client.state.conversation === 'new' && tab.client.state.messages.length === 0), 'a new conversation everywhere');
    await tabs[0]!.client.send('a new question');
    await waitFor(() => tabs.every((tab) => texts(tab.client.state)[0] === 'a new question'), 'the new conversation everywhere');
    await waitFor(() => tabs.every((tab) => tab.client.state.sessionId && tab.client.state.sessionId === tabs[0]!.client.state.sessionId), 'one new session in every tab');
  });

  it('unread counts and reading them are shared: one tab reading reads for all', async () => {
    // Said early: a follower's word reaches the leader over the channel, the agent's over the network.
    const { chatbotId, tabs, sessionId } = await liveInThreeTabs((all) => all.forEach((tab) => tab.client.setReading(false)));
    // What came while no tab was reading (the service's answer to the request) is unread too.
    const before = tabs[0]!.client.state.unread;
    expect(before).to.be.greaterThan(0);
    await service.act(chatbotId, sessionId, { type: 'say', content: 'are you there?' });
    await waitFor(() => tabs.every((tab) => tab.client.state.unread === before + 1), 'one more unread in every tab').catch((e) => { throw new Error(e.message + JSON.stringify(tabs.map((t) => [t.leads(), t.client.state.unread, texts(t.client.state)]))); });
    tabs[2]!.client.markRead();
    await waitFor(() => tabs.every((tab) => tab.client.state.unread === 0), 'read in every tab');
    tabs[1]!.client.setReading(true);
    await service.act(chatbotId, sessionId, { type: 'say', content: 'seen at once' });
    await waitFor(() => tabs.every((tab) => texts(tab.client.state).at(-1) === 'seen at once'), 'the message everywhere');
    expect(tabs.map((tab) => tab.client.state.unread)).to.deep.equal([0, 0, 0]);
  });

  it('a tab opened in the middle of a live chat shows it at once, and opens no socket of its own', async () => {
    const { chatbotId, tabs } = await liveInThreeTabs();
    await tabs[0]!.client.send('before the new tab');
    await waitFor(() => tabs.every((tab) => tab.client.state.messages.at(-1)?.delivery === 'sent'), 'sent');
    const late = openTab(chatbotId);
    await waitFor(() => late.client.state.conversation === 'live' && texts(late.client.state).at(-1) === 'before the new tab', 'the live chat in the new tab');
    expect(late.client.state.agent).to.deep.equal({ name: 'Ana' });
    expect(visitorSockets(await service.log(chatbotId))).to.have.length(1);
  });

  it('a tab alone puts no updates on the channel; a tab that joins gets the whole state, then every change', async () => {
    const chatbotId = freshChatbotId();
    const posted: { kind?: string }[] = [];
    const first = openTab(chatbotId, { unsaid: (message) => {
      posted.push(message as { kind?: string });
      return false;
    } });
    await leaderOf([first]);
    await first.client.send('alone 1');
    await first.client.send('alone 2');
    await waitFor(() => first.client.state.messages.filter((m) => m.sender === 'bot').length === 2, 'both answered');
    expect(posted.filter((m) => m.kind === 'update'), 'updates with no other tab').to.have.length(0);
    const second = openTab(chatbotId);
    await everyTabShows([first, second], texts(first.client.state));
    expect(second.leads()).to.equal(false);
    await first.client.send('together');
    await waitFor(() => texts(second.client.state).includes('together') && second.client.state.messages.at(-1)?.sender === 'bot', 'the next message and its answer in the second tab');
    await everyTabShows([first, second], texts(first.client.state));
    expect(posted.filter((m) => m.kind === 'update').length, 'updates once another tab is there').to.be.greaterThan(1);
  });

  it('a follower that misses an update, or hears garbage, recovers the whole state', async () => {
    const { chatbotId, tabs, sessionId } = await liveInThreeTabs();
    const rogue = new BroadcastChannel(`webchat-agent:${chatbotId}`);
    for (const junk of [null, 42, 'x', { kind: 'update' }, { kind: 'update', rev: 9999, keep: 0, tail: [], head: {}, events: [] }, { kind: 'command', tab: 't', cid: 'c', op: 'format-disk' }, { kind: 'update', rev: 1e9, keep: 1e9, tail: [{ id: 1 }], head: {}, events: [] }]) rogue.postMessage(junk);
    rogue.close();
    await service.act(chatbotId, sessionId, { type: 'say', content: 'after the garbage' });
    await waitFor(() => tabs.every((tab) => texts(tab.client.state).at(-1) === 'after the garbage'), 'every tab up to date');
    await everyTabShows(tabs, texts((await leaderOf(tabs)).client.state));
  });

  it('a leader whose tab is frozen hands over at once, and follows again when it wakes', async () => {
    const chatbotId = freshChatbotId();
    const documents = [tabDocument(), tabDocument(), tabDocument()];
    const tabs = documents.map((document) => openTab(chatbotId, { document }));
    const leader = await leaderOf(tabs);
    await leader.client.requestHuman();
    await waitFor(() => tabs.every((tab) => tab.client.state.connection.state === 'joined'), 'joined, in every tab');
    const frozen = documents[tabs.indexOf(leader)]!;
    const frozenAt = performance.now();
    frozen.dispatchEvent(new Event('freeze'));
    const awake = tabs.filter((tab) => tab !== leader);
    const next = await leaderOf(awake);
    expect(next.ledAt()! - frozenAt, 'handover in ms').to.be.below(2000);
    expect(leader.leads()).to.equal(false);
    await next.client.send('while the other tab sleeps');
    await waitFor(() => awake.every((tab) => tab.client.state.messages.at(-1)?.delivery === 'sent'), 'sent by the new leader');
    frozen.dispatchEvent(new Event('resume'));
    await everyTabShows(tabs, texts(next.client.state));
    expect(tabs.filter((tab) => tab.leads())).to.deep.equal([next]);
    const log = await service.log(chatbotId);
    expect(visitorSockets(log), 'visitor sockets open').to.have.length(1);
  });

  it('a tab that leads at once keeps the transcript it showed (read and checked once); one written meanwhile is read again', async () => {
    const chatbotId = freshChatbotId();
    const writer = openTab(chatbotId);
    await leaderOf([writer]);
    await writer.client.send('stored before the next tab');
    await waitFor(() => writer.client.state.messages.length === 2, 'the answer');
    closeTab(writer);
    let atLead: readonly unknown[] = [];
    const tab = openTab(chatbotId, { start: false, onLead: (client) => (atLead = client.state.messages) });
    const shown = tab.client.state.messages;
    expect(shown.map((m) => m.content)[0]).to.equal('stored before the next tab');
    void tab.client.start();
    await leaderOf([tab]);
    // As it takes the lead, before the service's history answers.
    expect(atLead[0], 'the same message objects').to.equal(shown[0]);

    // Written by another tab between this one's first read and its leading: read again.
    let lateAtLead: readonly { content: string }[] = [];
    const late = openTab(chatbotId, { start: false, onLead: (client) => (lateAtLead = client.state.messages) });
    closeTab(tab);
    // As another tab's save does: the chunk, then the head with a revision of its own.
    const raw = localStorage.getItem(`webchat-agent:${chatbotId}:0`)!;
    localStorage.setItem(`webchat-agent:${chatbotId}:0`, raw.replace('stored before the next tab', 'changed meanwhile'));
    const head = JSON.parse(localStorage.getItem(`webchat-agent:${chatbotId}`)!);
    expect(head.rev, "a save's revision").to.be.a('string');
    localStorage.setItem(`webchat-agent:${chatbotId}`, JSON.stringify({ ...head, rev: `${head.rev}-elsewhere` }));
    void late.client.start();
    await leaderOf([late]);
    // As it takes the lead: the service's history, which answers later, has the first text.
    expect(lateAtLead[0]!.content).to.equal('changed meanwhile');
  });

  it('without BroadcastChannel each tab keeps its own conversation, as before', async () => {
    const saved = globalThis.BroadcastChannel;
    (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel = undefined;
    try {
      expect(browserTabs()).to.equal(null);
    } finally {
      globalThis.BroadcastChannel = saved;
    }
  });

  it('chaos: sockets dropped while tabs open and close lose and duplicate nothing, and leave one socket', async () => {
    const { chatbotId, tabs, sessionId } = await liveInThreeTabs();
    const live = [...tabs];
    const sent: string[] = [];
    for (let round = 0; round < 6; round++) {
      if (round % 2 === 0) await service.act(chatbotId, sessionId, { type: 'drop' });
      if (round % 3 === 1) {
        const leader = await leaderOf(live);
        closeTab(leader);
        live.splice(live.indexOf(leader), 1);
        live.push(openTab(chatbotId));
      }
      for (const [i, tab] of live.entries()) {
        const text = `round ${round} tab ${i}`;
        sent.push(text);
        void tab.client.send(text);
      }
    }
    await waitFor(async () => {
      const frames = sentFrames(await service.log(chatbotId));
      return sent.every((text) => frames.includes(text)) && live.every((tab) => tab.client.state.messages.filter((m) => m.content.startsWith('round')).length === sent.length && tab.client.state.messages.every((m) => m.delivery !== 'sending'));
    }, 'every message sent and confirmed in every tab', 20_000);
    const log = await service.log(chatbotId);
    const frames = sentFrames(log).filter((text) => text.startsWith('round'));
    const lost = sent.filter((text) => !frames.includes(text));
    const shown = texts(live[0]!.client.state).filter((text) => text.startsWith('round'));
    const duplicated = shown.length - new Set(shown).size;
    expect({ lost, duplicated, failed: live[0]!.client.state.messages.filter((m) => m.delivery === 'failed').length }).to.deep.equal({ lost: [], duplicated: 0, failed: 0 });
    await everyTabShows(live, texts(live[0]!.client.state));
    expect(visitorSockets(log), 'visitor sockets open at the end').to.have.length(1);
  });
});
