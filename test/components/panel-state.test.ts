// The launcher's panel across a reload: as the visitor left it, and open for a live chat.
import { expect } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { $, button, goLive, mount, waitFor } from './helpers.ts';

/** The page reloaded: the element goes, a new one for the same chatbot comes. */
async function reload(el: WebChatAgent, chatbotId: string, persist = 'local'): Promise<WebChatAgent> {
  el.remove();
  return (await mount({ layout: 'launcher', persist, chatbotId })).el;
}

const panelShown = (el: WebChatAgent) => !$(el, '[part=panel]')!.closest('[hidden]');

describe('<webchat-agent> panel state across reloads', () => {
  afterEach(() => localStorage.clear());

  it('a panel left open opens again after a reload, without taking the focus', async () => {
    const { el, chatbotId } = await mount({ layout: 'launcher', persist: 'local' });
    button(el, 'Open chat')!.click();
    await waitFor(() => el.open, 'the panel open');
    const again = await reload(el, chatbotId);
    expect(again.open).to.equal(true);
    expect(panelShown(again)).to.equal(true);
    expect(button(again, 'Close chat')).to.not.equal(null);
    expect(again.shadowRoot!.activeElement).to.equal(null);
  });

  it('a live chat in progress opens the panel after a reload; a panel the visitor closed stays closed', async () => {
    const { el, chatbotId } = await mount({ layout: 'launcher', persist: 'local' });
    await goLive(el, chatbotId);
    const live = await reload(el, chatbotId);
    expect(live.open).to.equal(true);
    expect(panelShown(live)).to.equal(true);

    button(live, 'Close chat')!.click();
    await waitFor(() => !live.open, 'the panel closed');
    const closed = await reload(live, chatbotId);
    expect(closed.state.conversation).to.equal('waiting');
    expect(closed.open).to.equal(false);
  });

  it('with persist="none" nothing is kept', async () => {
    const { el, chatbotId } = await mount({ layout: 'launcher', persist: 'none' });
    button(el, 'Open chat')!.click();
    await waitFor(() => el.open, 'the panel open');
    expect((await reload(el, chatbotId, 'none')).open).to.equal(false);
    expect(Object.keys(localStorage).filter((key) => key.includes(chatbotId))).to.deep.equal([]);
  });

  describe('the panel opened or closed in another tab', () => {
    /** What another tab's element writes when its visitor opens or closes the panel. */
    const otherTab = (chatbotId: string, state: 'open' | 'closed') =>
      dispatchEvent(new StorageEvent('storage', { key: `webchat-agent:${chatbotId}:panel`, newValue: state, storageArea: localStorage }));

    /** Mounts with window's `storage` listeners counted as they come and go. */
    async function mountCounting(options: Parameters<typeof mount>[0]) {
      const listeners = new Set<unknown>();
      const add = window.addEventListener;
      const remove = window.removeEventListener;
      window.addEventListener = function (this: Window, type: string, listener: unknown, ...rest: unknown[]) {
        if (type === 'storage') listeners.add(listener);
        return (add as (...args: unknown[]) => void).call(this, type, listener, ...rest);
      } as typeof add;
      window.removeEventListener = function (this: Window, type: string, listener: unknown, ...rest: unknown[]) {
        if (type === 'storage') listeners.delete(listener);
        return (remove as (...args: unknown[]) => void).call(this, type, listener, ...rest);
      } as typeof remove;
      try {
        const mounted = await mount(options);
        return { ...mounted, listeners, restore: () => Object.assign(window, { addEventListener: add, removeEventListener: remove }) };
      } catch (error) {
        Object.assign(window, { addEventListener: add, removeEventListener: remove });
        throw error;
      }
    }

    it('a launcher kept in the local storage follows it', async () => {
      const { el, chatbotId, restore } = await mountCounting({ layout: 'launcher', persist: 'local' });
      try {
        otherTab(chatbotId, 'open');
        await waitFor(() => el.open, 'the panel open as in the other tab');
        otherTab(chatbotId, 'closed');
        await waitFor(() => !el.open, 'the panel closed as in the other tab');
        otherTab('another-chatbot', 'open');
        await el.updateComplete;
        expect(el.open).to.equal(false);
      } finally {
        restore();
      }
    });

    it('an element that keeps nothing in the local storage, or is inline, listens for no other tab until it does', async () => {
      const { el, chatbotId, listeners, restore } = await mountCounting({ layout: 'launcher', persist: 'none' });
      try {
        expect(listeners.size, 'storage listeners with persist="none"').to.equal(0);
        otherTab(chatbotId, 'open');
        await el.updateComplete;
        expect(el.open).to.equal(false);

        el.persist = 'session';
        await el.updateComplete;
        expect(listeners.size, 'with persist="session"').to.equal(0);

        el.persist = 'local';
        await el.updateComplete;
        expect(listeners.size, 'with persist="local"').to.equal(1);
        otherTab(chatbotId, 'open');
        await waitFor(() => el.open, 'the panel open as in the other tab');

        el.layout = 'inline';
        await el.updateComplete;
        expect(listeners.size, 'inline').to.equal(0);

        el.layout = 'launcher';
        await el.updateComplete;
        el.remove();
        expect(listeners.size, 'once removed from the page').to.equal(0);
        document.body.append(el);
        expect(listeners.size, 'back in the page').to.equal(1);
      } finally {
        restore();
        el.remove();
      }
    });
  });
});
