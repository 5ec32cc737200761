/**
 * Storage adapters. The browser ones never crash a page: when storage is unavailable
 * (sandboxed iframe, privacy settings) they are memory storage; when a write is refused
 * (quota) the value is kept in memory for this page and the error is rethrown, so the
 * writer can shed weight and try again (the client drops its oldest messages).
 */
import type { StorageAdapter } from './types.ts';

export function memoryStorage(): StorageAdapter {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

export function localStorageAdapter(): StorageAdapter {
  return webStorage('localStorage');
}

export function sessionStorageAdapter(): StorageAdapter {
  return webStorage('sessionStorage');
}

function webStorage(name: 'localStorage' | 'sessionStorage'): StorageAdapter {
  const memory = memoryStorage();
  let store: StorageAdapter | undefined;
  try {
    // Merely reading `window.localStorage` throws in a sandboxed iframe.
    store = (globalThis as unknown as Record<string, StorageAdapter | undefined>)[name];
    const probe = '__webchat-agent-probe__';
    store?.setItem(probe, probe);
    store?.removeItem(probe);
  } catch {
    store = undefined;
  }
  if (!store) return memory;
  const real = store;
  return {
    getItem(key) {
      const refused = memory.getItem(key);
      if (refused !== null) return refused;
      try {
        return real.getItem(key);
      } catch {
        return null;
      }
    },
    setItem(key, value) {
      try {
        real.setItem(key, value);
        memory.removeItem(key);
      } catch (error) {
        memory.setItem(key, value);
        throw error;
      }
    },
    removeItem(key) {
      memory.removeItem(key);
      try {
        real.removeItem(key);
      } catch {
        // Nothing to forget where nothing could be stored.
      }
    },
  };
}
