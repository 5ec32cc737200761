// The page's first times. Its first date formatter costs tens of milliseconds (ICU loads its
// date data), as much as the rest of a long restore, so restored rows paint first and show
// their times and day lines once the page is next idle, in the room the rows kept for them.
// The live log announces none of it. This file's page formats no date before its one test.
import { expect } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import type { ChatMessage } from '../../src/core/index.ts';
import { freshChatbotId } from '../support/control.ts';
import { mount, persistTranscript, service, timesShown, waitFor } from './helpers.ts';

const at = (daysAgo: number, hours: number, minutes: number) => {
  const date = new Date();
  date.setDate(date.getDate() - daysAgo);
  date.setHours(hours, minutes, 0, 0);
  return date;
};
const dates = [at(1, 9, 15), at(1, 9, 16), at(0, 10, 30), at(0, 10, 31)];
const messages: ChatMessage[] = dates.map((date, i) => {
  const id = `m-${i}`;
  return i % 2
    ? { id, serverId: id, sender: 'bot', content: `<p>Answer ${i}</p>`, html: true, sources: [], createdAt: date.toISOString() }
    : { id, serverId: id, sender: 'user', content: `Question ${i}`, html: false, sources: [], createdAt: date.toISOString(), delivery: 'sent' };
});

const log = (el: WebChatAgent) => el.shadowRoot!.querySelector<HTMLElement>('[role=log]')!;
const times = (el: WebChatAgent) => [...log(el).querySelectorAll('time')];
const days = (el: WebChatAgent) => [...log(el).querySelectorAll('[part~=day]')].map((day) => day.textContent);
/** Where each row and each of its parts sits in the log's content, and how tall it is. */
const boxes = (el: WebChatAgent) => {
  const top = log(el).getBoundingClientRect().top - log(el).scrollTop;
  return [...log(el).querySelectorAll('.message, .message > *')].map((node) => {
    const box = node.getBoundingClientRect();
    return [node.localName, Math.round(box.top - top), Math.round(box.height)];
  });
};
const format = (date: Date, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en', options).format(date);
const dayOf = (date: Date) =>
  format(date, { weekday: 'long', day: 'numeric', month: 'long', ...(date.getFullYear() === new Date().getFullYear() ? {} : { year: 'numeric' }) });

describe('<webchat-agent> the page\'s first times', () => {
  it('come after the restored rows have painted, in the room the rows kept for them: nothing moves', async () => {
    const chatbotId = freshChatbotId();
    await service.configure(chatbotId, { historyMissing: true });
    persistTranscript(chatbotId, messages);
    // Frames held until the rows have been looked at: the times wait for the first one, so
    // what is seen below is the rows as the first frame paints them, however long they took.
    const held: FrameRequestCallback[] = [];
    const frame = window.requestAnimationFrame;
    window.requestAnimationFrame = (callback) => held.push(callback);
    let el: WebChatAgent;
    try {
      ({ el } = await mount({ persist: 'local', chatbotId }));
      await waitFor(() => times(el).length === 4, 'the restored rows');
    } finally {
      window.requestAnimationFrame = frame;
    }
    for (const callback of held) frame(callback);

    // The rows are there with their times' place: each time's moment, its text still to come.
    expect(times(el).map((time) => time.dateTime)).to.deep.equal(dates.map((date) => date.toISOString()));
    expect(times(el).map((time) => time.textContent)).to.deep.equal(Array(4).fill('\u00a0'));
    expect(times(el).filter((time) => time.hasAttribute('aria-label'))).to.have.length(0);
    expect(days(el)).to.deep.equal(['\u00a0', '\u00a0']);
    const before = boxes(el);
    // What the live log does meanwhile: the times arriving are rows changing, not news.
    const seen: string[] = [];
    const watch = new MutationObserver((records) => {
      for (const record of records) {
        const what = record.type === 'attributes' ? `aria-live=${log(el).getAttribute('aria-live')}` : 'text';
        if (seen.at(-1) !== what) seen.push(what);
      }
    });
    watch.observe(log(el), { attributes: true, attributeFilter: ['aria-live'], characterData: true, subtree: true });

    await timesShown(el);
    await waitFor(() => seen.at(-1) === 'aria-live=polite', 'the log announcing again');
    watch.disconnect();
    expect(seen).to.deep.equal(['aria-live=off', 'text', 'aria-live=polite']);
    expect(times(el).map((time) => time.textContent)).to.deep.equal(dates.map((date) => format(date, { hour: 'numeric', minute: '2-digit' })));
    expect(times(el)[0]!.getAttribute('aria-label')).to.equal(format(dates[0]!, { dateStyle: 'full', timeStyle: 'medium' }));
    expect(days(el)).to.deep.equal([dayOf(dates[0]!), dayOf(dates[2]!)]);
    expect(boxes(el)).to.deep.equal(before);
  });
});
