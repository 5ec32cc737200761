/**
 * The live-chat socket: opens `ws(s)://…/api/livechat`, parses every frame it receives and
 * serialises every frame it sends. What to send and when is the conversation's business.
 */
import { liveChatUrl, parseServerFrame } from './protocol.ts';
import type { ClientFrame, FrameParse, ServerFrame } from './protocol.ts';
import type { WebSocketFactory, WebSocketLike } from './types.ts';

export interface LiveChatHandlers {
  open(): void;
  frame(parse: FrameParse<ServerFrame>): void;
  /** Once, whether the socket closed, failed to open or was never created; with the close code when there is one. */
  close(code?: number): void;
}

export interface LiveChatSocket {
  send(frame: ClientFrame): void;
  /** Closes without calling `handlers.close`: the caller meant it. */
  close(): void;
}

const OPEN = 1;

export function openLiveChat(WebSocketImpl: WebSocketFactory | undefined, baseUrl: string, handlers: LiveChatHandlers): LiveChatSocket {
  let socket: WebSocketLike | null = null;
  try {
    socket = new WebSocketImpl!(liveChatUrl(baseUrl));
  } catch {
    queueMicrotask(() => handlers.close());
  }
  if (socket) {
    socket.onopen = () => handlers.open();
    socket.onmessage = (event) => handlers.frame(typeof event.data === 'string' ? parseServerFrame(event.data) : { kind: 'invalid', reason: 'not text' });
    socket.onclose = (event) => handlers.close(event?.code);
    // An error is always followed by a close, which is where reconnecting starts.
    socket.onerror = () => {};
  }
  return {
    send(frame) {
      if (socket?.readyState === OPEN) socket.send(JSON.stringify(frame));
    },
    close() {
      if (!socket) return;
      socket.onclose = socket.onmessage = socket.onopen = null;
      socket.close(1000);
    },
  };
}
