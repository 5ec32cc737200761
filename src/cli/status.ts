/**
 * The one status line: who the visitor is talking to and whether the link is up. Plain
 * text; the caller paints it and decides where it goes.
 */
import type { ChatState } from '../core/index.ts';
import { stripControls } from './render.ts';

export function statusText(state: ChatState, now: number, { typing = true } = {}): string {
  const parts: string[] = [];
  const name = stripControls(state.agent?.name ?? '').trim();
  if (state.conversation === 'waiting') parts.push('Waiting for an agent…');
  else if (state.conversation === 'live') parts.push(name ? `Live chat with ${name}` : 'Live chat with an agent');

  const { connection } = state;
  if (connection.state === 'reconnecting') {
    const seconds = Math.max(0, Math.ceil((connection.retryAt - now) / 1000));
    parts.push(seconds > 0 ? `connection lost, reconnecting in ${seconds}s…` : 'reconnecting…');
  } else if (connection.state === 'connecting' && connection.attempt > 0) {
    parts.push('reconnecting…');
  } else if (connection.state === 'offline') {
    parts.push('offline, waiting for the network…');
  }

  if (typing && state.typing) parts.push(state.conversation === 'live' ? `${name || 'the agent'} is typing…` : 'the assistant is typing…');
  return parts.join(' · ');
}

/** Whether the text changes by itself with time (a countdown), so it needs a clock tick. */
export const needsTick = (state: ChatState): boolean => state.connection.state === 'reconnecting';
