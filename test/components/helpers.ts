// Mounting <webchat-agent> against the fake WebChatAgent service, and reading its shadow DOM
// the way a visitor perceives it (roles, names, visible text).
import { fixture, html } from '@open-wc/testing';
import { nothing } from 'lit';
import '../../src/index.ts';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import type { ChatMessage } from '../../src/core/index.ts';
import { service } from '../support/browser-service.ts';
import { freshChatbotId, waitFor } from '../support/control.ts';

export { service, waitFor };

export interface Mounted {
  el: WebChatAgent;
  chatbotId: string;
}

export async function mount(
  options: { layout?: string; persist?: string; open?: boolean; chatbotId?: string; style?: string } = {},
): Promise<Mounted> {
  const chatbotId = options.chatbotId ?? freshChatbotId();
  const el = await fixture<WebChatAgent>(html`<webchat-agent
    chatbot-id=${chatbotId}
    base-url=${service.url}
    layout=${options.layout ?? 'inline'}
    persist=${options.persist ?? 'none'}
    ?open=${options.open ?? false}
    class=${options.style ?? nothing}
  ></webchat-agent>`);
  return { el, chatbotId };
}

export const $ = <T extends Element = HTMLElement>(el: WebChatAgent, selector: string): T | null =>
  el.shadowRoot!.querySelector<T>(selector);

export const textarea = (el: WebChatAgent) => $<HTMLTextAreaElement>(el, 'textarea[aria-label="Message"]')!;

/** A button by its accessible name (its aria-label or its text). */
export function button(el: WebChatAgent, name: string): HTMLButtonElement | null {
  return (
    [...el.shadowRoot!.querySelectorAll('button')].find(
      (b) => (b.getAttribute('aria-label') ?? b.textContent!.trim()) === name && !b.closest('[hidden]'),
    ) ?? null
  );
}

/** What has the keyboard focus inside the element, e.g. `button "Send", part send` (or "nothing"). */
export function focused(el: WebChatAgent): string {
  const f = el.shadowRoot!.activeElement;
  return f ? `${f.localName} "${f.getAttribute('aria-label') ?? f.textContent!.trim()}", part ${f.getAttribute('part')}` : 'nothing';
}

export const statusText = (el: WebChatAgent) => $(el, '[role=status]')!.textContent!.replace(/\s+/g, ' ').trim();

/** The sender's name a row shows: the row's own text, beside its parts. */
export const senderOf = (row: Element) => [...row.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join('');

export const bubbles = (el: WebChatAgent) => [...el.shadowRoot!.querySelectorAll('[role=log] .bubble')].map((b) => b.textContent);

/** Asks for a human and waits for the live-chat socket; with `agent`, that agent takes over.
 * Returns the session id. */
export async function goLive(el: WebChatAgent, chatbotId: string, agent?: string): Promise<string> {
  await el.requestHuman();
  await waitFor(() => el.state.connection.state === 'joined', 'the live-chat socket joined');
  const sessionId = el.state.sessionId!;
  if (agent) {
    await service.act(chatbotId, sessionId, { type: 'takeover', agent: { name: agent } });
    await waitFor(() => statusText(el) === `${agent} joined the chat`, 'the agent joined');
  }
  return sessionId;
}

/** Types into the composer as a visitor does (real key presses). */
export async function typeText(el: WebChatAgent, text: string): Promise<void> {
  const { sendKeys } = await import('@web/test-runner-commands');
  textarea(el).focus();
  await sendKeys({ type: text });
}

/** Presses a key, e.g. `Enter`, or a chord, e.g. `Shift+Enter`. */
export async function press(keys: string): Promise<void> {
  const { sendKeys } = await import('@web/test-runner-commands');
  const [key, ...modifiers] = keys.split('+').reverse();
  for (const m of modifiers) await sendKeys({ down: m });
  await sendKeys({ press: key! });
  for (const m of modifiers) await sendKeys({ up: m });
}

/** Stores a transcript the way the core persists it, for the element to restore. */
export function persistTranscript(chatbotId: string, messages: ChatMessage[], sessionId = `s-${chatbotId}`): void {
  localStorage.setItem(`webchat-agent:${chatbotId}`, JSON.stringify({ sessionId, mode: 'bot', status: null, messages }));
}

/** Waits for the log's times and day lines: the page's first ones come when it is next idle
 * after the rows painted (times.ts); until then each keeps its room with a no-break space. */
export const timesShown = (el: WebChatAgent) =>
  waitFor(() => ![...el.shadowRoot!.querySelectorAll('[role=log] time, [role=log] [part~=day]')].some((node) => node.textContent === '\u00a0'), 'the times');

/** How many elements deep the deepest one sits below `root`. */
export const depth = (root: Node): number =>
  Math.max(0, ...[...root.childNodes].map((child) => (child instanceof Element ? 1 + depth(child) : 0)));
