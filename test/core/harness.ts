// Shared by the core's browser tests: a client per test on a fresh chatbot of the fake
// service, disposed after the test, and a check that the client broke no protocol rule.
import { expect } from '@open-wc/testing';
import { createChatClient } from '../../src/core/client.ts';
import type { ChatClient, ChatClientOptions, ChatEvent, ChatState } from '../../src/core/types.ts';
import { service } from '../support/browser-service.ts';
import { freshChatbotId, waitFor } from '../support/control.ts';

export { service, waitFor };

const used: { client: ChatClient; chatbotId: string }[] = [];

export function newClient(options: Partial<ChatClientOptions> = {}): { client: ChatClient; chatbotId: string; events: ChatEvent[] } {
  const chatbotId = options.chatbotId ?? freshChatbotId();
  const client = createChatClient({ baseUrl: service.url, ...options, chatbotId });
  const events: ChatEvent[] = [];
  client.subscribe((event) => events.push(event));
  used.push({ client, chatbotId });
  return { client, chatbotId, events };
}

/** Waits until the client's state satisfies `check`. */
export function until(client: ChatClient, check: (state: ChatState) => unknown, what: string): Promise<unknown> {
  return waitFor(() => check(client.state), what);
}

afterEach(async () => {
  const clients = used.splice(0);
  for (const { client } of clients) client.dispose();
  for (const chatbotId of new Set(clients.map((x) => x.chatbotId))) {
    expect((await service.log(chatbotId)).violations, 'protocol violations').to.deep.equal([]);
  }
});
