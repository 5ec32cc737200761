/**
 * One full journey against a real server, printed frame by frame:
 * bot answer with sources → escalation → takeover → agent message → end → bot again.
 * Run: `node --import tsx server/journey.ts`
 */
import WebSocket from 'ws';
import { DEFAULT_HUMAN_REQUEST, liveChatUrl, SESSION_HEADER, type ClientFrame } from '../src/core/protocol.ts';
import { startServer } from './app.ts';

const server = await startServer({ port: 0 });
const log = (line: string) => console.log(line);
const show = (value: unknown) => JSON.stringify(value);

let sessionId = '';
async function post(message: string): Promise<void> {
  const body = { message, chatbotId: 'demo', pageUrl: 'http://localhost/intranet/it' };
  log(`\nvisitor → POST /api/chat ${show(body)}${sessionId ? `  [${SESSION_HEADER}: ${sessionId}]` : ''}`);
  const res = await fetch(`${server.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sessionId && { [SESSION_HEADER]: sessionId }) },
    body: JSON.stringify(body),
  });
  sessionId = res.headers.get(SESSION_HEADER) ?? sessionId;
  log(`visitor ← ${res.status} [${SESSION_HEADER}: ${sessionId}] ${show(await res.json())}`);
}

/** A socket that prints what it receives and can wait for a frame. */
async function connect(name: string) {
  const ws = new WebSocket(liveChatUrl(server.url));
  const frames: Array<Record<string, any>> = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    frames.push(frame);
    log(`${name} ⇐ ${show(frame)}`);
    waiters.splice(0).forEach((wake) => wake());
  });
  await new Promise((resolve) => ws.once('open', resolve));
  let seen = 0;
  return {
    send(frame: ClientFrame) {
      log(`${name} ⇒ ${show(frame)}`);
      ws.send(JSON.stringify(frame));
    },
    /** Waits for a frame received after the previous one this returned. */
    async until(predicate: (frame: Record<string, any>) => boolean) {
      for (;;) {
        const index = frames.findIndex((f, i) => i >= seen && predicate(f));
        if (index >= 0) {
          seen = index + 1;
          return frames[index]!;
        }
        await new Promise<void>((wake) => waiters.push(wake));
      }
    },
    close: () => ws.close(),
  };
}

log(`# Journey against ${server.url} (chatbot "demo")`);
await post('How do I connect to the VPN?');
await post(DEFAULT_HUMAN_REQUEST);

log('\n# The visitor\'s client switches to the socket; an agent console is watching');
const visitor = await connect('visitor');
visitor.send({ type: 'client:join', chatbotId: 'demo', sessionId, as: 'user' });
await visitor.until((f) => f.ok === true);
const consoleList = await connect('console');
consoleList.send({ type: 'client:watch', token: server.agentToken });
await consoleList.until((f) => f.type === 'livechat:sessions');

log('\n# The agent takes the session over');
const agent = await connect('agent');
agent.send({ type: 'client:join', chatbotId: 'demo', sessionId, as: 'admin', token: server.agentToken });
await agent.until((f) => f.type === 'livechat:status' && f.sessionId === sessionId);
agent.send({ type: 'client:takeover', chatbotId: 'demo', sessionId, agent: { name: 'Dana' } });
await visitor.until((f) => f.type === 'livechat:message' && f.sender === 'system');
await consoleList.until((f) => f.type === 'livechat:sessions' && f.sessions[0]?.status === 'open');

log('\n# Live chat');
visitor.send({ type: 'client:message', chatbotId: 'demo', sessionId, sender: 'user', content: 'It says "gateway not responding"', clientMessageId: 'c-1' });
await agent.until((f) => f.type === 'livechat:message' && f.clientMessageId === 'c-1');
agent.send({ type: 'client:typing', chatbotId: 'demo', sessionId, sender: 'admin', isTyping: true });
await visitor.until((f) => f.type === 'livechat:typing');
agent.send({ type: 'client:message', chatbotId: 'demo', sessionId, sender: 'admin', content: 'Please try the backup portal vpn2.northwind.example', clientMessageId: 'a-1' });
await visitor.until((f) => f.type === 'livechat:message' && f.sender === 'admin');

log('\n# The agent ends the chat');
agent.send({ type: 'client:end', chatbotId: 'demo', sessionId, sender: 'admin' });
await visitor.until((f) => f.type === 'livechat:message' && f.sender === 'system');
await agent.until((f) => f.type === 'livechat:message' && f.sender === 'system');
await consoleList.until((f) => f.type === 'livechat:sessions' && f.sessions[0]?.mode === 'bot');
visitor.close();
agent.close();
consoleList.close();

log('\n# Back to the bot, same session');
await post('How many days of annual leave do I get?');
await server.close();
