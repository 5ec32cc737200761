// The visitor's identity [ext] and translation on the element: what the service hears, whose
// conversation shows, and a translated message with its original at hand.
import { expect } from '@open-wc/testing';
import { $, bubbles, goLive, mount, service, waitFor } from './helpers.ts';

describe('the visitor property [ext]', () => {
  it('goes with the visitor\'s messages; another visitor starts a new conversation, and the last one\'s never shows', async () => {
    const { el, chatbotId } = await mount({ persist: 'local' });
    el.visitor = { id: 'e-17', name: 'Alice Meyer', email: 'alice@intranet.example', attributes: { department: 'HR' } };
    await el.updateComplete;
    await el.send('My salary slip is wrong');
    await waitFor(() => bubbles(el).includes('Echo: My salary slip is wrong'), 'the answer');
    const alice = el.state.sessionId;
    // The same person in a new object: nothing changes.
    el.visitor = { ...el.visitor! };
    await el.updateComplete;
    expect(el.state.sessionId).to.equal(alice);

    el.visitor = { id: 'e-42', name: 'Bob Stone' };
    await el.updateComplete;
    expect(bubbles(el)).to.deep.equal([]);
    expect(el.state.sessionId).to.equal(null);
    await el.send('Hello');
    await waitFor(() => bubbles(el).includes('Echo: Hello'), 'the answer');
    expect(el.state.sessionId).not.to.equal(alice);
    const posts = (await service.log(chatbotId)).requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.sessionHeader === null, (r.body as { visitor?: { id?: string } }).visitor?.id])).to.deep.equal([[true, 'e-17'], [true, 'e-42']]);
    // Nothing of Alice's is kept on this device any more.
    expect(Object.keys(localStorage).filter((key) => key.includes(chatbotId)).map((key) => localStorage.getItem(key)).join()).not.to.include('salary');
    localStorage.clear();
  });
});

describe('the translate attribute', () => {
  it('asks for translation on the join, and a translated message shows with its original one click away', async () => {
    const { el, chatbotId } = await mount();
    el.lang = 'de';
    el.translate = true;
    await el.updateComplete;
    const sessionId = await goLive(el, chatbotId);
    const join = (await service.log(chatbotId)).frames.map((f) => f.frame).find((f) => f.type === 'client:join');
    expect(join).to.include({ lang: 'de', translateEnabled: true, retranslateBacklog: true });
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Ich sehe mir das an.', originalContent: 'Let me look into that.', agent: { name: 'Dana' } });
    const row = await waitFor(() => $(el, '[part~=message-agent]'), 'the agent message');
    expect(row.querySelector('[part=bubble]')!.textContent).to.equal('Ich sehe mir das an.');
    const original = row.querySelector<HTMLDetailsElement>('details[part=original]')!;
    await waitFor(() => original.querySelector('summary')!.textContent === 'Original anzeigen', 'the German control');
    expect(original.open).to.equal(false);
    expect(original.querySelector('div')!.checkVisibility()).to.equal(false);
    original.querySelector('summary')!.click();
    expect(original.open).to.equal(true);
    expect(original.querySelector('div')!.checkVisibility()).to.equal(true);
    expect(original.querySelector('div')!.textContent).to.equal('Let me look into that.');
  });
});
