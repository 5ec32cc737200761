/**
 * The agent's side of live chat, over the reference server's socket: join a session as
 * admin, take it over, send messages. Every wait is bounded.
 */
import WebSocket from 'ws';

export interface Agent {
  send(content: string): void;
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
  return {
    send(content) {
      socket.send(JSON.stringify({ type: 'client:message', chatbotId, sessionId, sender: 'admin', content, clientMessageId: `bench-${++seq}` }));
    },
    close: () => socket.close(),
  };
}
