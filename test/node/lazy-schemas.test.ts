// The core's schemas are built on first use: evaluating the core (what every page with the
// script tag pays at start-up) constructs no zod schema, the first parse builds what it
// needs once, and what parses and what fails, with which words, is what it always was.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod/mini';

// zod hands every instance it constructs (schemas, checks) to this hook, the one `zod/compile`
// installs. Should a zod release drop it, the count stays 0 and the "first parse builds" tests
// below fail: this file cannot pass by counting nothing.
let constructed = 0;
z.config({ postProcessor: () => void constructed++ });

// Imported after the hook is in place (static imports would be evaluated before it).
const core = await import('../../src/core/index.ts');
const protocol = await import('../../src/core/protocol.ts');
const persisted = await import('../../src/core/persisted.ts');
const tabs = await import('../../src/core/tab-messages.ts');
await import('../../src/core/upload.ts');
const atImport = constructed;

/** How many zod instances `run` constructs. */
function counted(run: () => void): number {
  const before = constructed;
  run();
  return constructed - before;
}

const storedMessages = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    sender: i % 2 ? 'bot' : 'user',
    content: `message ${i}`,
    html: i % 2 === 1,
    sources: i % 2 ? [{ type: 'web', source: 'https://example.com/', title: 'Example' }] : [],
    createdAt: '2024-01-01T00:00:00.000Z',
    delivery: 'sent',
    ...(i % 2 && { agent: { name: 'Ann' } }),
  }));

