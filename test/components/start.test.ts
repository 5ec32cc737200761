// A conversation that starts well: the greeting and the suggested questions, shown in the
// empty panel, never sent as messages; a suggestion sends itself on click.
import { expect, fixture, html } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { freshChatbotId } from '../support/control.ts';
import { $, bubbles, mount, service, waitFor } from './helpers.ts';

/** The greeting row as read: who says it, and what. */
const greeting = (el: WebChatAgent) => {
  const row = $(el, '[role=log] [part=greeting]');
  return row ? [...row.children].map((part) => part.textContent!.trim()).join(' ') : null;
};
const suggestions = (el: WebChatAgent) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role=group][aria-label="Suggested questions"] button')];

describe('the greeting', () => {
  it('shows the locale\'s greeting as the bot\'s first words, and is never sent nor kept', async () => {
    const { el, chatbotId } = await mount();
    expect(greeting(el)).to.equal('Assistant Hello! How can I help you today?');
    await el.send('Hi');
    await waitFor(() => bubbles(el).includes('Echo: Hi'), 'the answer');
    expect(greeting(el), 'still first').to.equal('Assistant Hello! How can I help you today?');
    expect(el.state.messages.map((m) => m.content)).to.deep.equal(['Hi', 'Echo: Hi']);
    const { requests } = await service.log(chatbotId);
    expect(requests.map((r) => (r.body as { message?: string } | undefined)?.message)).to.deep.equal(['Hi']);
  });

  it('takes the greeting attribute, and none when it is empty', async () => {
    const el = await fixture<WebChatAgent>(html`<webchat-agent chatbot-id=${freshChatbotId()} base-url=${service.url} layout="inline" persist="none"
      greeting="Hi, I am Ada, the HR assistant."></webchat-agent>`);
    expect(greeting(el)).to.equal('Assistant Hi, I am Ada, the HR assistant.');
    el.greeting = '';
    await el.updateComplete;
    expect(greeting(el)).to.equal(null);
  });
});

describe('suggested questions', () => {
  it('show as buttons in the empty panel; a click sends one as the visitor\'s message, and they go', async () => {
    const el = await fixture<WebChatAgent>(html`<webchat-agent chatbot-id=${freshChatbotId()} base-url=${service.url} layout="inline" persist="none"
      suggestions="How do I reset my password?|Where is the VPN guide?"></webchat-agent>`);
    expect(suggestions(el).map((b) => b.textContent)).to.deep.equal(['How do I reset my password?', 'Where is the VPN guide?']);
    suggestions(el)[1]!.click();
    await waitFor(() => bubbles(el).includes('Echo: Where is the VPN guide?'), 'the answer');
    expect(el.state.messages.map((m) => [m.sender, m.content])).to.deep.equal([['user', 'Where is the VPN guide?'], ['bot', 'Echo: Where is the VPN guide?']]);
    expect(suggestions(el)).to.deep.equal([]);
  });

  it('read `|` between texts, show at most 4, and take the property', async () => {
    const el = await fixture<WebChatAgent>(html`<webchat-agent chatbot-id=${freshChatbotId()} base-url=${service.url} layout="inline" persist="none"
      suggestions="Opening hours? | Holiday request"></webchat-agent>`);
    expect(suggestions(el).map((b) => b.textContent)).to.deep.equal(['Opening hours?', 'Holiday request']);
    el.suggestions = ['One', 'Two', 'Three', 'Four', 'Five', 'Six'];
    await el.updateComplete;
    expect(suggestions(el).map((b) => b.textContent)).to.deep.equal(['One', 'Two', 'Three', 'Four']);
  });

  it('are named in the panel\'s language, and the greeting too', async () => {
    const el = await fixture<WebChatAgent>(html`<webchat-agent chatbot-id=${freshChatbotId()} base-url=${service.url} layout="inline" persist="none"
      lang="es" suggestions="¿Horario?"></webchat-agent>`);
    await waitFor(() => $(el, '[role=group][aria-label="Preguntas sugeridas"]'), 'the Spanish group name');
    expect(greeting(el)).to.equal('Asistente ¡Hola! ¿En qué puedo ayudarte?');
  });
});
