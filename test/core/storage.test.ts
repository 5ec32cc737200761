import { readTranscript } from '../../src/core/saved-transcript.ts';
import { expect } from '@open-wc/testing';
import { localStorageAdapter, memoryStorage, sessionStorageAdapter } from '../../src/core/storage.ts';
import { newClient } from './harness.ts';

describe('i. storage adapters', () => {
  afterEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('memory, localStorage and sessionStorage store, read and forget', () => {
    for (const [adapter, backing] of [[memoryStorage(), null], [localStorageAdapter(), localStorage], [sessionStorageAdapter(), sessionStorage]] as const) {
      adapter.setItem('k', 'v');
      expect(adapter.getItem('k')).to.equal('v');
      if (backing) expect(backing.getItem('k')).to.equal('v');
      adapter.removeItem('k');
      expect(adapter.getItem('k')).to.equal(null);
    }
  });

  it('falls back to memory when the storage cannot even be reached (sandboxed iframe)', () => {
    const own = Object.getOwnPropertyDescriptor(window, 'localStorage');
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The document is sandboxed', 'SecurityError');
      },
    });
    try {
      const adapter = localStorageAdapter();
      adapter.setItem('k', 'v');
      expect(adapter.getItem('k')).to.equal('v');
    } finally {
      if (own) Object.defineProperty(window, 'localStorage', own);
      else delete (window as { localStorage?: Storage }).localStorage;
    }
    expect(localStorage.getItem('k')).to.equal(null);
  });

  it('when localStorage is really full, the client keeps the session and the newest messages', async () => {
    // Fill the origin's real quota, then free a little room.
    const filler: string[] = [];
    for (let size = 1 << 20; size >= 256; size >>= 1) {
      for (;;) {
        const key = `filler-${filler.length}`;
        try {
          localStorage.setItem(key, 'f'.repeat(size));
          filler.push(key);
        } catch {
          break;
        }
      }
    }
    localStorage.removeItem(filler.pop()!);
    localStorage.removeItem(filler.pop()!);
    localStorage.removeItem(filler.pop()!);

    const storage = localStorageAdapter();
    const { client, chatbotId } = newClient({ storage });
    for (let i = 1; i <= 6; i++) await client.send(`message ${i} ${'x'.repeat(150)}`);
    client.dispose();

    const saved = readTranscript(storage, `webchat-agent:${chatbotId}`) as { sessionId: string; messages: { content: string }[] };
    expect(saved.sessionId).to.equal(client.state.sessionId);
    expect(saved.messages.length).to.be.greaterThan(0).and.lessThan(12);
    expect(saved.messages.at(-1)!.content).to.equal(client.state.messages.at(-1)!.content);
    const reopened = newClient({ storage: localStorageAdapter(), chatbotId });
    expect(reopened.client.state.messages.map((m) => m.content)).to.deep.equal(saved.messages.map((m) => m.content));
  });
});
