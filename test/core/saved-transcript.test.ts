// The transcript written a piece at a time: what a save costs (which keys it writes, how
// many bytes) and that what was written incrementally restores exactly.
import { expect } from '@open-wc/testing';
import { initialModel, type Model } from '../../src/core/model.ts';
import { isQuotaError, restore } from '../../src/core/persisted.ts';
import { CHUNK, MAX_STORED_MESSAGES, readTranscript, transcriptRevision, transcriptWriter } from '../../src/core/saved-transcript.ts';
import { memoryStorage } from '../../src/core/storage.ts';
import { publicState } from '../../src/core/state.ts';
import type { ChatMessage, StorageAdapter } from '../../src/core/types.ts';

const KEY = 'webchat-agent:saving';
const from = Date.UTC(2026, 0, 1, 9);

function message(i: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  const createdAt = new Date(from + i * 1000).toISOString();
  return i % 2
    ? { id: `m${i}`, serverId: `m${i}`, sender: 'bot', content: `<p>Answer ${i}</p>`, html: true, sources: [{ type: 'web', title: 'Doc', source: 'https://example.com/' }], createdAt, ...extra }
    : { id: `m${i}`, serverId: `m${i}`, sender: 'user', content: `Question ${i}`, html: false, sources: [], createdAt, delivery: 'sent', ...extra };
}

function model(messages: ChatMessage[], fields: Partial<Model> = {}): Model {
  return { ...initialModel(), sessionId: 's-1', messages, unread: 2, ...fields } as Model;
}

/** A storage that counts what is written, and can be made full. */
function counting(limitBytes = Infinity) {
  const inner = memoryStorage();
  const writes: { key: string; bytes: number }[] = [];
  let used = 0;
  const sizes = new Map<string, number>();
  const storage: StorageAdapter = {
    getItem: (key) => inner.getItem(key),
    setItem(key, value) {
      const next = used - (sizes.get(key) ?? 0) + value.length;
      if (next > limitBytes) throw new DOMException('full', 'QuotaExceededError');
      used = next;
      sizes.set(key, value.length);
      writes.push({ key, bytes: value.length });
      inner.setItem(key, value);
    },
    removeItem(key) {
      used -= sizes.get(key) ?? 0;
      sizes.delete(key);
      inner.removeItem(key);
    },
  };
  return { storage, writes, keys: () => [...sizes.keys()].sort() };
}

const restored = (storage: StorageAdapter) => publicState(restore(readTranscript(storage, KEY)), null);

