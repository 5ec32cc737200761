#!/usr/bin/env node
// The headless core in 40 lines: the same conversation client the element uses, with
// Node's fetch and `ws`'s WebSocket. The package's `webchat-agent` command (src/cli/) is the
// complete terminal client built on it; this is the smallest one.
// Run the reference server (`npm start`), then:
//   node examples/terminal-chat.mjs [baseUrl] [chatbotId]
// Type a message and press Enter; "/human" asks for a person, "/end" ends the live chat,
// "/quit" leaves. Piped input works too: the client leaves at the end of the input.
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { createChatClient } from '../dist/core.js';

const [baseUrl = 'http://127.0.0.1:8787', chatbotId = 'demo'] = process.argv.slice(2);
const client = createChatClient({ baseUrl, chatbotId, WebSocket });

const plain = (html) => html.replace(/<\/(p|li|h\d)>/g, '\n').replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim();
const names = { user: 'you', bot: 'bot', admin: 'agent', system: '--' };

let conversation = client.state.conversation;
client.subscribe((event) => {
  if (event.type === 'message' && event.message.sender !== 'user') {
    const { sender, content, html, sources, agent } = event.message;
    console.log(`${agent?.name ?? names[sender]}: ${html ? plain(content) : content}`);
    for (const source of sources) console.log(`   source: ${source.title ?? source.source}`);
  } else if (event.type === 'error') {
    console.error(`!! ${event.error.code}: ${event.error.message}`);
  } else if (event.type === 'state' && event.state.conversation !== conversation) {
    conversation = event.state.conversation;
    console.log(`-- ${conversation}`);
  }
});

await client.start();
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const text = line.trim();
  if (text === '/quit') break;
  else if (text === '/human') await client.requestHuman();
  else if (text === '/end') client.endLiveChat();
  else if (text) await client.send(text);
}
client.dispose();
