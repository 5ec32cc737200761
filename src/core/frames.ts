/**
 * What the live-chat socket brings: the join's answer, status changes, messages (an echo
 * confirms the visitor's own), typing, the end, refusals. [doc] The session guard holds
 * for all of them: only events for the joined session count.
 */
import { applyStatus, backToBot, fail, isLive, type Config, type Draft, type Effect } from './model.ts';
import type { FrameParse, LiveMessageFrame, ServerFrame } from './protocol.ts';
import { gone } from './rest.ts';
import { confirmed, heard, joined, refused, sync } from './socket.ts';
import { failOutbox } from './socket-base.ts';
import { add, find, patch } from './transcript.ts';
import { agentTyping } from './typing.ts';
import { limitsKnown } from './file-sends.ts';
import type { ChatError, ChatMessage } from './types.ts';

export function onFrame(m: Draft, fx: Effect[], config: Config, parse: FrameParse<ServerFrame>): void {
  heard(m);
  if (parse.kind === 'ignored') return;
  if (parse.kind === 'invalid') {
    fail(m, fx, { code: 'invalid_frame', message: `The live chat sent an invalid frame (${parse.reason}).` });
    return;
  }
  const frame = parse.frame;
  const socket = m.socket!;
  // A heartbeat's answer belongs to the socket, not to a session.
  if (frame.type === 'livechat:pong') return;
  // [doc] The session guard. The one exception: the answer to this socket's pending join,
  // which carries no sessionId (the acknowledgement, or a refusal of the join).
  const pending = socket.asked && !socket.joined;
  const answersJoin = frame.sessionId === undefined && pending;
  if (frame.sessionId !== m.sessionId && !answersJoin) return;
  switch (frame.type) {
    case 'livechat:status':
      // The acknowledgement, with no sessionId [doc] or (a server may add it) this one.
      if (frame.ok) {
        if (!pending) return;
        joined(m, fx, config, frame.heartbeatMs);
        // [ext] What the server takes in files: the uploads waiting for it can start.
        return limitsKnown(m, fx, config, frame.files);
      }
      if (answersJoin) return;
      if (frame.agent) m.agent = frame.agent;
      m.statusSeq++;
      applyStatus(m, frame.mode ?? m.mode, frame.status ?? m.status);
      sync(m, fx, config);
      return;
    case 'livechat:message': {
      if (socket.role === 'widget' || !isLive(m)) {
        // A socket watching a bot conversation (a widget, or the visitor's lingering after an
        // end): the bot's and the visitor's messages come over REST, and would show twice;
        // an agent's on a widget means a takeover; system notices are news either way.
        if (frame.sender !== 'admin' && frame.sender !== 'system') return;
        // A goodbye on the lingering socket is no takeover: only a status frame reopens.
        if (frame.sender === 'admin' && socket.role === 'widget') {
          m.statusSeq++;
          applyStatus(m, 'human', 'open');
        }
      }
      if (frame.sender === 'admin') {
        m.agentTyping = false;
        if (frame.agent) m.agent = frame.agent;
      }
      receive(m, fx, frame);
      sync(m, fx, config);
      return;
    }
    case 'livechat:typing':
      if (frame.sender !== 'user') agentTyping(m, fx, frame.isTyping);
      return;
    case 'livechat:ended':
      m.statusSeq++;
      backToBot(m);
      sync(m, fx, config);
      return;
    case 'livechat:error': {
      const error: ChatError = { code: 'live_chat_refused', message: frame.message, serverCode: frame.code };
      if (gone(error) || frame.code === 'unauthorized') return refused(m, fx, error);
      const shown = fail(m, fx, error);
      // Once joined, a refusal most likely concerns a message (rate limited, invalid).
      if (socket.joined) failOutbox(m, shown);
      return;
    }
    case 'livechat:sessions':
      return;
  }
}

/** A message from the socket: an echo confirms the visitor's own, anything else is new. */
function receive(m: Draft, fx: Effect[], frame: LiveMessageFrame): void {
  const existing = find(m.messages, frame.id, frame.clientMessageId) ?? (frame.sender === 'user' && !frame.clientMessageId ? pendingEcho(m, frame.content) : undefined);
  const fields = {
    serverId: frame.id,
    sender: frame.sender,
    content: frame.content,
    html: frame.sender === 'bot',
    sources: frame.sources ?? [],
    createdAt: frame.createdAt,
    agent: frame.agent ?? undefined,
    original: frame.originalContent ?? undefined,
    attachments: frame.attachments ?? undefined,
  };
  if (existing) {
    patch(m, { ...existing, ...fields, delivery: existing.delivery && 'sent', error: undefined });
    if (m.outbox.includes(existing.id)) confirmed(m, fx, existing.id);
  } else {
    const own = frame.sender === 'user' ? { delivery: 'sent' as const } : {};
    add(m, fx, { id: frame.clientMessageId ?? frame.id, clientMessageId: frame.clientMessageId ?? undefined, ...fields, ...own });
  }
}

/** [doc] The hosted service may echo the visitor's message without its clientMessageId. The
 * socket keeps order: the echo confirms the oldest pending message, preferably the same text. */
function pendingEcho(m: Draft, content: string): ChatMessage | undefined {
  const waiting = m.messages.filter((x) => m.outbox.includes(x.id));
  return waiting.find((x) => x.content === content) ?? waiting[0];
}
