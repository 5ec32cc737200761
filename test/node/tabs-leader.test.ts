// The leader's side of the tabs' channel (shared-client.ts), over a channel of this test's own
// (every message cloned and delivered a turn later, as a BroadcastChannel does, never to its
// sender) and a stand-in for the real client, so that what the leader posts and when is the
// test's to arrange: another tab forged into the conversation, a follower forgotten.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSharedClient, type LocalClient } from '../../src/core/shared-client.ts';
import { initialModel } from '../../src/core/model.ts';
import { publicState } from '../../src/core/state.ts';
import type { TabCoordinator } from '../../src/core/tabs.ts';
import type { ChatEvent, ChatMessage, ChatState } from '../../src/core/types.ts';

type Listener = (message: unknown) => void;

function channelOf() {
  const listeners = new Map<string, Listener>();
  const posted: { from: string; message: Record<string, unknown> }[] = [];
  let inFlight = 0;
  return {
    posted,
    /** Once every message posted, and every one posted in answer, has been delivered. */
    async settled() {
      do await new Promise((resolve) => setTimeout(resolve));
      while (inFlight > 0);
    },
    /** One tab's end of the channel. */
    end(who: string) {
      return {
        post(message: unknown) {
          posted.push({ from: who, message: message as Record<string, unknown> });
          const copy = structuredClone(message);
          for (const [tab, listener] of listeners) {
            if (tab === who) continue;
            inFlight++;
            setTimeout(() => {
              inFlight--;
              listener(copy);
            });
          }
        },
        listen: (listener: Listener) => void listeners.set(who, listener),
        close: () => void listeners.delete(who),
      };
    },
  };
}

const empty = (): ChatState => publicState(initialModel(), null);
const message = (id: string, delivery?: ChatMessage['delivery']): ChatMessage =>
  ({ id, sender: 'user', content: id, html: false, sources: [], createdAt: '2026-12-03T10:00:00.000Z', ...(delivery && { delivery }) }) as ChatMessage;

/** The leader's real client, reduced to a state the test sets. */
function standIn() {
  let state = empty();
  let relay: (event: ChatEvent) => void = () => {};
  const client = {
    get state() {
      return state;
    },
    subscribe(listener: (event: ChatEvent) => void) {
      relay = listener;
      return () => {};
    },
    start: async () => {},
    setReading() {},
    dispose() {},
    flush() {},
    has: () => false,
    settled: async () => {},
    sendAs: async () => {},
  } as unknown as LocalClient;
  return {
    client,
    show(messages: ChatMessage[]) {
      state = publicState({ ...initialModel(), messages }, state);
      relay({ type: 'state', state });
    },
  };
}

function tab(channel: ReturnType<typeof channelOf>, id: string, leads: boolean, local: LocalClient) {
  const coordinator: TabCoordinator = {
    channel: () => channel.end(id),
    lead(_name, role) {
      if (leads) setTimeout(() => role.lead());
      return () => {};
    },
  };
  return createSharedClient({ baseUrl: 'http://127.0.0.1:1', chatbotId: 'tabs-leader', createId: () => id }, coordinator, () => local, empty);
}

/** A channel, the leader's stand-in client, and the leader's tab, leading. */
async function leading() {
  const channel = channelOf();
  const local = standIn();
  const leader = tab(channel, 'L', true, local.client);
  await leader.start();
  await channel.settled();
  const join = async (id: string) => {
    const follower = tab(channel, id, false, local.client);
    await follower.start();
    await channel.settled();
    return follower;
  };
  return { channel, local, leader, join };
}
const shown = (state: ChatState) => state.messages.map((m) => `${m.id}:${m.delivery ?? '-'}`);

describe('the leader of several tabs', () => {
  it('alone, posts no update; a tab that says hello gets the whole state, then each change', async () => {
    const { channel, local, join } = await leading();
    local.show([message('a', 'sending')]);
    local.show([message('a', 'sent')]);
    await channel.settled();
    assert.deepEqual(channel.posted.filter((p) => p.message['kind'] === 'update'), []);
    const follower = await join('F');
    assert.deepEqual(shown(follower.state), ['a:sent']);
    local.show([message('a', 'sent'), message('b')]);
    await channel.settled();
    assert.deepEqual(shown(follower.state), ['a:sent', 'b:-']);
  });

  it('a follower it forgot (a bye the follower did not send) is made whole at the next update, not patched from a base it missed', async () => {
    const { channel, local, leader, join } = await leading();
    const follower = await join('F');
    const a = message('a', 'sending');
    local.show([a]);
    await channel.settled();
    assert.deepEqual(shown(follower.state), ['a:sending']);
    const forger = channel.end('R');
    forger.post({ kind: 'bye', tab: 'F' });
    await channel.settled();
    // Unheard by the follower: the leader knows of no other tab now.
    const sent = { ...a, delivery: 'sent' as const };
    local.show([sent]);
    await channel.settled();
    // A third tab says hello: the leader posts again.
    forger.post({ kind: 'hello', tab: 'G', reading: true });
    await channel.settled();
    local.show([sent, message('b')]);
    await channel.settled();
    assert.deepEqual(shown(leader.state), ['a:sent', 'b:-']);
    assert.deepEqual(shown(follower.state), ['a:sent', 'b:-']);
  });
});