describe('schemas: built on first use', () => {
  it('importing the core (protocol, stored records, tab messages, uploads) constructs no schema', () => {
    assert.equal(typeof core.createChatClient, 'function');
    assert.equal(atImport, 0, `${atImport} zod instances were constructed at import`);
  });

  it('the first parse builds the schema, a second builds nothing', () => {
    assert.ok(counted(() => assert.equal(protocol.Mode.safeParse('human').success, true)) > 0);
    assert.equal(counted(() => assert.equal(protocol.Mode.safeParse('bot').success, true)), 0);

    const first = counted(() => assert.equal(persisted.readPersisted({ v: 1, messages: storedMessages(2) })?.messages.length, 2));
    assert.ok(first > 0, 'restoring builds the stored message schema');
    // readPersisted makes its few field schemas per call, as it always has; the message schema is not among them.
    const again = counted(() => assert.equal(persisted.readPersisted({ v: 1, messages: storedMessages(50) })?.messages.length, 50));
    assert.ok(again < first, `a second restore constructed ${again} instances, the first ${first}`);

    assert.ok(counted(() => assert.deepEqual(tabs.readTabMessage({ kind: 'bye', tab: 't1' }), { kind: 'bye', tab: 't1' })) > 0);
    assert.equal(counted(() => assert.deepEqual(tabs.readTabMessage({ kind: 'bye', tab: 't2' }), { kind: 'bye', tab: 't2' })), 0);
  });

  it('answers and error texts are unchanged', () => {
    const mode = protocol.ChatResponse.safeParse({ reply: 'x', mode: 'robot' });
    assert.equal(!mode.success && protocol.describeIssue(mode.error), 'mode: Invalid input');
    const data = protocol.ChatResponse.safeParse({ reply: 'x', sources: [{ type: 'web', source: 'u', data: 'nope' }] });
    assert.equal(!data.success && protocol.describeIssue(data.error), 'sources.0.data: Invalid input');
    assert.deepEqual(protocol.ErrorBody.safeParse({ error: { code: 'forbidden', message: 1 } }).error?.issues, [
      { expected: 'string', code: 'invalid_type', path: ['error', 'message'], message: 'Invalid input' },
    ]);
    assert.deepEqual(
      protocol.FileRef.safeParse({ id: 'f', name: '', type: 't', size: 1, url: 'u' }).error?.issues.map((issue) => issue.message),
      ['must be 1 to 255 characters'],
    );

    const frame = { type: 'livechat:message', sessionId: 's', id: 'm1', sender: 'bot', content: 'hi', createdAt: 't', extra: 1 };
    assert.deepEqual(protocol.parseServerFrame(JSON.stringify(frame)), { kind: 'frame', frame });
    assert.deepEqual(protocol.parseServerFrame({ ...frame, id: '' }), { kind: 'invalid', reason: 'livechat:message: id: must be 1 to 65536 characters' });
    let deep: unknown = 1;
    for (let i = 0; i < 9; i++) deep = { deep };
    assert.deepEqual(protocol.parseServerFrame({ type: 'livechat:status', agent: { name: 'a', deep } }), {
      kind: 'invalid',
      reason: 'livechat:status: agent: nested deeper than 8 levels or larger than 16384 characters',
    });
    assert.deepEqual(protocol.parseServerFrame({ type: 'livechat:future' }), { kind: 'ignored', type: 'livechat:future' });
    const message = { type: 'client:message', chatbotId: 'b', sessionId: 's', sender: 'user' };
    assert.deepEqual(protocol.parseClientFrame({ ...message, content: '   ' }), {
      kind: 'invalid',
      reason: 'client:message: content: must be 1..700 characters after trimming',
    });
    assert.deepEqual(protocol.parseClientFrame({ ...message, content: '', attachments: [{ id: 'f', name: 'a.png', type: 'image/png', size: 1.5, url: '/x' }] }), {
      kind: 'invalid',
      reason: 'client:message: attachments.0.size: a whole number',
    });
    assert.deepEqual(
      protocol.parseHistory({
        messages: [
          { id: 'a', sender: 'bot', content: 'x', createdAt: 't' },
          { id: 'b', sender: 'robot', content: 'y', createdAt: 't' },
        ],
        mode: 'human',
        status: 'open',
        agent: { name: 'Ann' },
      }),
      { success: true, data: { messages: [{ id: 'a', sender: 'bot', content: 'x', createdAt: 't' }], mode: 'human', status: 'open', agent: { name: 'Ann' } } },
    );

    const attachment = { id: 'f', name: 'a.png', type: 'image/png', size: 3, url: '/f' };
    const source = { type: 'web', source: 'https://e.x', title: 'E' };
    assert.deepEqual(
      persisted.readPersisted({
        v: 1,
        sessionId: 's',
        mode: 'human',
        status: 'open',
        agent: { name: 'Ann' },
        outbox: ['m1'],
        unread: 2,
        messages: [
          { id: 'm1', sender: 'user', content: 'hi', html: false, sources: [], createdAt: 't', delivery: 'sending', attachments: [attachment] },
          { id: 'm2', sender: 'robot', content: 'x', html: false, sources: [], createdAt: 't' },
          { id: 'm3', sender: 'bot', content: 'x', html: true, sources: [source], createdAt: 't', agent: { name: 'Bo' } },
        ],
      }),
      {
        v: 1,
        sessionId: 's',
        mode: 'human',
        status: 'open',
        agent: { name: 'Ann' },
        outbox: ['m1'],
        messages: [
          { id: 'm1', sender: 'user', content: 'hi', html: false, sources: [], createdAt: 't', delivery: 'sending', attachments: [attachment] },
          { id: 'm3', sender: 'bot', content: 'x', html: true, sources: [source], createdAt: 't', agent: { name: 'Bo' } },
        ],
        unread: 2,
      },
    );
    assert.deepEqual(persisted.readPersisted({ sessionId: null, mode: 'bot', messages: [{ id: 'a', sender: 'bot', content: 'x', createdAt: 't', sources: null }] }), {
      v: 1,
      sessionId: null,
      mode: 'bot',
      status: null,
      agent: null,
      outbox: [],
      messages: [{ id: 'a', sender: 'bot', content: 'x', html: true, sources: [], createdAt: 't' }],
      unread: 0,
    });
    assert.deepEqual(tabs.readTabMessage({ kind: 'hello', tab: 't1', reading: true }), { kind: 'hello', tab: 't1', reading: true });
    assert.equal(tabs.readTabMessage({ kind: 'command', tab: 't1', cid: 'c', op: 'explode' }), null);
  });

  it('an exported schema is a schema to code that builds on it (the reference server does)', () => {
    const { Agent, HistoryMessage } = protocol;
    assert.ok(Agent instanceof z.ZodMiniObject);
    assert.ok(Agent instanceof z.ZodMiniType);
    assert.equal(Agent.type, 'object');
    assert.equal(Object.getPrototypeOf(Agent), Object.getPrototypeOf(z.looseObject({})));
    assert.deepEqual(Object.keys(Agent.def.shape), ['name']);
    const optional = z.optional(Agent);
    assert.equal(optional.safeParse(undefined).success, true);
    assert.deepEqual(optional.safeParse({ name: 'Ann', extra: 1 }).data, { name: 'Ann', extra: 1 });
    assert.equal(optional.safeParse({ name: 1 }).success, false);
    const ids = z.pipe(HistoryMessage, z.transform((message) => message.id));
    assert.deepEqual(ids.safeParse({ id: 'a', sender: 'bot', content: 'x', createdAt: 't' }), { success: true, data: 'a' });
    // Reflection sees the schema's own properties, its internals among them.
    assert.ok(Object.getOwnPropertyDescriptor(Agent, '_zod'));
    assert.ok(Object.hasOwn(Agent, 'def'));
    assert.deepEqual(Object.keys({ ...Agent }), Object.keys(Agent));
    // A method read off the schema is the schema's, bound to it.
    const { safeParse } = Agent;
    assert.equal(safeParse({ name: 'Ann' }).success, true);
  });
});
