// Bot replies as a visitor sees them in the element: hostile shapes included.
import { expect } from '@open-wc/testing';
import { $, bubbles, depth, mount, service, waitFor } from './helpers.ts';


describe('<webchat-agent> bot replies', () => {
  it('shows the text of a reply nested 21,000 deep, in a bubble at most 32 elements deep', async () => {
    const { el, chatbotId } = await mount();
    // 63 KB: within the core's limit for one field (a longer reply is refused before this).
    const reply = `${'<b>'.repeat(21_000)}Deep down, the answer.`;
    await service.script(chatbotId, { body: { reply, sources: [], mode: 'bot' } });
    await el.send('Go deep');
    await waitFor(() => bubbles(el).includes('Deep down, the answer.'), 'the deep reply');
    const bubble = $(el, '[part~=message-bot] .bubble')!;
    expect(depth(bubble)).to.equal(32);
    expect(bubble.querySelectorAll('b').length).to.equal(32);
    // The conversation goes on as usual after it.
    await el.send('And now?');
    await waitFor(() => bubbles(el).includes('Echo: And now?'), 'the next reply');
  });
});
