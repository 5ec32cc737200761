/**
 * Whether the launcher's panel was open, kept beside the conversation (the same storage the
 * `persist` attribute chose, per chatbot), so a reload or a navigation in the same tab
 * brings the chat back as the visitor left it. A live chat in progress opens the panel
 * too, unless the visitor closed it: their choice is what is stored.
 */
import type { StorageAdapter } from '../core/types.ts';

const key = (chatbotId: string) => `webchat-agent:${chatbotId}:panel`;

/** Whether the panel should open on load: as stored, else open for a live chat. */
export function panelWasOpen(storage: StorageAdapter, chatbotId: string, live: boolean): boolean {
  let stored: string | null = null;
  try {
    stored = storage.getItem(key(chatbotId));
  } catch {
    // Unreadable storage: as if nothing was stored.
  }
  return stored === null ? live : stored === 'open';
}

export function rememberPanel(storage: StorageAdapter, chatbotId: string, open: boolean): void {
  try {
    storage.setItem(key(chatbotId), open ? 'open' : 'closed');
  } catch {
    // A full storage keeps the conversation's room: the panel's state is the lesser loss.
  }
}

/** The panel opened or closed in another tab of the same conversation (`persist="local"`):
 * one conversation, one panel state. Returns the function that stops listening. */
export function followPanelElsewhere(chatbotId: () => string | undefined, apply: (open: boolean) => void): () => void {
  const onStorage = (event: StorageEvent) => {
    const id = chatbotId();
    if (!id || event.key !== key(id) || event.storageArea !== localStorage || event.newValue === null) return;
    apply(event.newValue === 'open');
  };
  addEventListener('storage', onStorage);
  return () => removeEventListener('storage', onStorage);
}
