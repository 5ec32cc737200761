// Message times: each row's time in the panel's language, the exact time for assistive
// technology, and the day heading the first message of each day.
import { expect } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { $, goLive, mount, service, timesShown, waitFor } from './helpers.ts';

const year = new Date().getFullYear();
const day1 = new Date(Date.UTC(year, 0, 5, 12, 0));
const day2 = new Date(Date.UTC(year, 0, 6, 12, 30));
const days = (el: WebChatAgent) => [...el.shadowRoot!.querySelectorAll('[role=log] [part~=day]')].map((d) => d.textContent);

describe('message times', () => {
  it('show where the day changes, and each message\'s time, in the panel\'s language', async () => {
    const { el, chatbotId } = await mount();
    el.lang = 'de';
    await el.updateComplete;
    const sessionId = await goLive(el, chatbotId);
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Erster Tag', createdAt: day1.toISOString() });
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Noch am ersten Tag', createdAt: new Date(day1.getTime() + 3600_000).toISOString() });
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Zweiter Tag', createdAt: day2.toISOString() });
    await waitFor(() => el.state.messages.filter((m) => m.sender === 'admin').length === 3, 'the messages');
    await el.updateComplete;
    await timesShown(el);
    const german = (date: Date) => new Intl.DateTimeFormat('de', { weekday: 'long', day: 'numeric', month: 'long' }).format(date);
    // The two days of the agent's messages, then today's (the visitor's request is the newest).
    expect(days(el)).to.deep.equal([german(day1), german(day2), german(new Date())]);
    expect(days(el)[0]).to.match(/^\w+, \d+\. Januar$/);
    // The day heads its message's row: one row per message still.
    const row = $(el, '[part~=message-agent]')!;
    expect(row.querySelector('[part~=day]')!.textContent).to.equal(german(day1));

    const time = row.querySelector('time')!;
    expect(time.dateTime).to.equal(day1.toISOString());
    expect(time.textContent).to.equal(new Intl.DateTimeFormat('de', { hour: 'numeric', minute: '2-digit' }).format(day1));
    expect(time.getAttribute('aria-label')).to.equal(new Intl.DateTimeFormat('de', { dateStyle: 'full', timeStyle: 'medium' }).format(day1));
    expect(time.getAttribute('aria-label')).to.include(String(year));
  });

  it('a plain message row stays small: three elements', async () => {
    const { el, chatbotId } = await mount();
    const sessionId = await goLive(el, chatbotId);
    await service.act(chatbotId, sessionId, { type: 'say', content: 'Hello' });
    // Not the day's first row (the visitor's request is): no day heading.
    const row = await waitFor(() => $(el, '[part~=message-agent]'), 'the agent message');
    expect([row, ...row.querySelectorAll('*')].map((node) => node.localName)).to.deep.equal(['div', 'div', 'time']);
  });
});
