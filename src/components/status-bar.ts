/**
 * The live state in words: bot, waiting for an agent, agent joined, reconnecting (with a
 * countdown), offline, chat ended. The region is `role="status"`; the countdown's ticking
 * digits are hidden from screen readers so it is announced once, not every second.
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ChatState } from '../core/index.ts';
import { fill, type WebchatStrings } from './strings.ts';

export function statusText(state: ChatState, strings: WebchatStrings): string {
  const connection = state.connection.state;
  if (connection === 'offline') return strings.statusOffline;
  if (connection === 'reconnecting') return strings.statusReconnecting;
  if (state.conversation === 'waiting') return strings.statusWaiting;
  if (state.conversation === 'live') {
    if (connection === 'connecting') return strings.statusConnecting;
    return fill(strings.statusLive, { name: state.agent?.name || strings.agent });
  }
  return state.status === 'closed' ? strings.statusEnded : strings.statusBot;
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
    <span class="dots" aria-hidden="true"><i></i><i></i><i></i></span> ${fill(strings.typing, { name })}
  </div>`;
}

/** Re-renders the host every second while a reconnection countdown is showing. */
export class Countdown implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly state: () => ChatState,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const counting = this.state().connection.state === 'reconnecting';
    if (counting && !this.timer) this.timer = setInterval(() => this.host.requestUpdate(), 1000);
    if (!counting) this.hostDisconnected();
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

export const statusStyles = css`
  .status {
    font-size: 0.8em;
    color: var(--_muted);
  }
  .typing {
    padding: 0 0.9rem 0.3rem;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .dots i {
    display: inline-block;
    inline-size: 0.4em;
    block-size: 0.4em;
    margin-inline-end: 2px;
    border-radius: 50%;
    background: currentColor;
    animation: blink 1.2s infinite both;
  }
  .dots i:nth-child(2) {
    animation-delay: 0.2s;
  }
  .dots i:nth-child(3) {
    animation-delay: 0.4s;
  }
  @keyframes blink {
    0%,
    80%,
    100% {
      opacity: 0.25;
    }
    40% {
      opacity: 1;
    }
  }
  .error {
    margin: 0;
    padding: 0.3rem 0.9rem;
    font-size: 0.85em;
    color: var(--_danger);
  }
`;
