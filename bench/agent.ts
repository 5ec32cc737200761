/**
 * The agent's side of live chat, over the reference server's socket: join a session as
 * admin, take it over, send messages. Every wait is bounded.
 */
import WebSocket from 'ws';
import { epochNow } from './stats.ts';

export interface Agent {
  send(content: string): void;
  /** Resolves with the epoch time the server had echoed `count` of this agent's messages back. */
  echoed(count: number): Promise<number>;
  close(): void;
}

export async function joinAsAgent(wsUrl: string, chatbotId: string, sessionId: string, token: string): Promise<Agent> {
  const socket = new WebSocket(wsUrl);
  let seq = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('agent: no takeover within 10 s')), 10_000);
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'client:join', chatbotId, sessionId, as: 'admin', token })));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; ok?: boolean; status?: string; message?: string };
      if (frame.type === 'livechat:error') reject(new Error(`agent refused: ${frame.message}`));
      if (frame.type === 'livechat:status' && frame.ok) {
        socket.send(JSON.stringify({ type: 'client:takeover', chatbotId, sessionId, agent: { name: 'Bench agent' } }));
      }
      if (frame.type === 'livechat:status' && frame.status === 'open') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  // The hub echoes every message to its author too: that echo marks when the server is done.
  let echoes = 0;
  let waiter: { count: number; resolve: (t: number) => void } | undefined;
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; sender?: string; clientMessageId?: string };
    if (frame.type !== 'livechat:message' || !frame.clientMessageId?.startsWith('bench-')) return;
    echoes++;
    if (waiter && echoes >= waiter.count) waiter.resolve(epochNow());
  });
  return {
    echoed(count) {
      const target = echoes + count;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('agent: echoes missing after 60 s')), 60_000);
        waiter = { count: target, resolve: (t) => (clearTimeout(timer), resolve(t)) };
      });
    },
    send(content) {
      socket.send(JSON.stringify({ type: 'client:message', chatbotId, sessionId, sender: 'admin', content, clientMessageId: `bench-${++seq}` }));
    },
    close: () => socket.close(),
  };
}
