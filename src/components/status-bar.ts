/**
 * The live state in words: bot, waiting for an agent, agent joined, reconnecting (with a
 * countdown), offline, chat ended. The region is `role="status"`; the countdown's ticking
 * digits are hidden from screen readers so it is announced once, not every second.
 */
import { css } from '@lit/reactive-element';
import { html, nothing } from 'lit-html';
import type { ChatState } from '../core/index.ts';
import { fill, type WebchatStrings } from './strings.ts';

export function statusText(state: ChatState, strings: WebchatStrings): string {
  const connection = state.connection.state;
  if (connection === 'offline') return strings.statusOffline;
  if (connection === 'reconnecting') return strings.statusReconnecting;
  if (state.conversation === 'waiting') return strings.statusWaiting;
  if (state.conversation === 'live') return fill(strings.statusLive, { name: state.agent?.name || strings.agent });
  return state.ended ? strings.statusEnded : strings.bot;
}

/** Whole seconds until the next reconnection attempt, or null when not reconnecting. */
export function secondsToRetry(state: ChatState, now: number): number | null {
  const c = state.connection;
  return c.state === 'reconnecting' ? Math.max(0, Math.ceil((c.retryAt - now) / 1000)) : null;
}

export function renderStatus(state: ChatState, strings: WebchatStrings, now: number) {
  const seconds = secondsToRetry(state, now);
  return html`<div class="status" part="status" role="status">
    ${statusText(state, strings)}${seconds === null
      ? nothing
      : html` <span aria-hidden="true">${fill(strings.retryIn, { seconds })}</span>`}
  </div>`;
}

export function renderTyping(state: ChatState, strings: WebchatStrings) {
  if (!state.typing) return nothing;
  const name = state.conversation === 'live' ? state.agent?.name || strings.agent : strings.bot;
  return html`<div class="typing" part="typing">
    <span class="dots" aria-hidden="true">•••</span> ${fill(strings.typing, { name })}
  </div>`;
}


export const statusStyles = css`
  .status,
  .typing,
  .counter {
    font-size: 0.8em;
    color: var(--_mut);
  }
  .typing {
    margin: 0;
    padding: 0 0.9rem 0.3rem;
  }
  .failed,
  .over {
    color: var(--_err);
  }
  .dots {
    animation: blink 1.2s infinite;
  }
  @keyframes blink {
    50% {
      opacity: 0.3;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .dots {
      animation: none;
    }
  }
`;
