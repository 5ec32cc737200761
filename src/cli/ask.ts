/**
 * One-shot mode for scripts: one question, one answer, an exit code a script can branch on.
 * Always a new conversation in memory: a script's questions do not pile up in the user's
 * stored chat.
 */
import { WebSocket } from 'ws';
import { createChatClient, isValidMessageText, memoryStorage, MAX_MESSAGE_LENGTH } from '../core/index.ts';
import type { ChatError, ChatState } from '../core/index.ts';
import { UsageError, type Config } from './args.ts';
import { EXIT } from './exit-codes.ts';
import { formatMessage, htmlToTerminal, stripControls } from './render.ts';
import type { Style } from './style.ts';

export interface AskIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  style: Style;
}

/** Which failures a retry later could fix (2) and which are the caller's to fix (64). */
export function exitCodeFor(error: ChatError): number {
  return error.code === 'invalid_message' ? EXIT.usage : EXIT.unavailable;
}

export function checkQuestion(question: string): string {
  const text = question.trim();
  if (!isValidMessageText(text)) {
    throw new UsageError(text === '' ? 'no question: pass it after ask, or on stdin' : `the question is longer than ${MAX_MESSAGE_LENGTH} characters`);
  }
  return text;
}

export async function ask(config: Config, question: string, json: boolean, io: AskIo): Promise<number> {
  const client = createChatClient({ ...config, WebSocket, storage: memoryStorage() });
  let state: ChatState;
  try {
    await client.send(checkQuestion(question));
    state = client.state;
  } finally {
    // A handover opens the live-chat socket by itself: a script that stops here must not keep it.
    client.dispose();
  }

  const mine = state.messages.findLast((m) => m.sender === 'user');
  const error = mine?.delivery === 'failed' ? (mine.error ?? state.error) : null;
  if (error) {
    if (json) io.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message, status: error.status ?? null } })}\n`);
    else io.stderr.write(`webchat-agent: ${stripControls(error.message)}${error.status ? ` (HTTP ${error.status})` : ''}\n`);
    return exitCodeFor(error);
  }

  const reply = state.messages.findLast((m) => m.sender === 'bot');
  const handedOver = state.mode === 'human';
  if (json) {
    const body = {
      reply: reply?.content ?? '',
      text: reply ? htmlToTerminal(reply.content, { ...io.style, color: false, hyperlinks: false, paint: (_, t) => t }) : '',
      sources: reply?.sources ?? [],
      mode: state.mode,
      status: state.status,
      sessionId: state.sessionId,
    };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else if (reply) {
    io.stdout.write(`${formatMessage(reply, io.style, { label: false })}\n`);
  }
  if (handedOver && !json) io.stderr.write('webchat-agent: the assistant handed the conversation over to a person; run webchat-agent to chat\n');
  return handedOver ? EXIT.handover : EXIT.ok;
}
