/**
 * Typing, both ways. The visitor's indicator has one rule: it is sent only in live chat
 * (an agent may watch a waiting visitor type) on a joined visitor socket; it goes off by itself after a pause, and
 * before a message. The agent's indicator goes off by itself should its stop frame be lost.
 */
import { isLive, type Config, type Draft, type Effect } from './model.ts';

/** How long the agent's "typing" lasts without news. */
const AGENT_TYPING_MS = 8000;

export function startTyping(m: Draft, fx: Effect[], config: Config): void {
  if (!m.socket?.joined || m.socket.role !== 'user' || !isLive(m)) return;
  fx.push({ type: 'timer', name: 'typing', ms: config.typingTimeoutMs });
  if (!m.typingSent) typingFrame(m, fx, config, true);
}

export function stopTyping(m: Draft, fx: Effect[], config: Config): void {
  if (!m.typingSent) return;
  fx.push({ type: 'cancel', name: 'typing' });
  if (m.socket?.joined) typingFrame(m, fx, config, false);
  else m.typingSent = false;
}

export function agentTyping(m: Draft, fx: Effect[], isTyping: boolean): void {
  m.agentTyping = isTyping;
  if (isTyping) fx.push({ type: 'timer', name: 'agentTyping', ms: AGENT_TYPING_MS });
}

function typingFrame(m: Draft, fx: Effect[], config: Config, isTyping: boolean): void {
  m.typingSent = isTyping;
  fx.push({
    type: 'frame',
    frame: { type: 'client:typing', chatbotId: config.chatbotId, sessionId: m.sessionId!, sender: 'user', isTyping },
  });
}