describe('the transcript in storage, written a piece at a time', () => {
  it('a new message at 5,000 rewrites only the last chunk and the head', () => {
    const { storage, writes } = counting();
    const writer = transcriptWriter(storage, KEY, isQuotaError);
    const messages = Array.from({ length: 5000 }, (_, i) => message(i));
    writer.save(model(messages));
    expect(writes).to.have.length(5000 / CHUNK + 1);
    writes.length = 0;
    writer.save(model([...messages, message(5000)]));
    expect(writes.map((w) => w.key)).to.deep.equal([`${KEY}:50`, KEY]);
    expect(writes.reduce((sum, w) => sum + w.bytes, 0), 'bytes written').to.be.below(1000);
  });

  it('what was written one message at a time restores exactly, and as the one-piece write would', () => {
    const { storage } = counting();
    const writer = transcriptWriter(storage, KEY, isQuotaError);
    let messages: ChatMessage[] = [];
    for (let i = 0; i < 260; i++) {
      messages = [...messages, message(i, i % 2 ? {} : { delivery: 'sending' })];
      // The visitor's message confirmed a moment later: an update in place, not an append.
      if (i % 2 === 0) messages = messages.map((m) => (m.id === `m${i}` ? { ...m, delivery: 'sent' as const } : m));
      writer.save(model(messages, { unread: i % 5 }));
    }
    const once = counting();
    transcriptWriter(once.storage, KEY, isQuotaError).save(model(messages, { unread: 259 % 5 }));
    expect(restored(storage)).to.deep.equal(restored(once.storage));
    expect(restored(storage).messages).to.deep.equal(messages);
    expect(restored(storage)).to.include({ sessionId: 's-1', unread: 259 % 5 });
  });

  it('after a reload, the next message still writes only the last chunk', () => {
    const { storage, writes } = counting();
    const messages = Array.from({ length: 1234 }, (_, i) => message(i));
    transcriptWriter(storage, KEY, isQuotaError).save(model(messages));
    const reloaded = restore(readTranscript(storage, KEY));
    const writer = transcriptWriter(storage, KEY, isQuotaError);
    writer.restored(reloaded);
    writes.length = 0;
    writer.save({ ...reloaded, messages: [...reloaded.messages, message(1234)] } as Model);
    expect(writes.map((w) => w.key)).to.deep.equal([`${KEY}:12`, KEY]);
    expect(restored(storage).messages.map((m) => m.id).slice(-2)).to.deep.equal(['m1233', 'm1234']);
  });

  it(`keeps at most the latest ${MAX_STORED_MESSAGES}, the oldest dropped a chunk at a time, across reloads`, () => {
    const { storage, keys } = counting();
    let writer = transcriptWriter(storage, KEY, isQuotaError);
    let messages = Array.from({ length: MAX_STORED_MESSAGES + 150 }, (_, i) => message(i));
    writer.save(model(messages));
    expect(restored(storage).messages.map((m) => m.id)[0]).to.equal('m200');
    expect(restored(storage).messages).to.have.length(MAX_STORED_MESSAGES - 50);
    expect(keys()).to.not.include(`${KEY}:0`);
    // Reloaded: the conversation now starts at m150; it goes on growing and trimming.
    const reloaded = restore(readTranscript(storage, KEY));
    writer = transcriptWriter(storage, KEY, isQuotaError);
    writer.restored(reloaded);
    messages = [...reloaded.messages, ...Array.from({ length: 120 }, (_, i) => message(MAX_STORED_MESSAGES + 150 + i))];
    writer.save({ ...reloaded, messages } as Model);
    const after = restored(storage).messages;
    expect(after).to.have.length(MAX_STORED_MESSAGES - 30);
    expect(after[0]!.id).to.equal('m300');
    expect(after.at(-1)!.id).to.equal(`m${MAX_STORED_MESSAGES + 269}`);
    expect(keys()).to.not.include(`${KEY}:2`);
    expect(keys()).to.include(`${KEY}:3`);
  });

  it('a full storage drops the oldest messages until the rest fits; the session and the latest stay', () => {
    const { storage } = counting(40_000);
    const writer = transcriptWriter(storage, KEY, isQuotaError);
    const messages = Array.from({ length: 800 }, (_, i) => message(i));
    writer.save(model(messages));
    const kept = restored(storage);
    expect(kept.sessionId).to.equal('s-1');
    expect(kept.messages.length).to.be.greaterThan(0).and.below(800);
    expect(kept.messages.at(-1)!.id).to.equal('m799');
    expect(kept.messages).to.deep.equal(messages.slice(800 - kept.messages.length));
  });

  it('forgetting removes the head and every chunk', () => {
    const { storage, keys } = counting();
    const writer = transcriptWriter(storage, KEY, isQuotaError);
    writer.save(model(Array.from({ length: 350 }, (_, i) => message(i))));
    expect(keys()).to.have.length(5);
    transcriptWriter(storage, KEY, isQuotaError).forget();
    expect(keys()).to.deep.equal([]);
  });

  it('a damaged chunk loses its own messages only', () => {
    const { storage } = counting();
    transcriptWriter(storage, KEY, isQuotaError).save(model(Array.from({ length: 250 }, (_, i) => message(i))));
    storage.setItem(`${KEY}:1`, '{not json');
    const ids = restored(storage).messages.map((m) => m.id);
    expect(ids).to.have.length(150);
    expect(ids.includes('m99') && ids.includes('m200') && !ids.includes('m100')).to.equal(true);
  });

  it("tells one save from another by the head alone, and a head of an earlier release by its chunks", () => {
    const { storage } = counting();
    const writer = transcriptWriter(storage, KEY, isQuotaError);
    const messages = Array.from({ length: 250 }, (_, i) => message(i));
    writer.save(model(messages));
    const first = transcriptRevision(storage, KEY);
    expect(transcriptRevision(storage, KEY), 'read again').to.equal(first);
    // One message changed in a chunk: the head's fields are the same, its revision is not.
    writer.save(model([...messages.slice(0, -1), message(249, { content: 'Edited' })]));
    const second = transcriptRevision(storage, KEY);
    expect(second).to.not.equal(first);
    expect(second.length, 'the head only').to.be.below(300);
    // Another writer saving the same transcript is another save too.
    transcriptWriter(storage, KEY, isQuotaError).save(model([...messages.slice(0, -1), message(249, { content: 'Edited' })]));
    expect(transcriptRevision(storage, KEY)).to.not.equal(second);

    // A head without a revision: its chunks are part of what is compared.
    const head = JSON.parse(storage.getItem(KEY)!);
    delete head.rev;
    storage.setItem(KEY, JSON.stringify(head));
    const unrevised = transcriptRevision(storage, KEY);
    storage.setItem(`${KEY}:2`, storage.getItem(`${KEY}:2`)!.replace('Edited', 'Edited by hand'));
    expect(transcriptRevision(storage, KEY)).to.not.equal(unrevised);
  });

  it('a save that changes nothing writes nothing, after a reload too, and keeps the revision', () => {
    const { storage, writes } = counting();
    const messages = Array.from({ length: 250 }, (_, i) => message(i));
    const writer = transcriptWriter(storage, KEY, isQuotaError);
    writer.save(model(messages));
    const revision = transcriptRevision(storage, KEY);
    const count = writes.length;
    writer.save(model(messages));
    expect(writes.length, 'the same writer').to.equal(count);
    // The next page (or the next leading tab): what it restored is what it would write.
    const back = restore(readTranscript(storage, KEY));
    const next = transcriptWriter(storage, KEY, isQuotaError);
    next.restored(back);
    next.save(back);
    expect(writes.length, 'a writer of what it restored').to.equal(count);
    expect(transcriptRevision(storage, KEY)).to.equal(revision);
    next.save({ ...back, unread: 0 });
    expect(writes.map((w) => w.key).slice(count), 'a change of the head alone').to.deep.equal([KEY]);
    expect(transcriptRevision(storage, KEY)).to.not.equal(revision);
  });

  it('a save that fails half way takes the revision off the head: the chunks it changed are compared again', () => {
    const inner = counting().storage;
    // Full for any head with a revision, once its chunks are written.
    const storage: StorageAdapter = {
      getItem: (key) => inner.getItem(key),
      removeItem: (key) => inner.removeItem(key),
      setItem(key, value) {
        if (refuse && key === KEY && value.includes('"rev"')) throw new DOMException('full', 'QuotaExceededError');
        inner.setItem(key, value);
      },
    };
    let refuse = false;
    const messages = Array.from({ length: 250 }, (_, i) => message(i));
    transcriptWriter(storage, KEY, isQuotaError).save(model(messages));
    const before = transcriptRevision(storage, KEY);
    refuse = true;
    const writer = transcriptWriter(storage, KEY, isQuotaError);
    writer.restored(restore(readTranscript(storage, KEY)));
    writer.save(model([...messages.slice(0, -1), message(249, { content: 'Changed, head refused' })]));
    expect(JSON.parse(storage.getItem(KEY)!).rev, 'the head without its revision').to.equal(undefined);
    expect(transcriptRevision(storage, KEY)).to.not.equal(before);
  });
});
