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
});
