import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ChatResponse, DEFAULT_HUMAN_REQUEST, ErrorBody, HistoryResponse } from '../../src/core/protocol.ts';
import { chat, request, TestSocket, TOKEN, useServer } from './support.ts';

function assertError(reply: { status: number; body: unknown }, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  const parsed = ErrorBody.safeParse(reply.body);
  assert.ok(parsed.success, `error body: ${JSON.stringify(reply.body)}`);
  assert.equal(parsed.data.error.code, code);
  assert.ok(parsed.data.error.message.length > 0);
}

describe('POST /api/chat', () => {
  const server = useServer();

  test('a first message starts a session, named in the header and readable cross-origin', async () => {
    const reply = await chat(server(), 'How do I connect to the VPN?', null, {}, { Origin: 'https://intranet.example' });
    assert.equal(reply.status, 200);
    assert.match(reply.sessionId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(reply.headers.get('access-control-allow-origin'), 'https://intranet.example');
    assert.match(reply.headers.get('access-control-expose-headers') ?? '', /X-Chat-Session-Id/i);
    assert.ok(ChatResponse.safeParse(reply.body).success);

    const next = await chat(server(), 'and my password?', reply.sessionId);
    assert.equal(next.sessionId, reply.sessionId, 'the same session continues');
  });

  test('the bot answers a knowledge-base question with safe HTML and absolute sources that open', async () => {
    const reply = await chat(server(), 'How many days of annual leave do I get?');
    assert.equal(reply.body.mode, 'bot');
    assert.match(reply.body.reply, /27 days/);
    assert.equal(typeof reply.body.messageId, 'string');
    assert.deepEqual(reply.body.sources[0], { type: 'web', source: `${server().url}/kb/leave-policy`, title: 'Annual leave policy' });
    const page = await request(server(), new URL(reply.body.sources[0].source).pathname);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>Annual leave policy<\/h1>/);
  });

  test('a question the knowledge base cannot answer gets an honest reply offering a human', async () => {
    const reply = await chat(server(), 'What is the meaning of life?');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.mode, 'bot');
    assert.match(reply.body.reply, /not sure/i);
    assert.ok(reply.body.reply.includes(DEFAULT_HUMAN_REQUEST));
    assert.deepEqual(reply.body.sources, []);
  });

  for (const phrase of [DEFAULT_HUMAN_REQUEST, 'talk to a human', 'Can I speak to an agent?', 'human please', 'I want a real person']) {
    test(`"${phrase}" escalates: mode human, status waiting`, async () => {
      const reply = await chat(server(), phrase);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.mode, 'human');
      assert.equal(reply.body.status, 'waiting');
      assert.match(reply.body.reply, /agent will join/);
    });
  }

  test('validation: empty, blank and over-700-character messages, missing chatbotId, bad JSON → 400', async () => {
    assertError(await chat(server(), ''), 400, 'invalid_request');
    assertError(await chat(server(), '   \n '), 400, 'invalid_request');
    assertError(await chat(server(), 'x'.repeat(701)), 400, 'invalid_request');
    assert.equal((await chat(server(), `  ${'x'.repeat(700)}  `)).status, 200, '700 characters after trimming pass');
    assertError(await request(server(), '/api/chat', { method: 'POST', body: JSON.stringify({ message: 'hi' }) }), 400, 'invalid_request');
    assertError(await request(server(), '/api/chat', { method: 'POST', body: '{"message":' }), 400, 'invalid_json');
  });

  test('an unknown chatbot → 404', async () => {
    assertError(await chat(server(), 'hello', null, { chatbotId: 'not-a-bot' }), 404, 'unknown_chatbot');
  });

  test('a body over the limit → 413', async () => {
    assertError(await chat(server(), 'hello', null, { padding: 'x'.repeat(20 * 1024) }), 413, 'payload_too_large');
  });

  test('an unknown or expired session id starts a new session instead of failing', async () => {
    const reply = await chat(server(), 'How do I print?', 'no-such-session');
    assert.equal(reply.status, 200);
    assert.notEqual(reply.sessionId, 'no-such-session');
    assert.ok(reply.sessionId);
  });

});

describe('two chatbots on one server', () => {
  const server = useServer({ chatbotIds: ['demo', 'other'] });

  test("a session id never reaches another chatbot's session", async () => {
    const other = await chat(server(), 'How do I print?', null, { chatbotId: 'other' });
    assert.equal(other.status, 200);
    const reply = await chat(server(), 'hello', other.sessionId);
    assert.notEqual(reply.sessionId, other.sessionId, 'a demo message with that id starts its own session');
    const history = await request(server(), '/api/chat/history?chatbotId=other', { sessionId: other.sessionId });
    assert.deepEqual(history.body.messages.map((m: { sender: string }) => m.sender), ['user', 'bot'], 'nothing was added to it');
    assert.equal((await request(server(), '/api/chat/history?chatbotId=demo', { sessionId: other.sessionId })).status, 404);
  });
});

describe('GET /api/chat/history', () => {
  const server = useServer();

  test("returns the session's messages, mode and status", async () => {
    const first = await chat(server(), 'How do I submit an expense claim?');
    await chat(server(), DEFAULT_HUMAN_REQUEST, first.sessionId);
    const history = await request(server(), '/api/chat/history?chatbotId=demo', { sessionId: first.sessionId });
    assert.equal(history.status, 200);
    const parsed = HistoryResponse.safeParse(history.body);
    assert.ok(parsed.success, JSON.stringify(history.body));
    assert.equal(parsed.data.mode, 'human');
    assert.equal(parsed.data.status, 'waiting');
    const messages = parsed.data.messages;
    assert.deepEqual(messages.map((m) => m.sender), ['user', 'bot', 'user', 'bot']);
    assert.equal(messages[0]!.content, 'How do I submit an expense claim?');
    assert.equal(messages[1]!.id, first.body.messageId, 'the reply keeps the id the POST returned');
    assert.equal((messages[1]!.sources?.[0] as { source: string }).source, `${server().url}/kb/expenses`);
    assert.ok(messages.every((m) => !Number.isNaN(Date.parse(m.createdAt))));
  });

  test('an unknown session → 404; no session header or no chatbotId → 400; unknown chatbot → 404', async () => {
    assertError(await request(server(), '/api/chat/history?chatbotId=demo', { sessionId: 'nope' }), 404, 'unknown_session');
    assertError(await request(server(), '/api/chat/history?chatbotId=demo'), 400, 'invalid_request');
    const { sessionId } = await chat(server(), 'hello');
    assertError(await request(server(), '/api/chat/history', { sessionId }), 400, 'invalid_request');
    assertError(await request(server(), '/api/chat/history?chatbotId=zzz', { sessionId }), 404, 'unknown_chatbot');
  });

  test('unknown endpoints and methods answer with JSON errors', async () => {
    assertError(await request(server(), '/api/nothing'), 404, 'not_found');
    assertError(await request(server(), '/api/chat'), 405, 'method_not_allowed');
  });
});

describe('allowed origins', () => {
  const server = useServer({ allowedOrigins: ['https://intranet.example'] });

  test('a listed origin is served, with CORS headers', async () => {
    const reply = await chat(server(), 'hello', null, {}, { Origin: 'https://intranet.example' });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('access-control-allow-origin'), 'https://intranet.example');
  });

  test('another origin → 403 that its page can read; nothing is created', async () => {
    const refused = await chat(server(), 'hello', null, {}, { Origin: 'https://evil.example' });
    assertError(refused, 403, 'origin_not_allowed');
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://evil.example', 'readable by the page, not opaque');
    assert.equal(refused.sessionId, null, 'no session was started');
    assertError(await request(server(), '/api/chat/history?chatbotId=demo', { sessionId: 'x', headers: { Origin: 'https://evil.example' } }), 403, 'origin_not_allowed');
  });

  test('a preflight from a listed origin allows the session header', async () => {
    const preflight = await request(server(), '/api/chat', {
      method: 'OPTIONS',
      headers: { Origin: 'https://intranet.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, x-chat-session-id' },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Chat-Session-Id/i);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  test("the server's own pages (same origin) stay allowed", async () => {
    const reply = await chat(server(), 'hello', null, {}, { Origin: server().url });
    assert.equal(reply.status, 200);
  });
});

describe('rate limits', () => {
  const server = useServer({ rateLimit: { session: { limit: 3, windowMs: 60_000 }, ip: { limit: 1000, windowMs: 60_000 } } });
  const byIp = useServer({ rateLimit: { ip: { limit: 2, windowMs: 60_000 } } });

  test('too many messages in one session → 429 with Retry-After; other sessions are unaffected', async () => {
    const { sessionId } = await chat(server(), 'hello');
    assert.equal((await chat(server(), 'hello', sessionId)).status, 200);
    assert.equal((await chat(server(), 'hello', sessionId)).status, 200);
    const limited = await chat(server(), 'hello', sessionId);
    assertError(limited, 429, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(limited.sessionId, sessionId);
    assert.equal((await chat(server(), 'hello')).status, 200, 'a new session has its own budget');
  });

  test('too many requests from one address → 429 with Retry-After', async () => {
    await chat(byIp(), 'hello');
    await chat(byIp(), 'hello');
    const limited = await chat(byIp(), 'hello');
    assertError(limited, 429, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  });
});

describe('the bot only ever sends markup it built itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-'));
  writeFileSync(
    join(dir, 'hostile.md'),
    '# Printer <img src=x onerror=alert(1)>\n\n## Printer drivers\n\nInstall the printer driver <script>alert(1)</script> from <a href="javascript:alert(1)">here</a> & enjoy "printing".\n\n## Links\n\nSee [the guide](javascript:alert(1)), [the vendor](https://vendor.example/) and ![logo](JaVaScRiPt:alert(1)).\n',
  );
  const server = useServer({ knowledgeDir: dir });

  test('document text is escaped in the reply', async () => {
    const reply = await chat(server(), 'printer driver');
    assert.equal(reply.status, 200);
    const html: string = reply.body.reply;
    assert.match(html, /printer driver/i);
    assert.doesNotMatch(html, /<script|<img|<a /i);
    assert.match(html, /&#60;script&#62;/);
    // The title is plain text in JSON (clients render it as text), never markup in the reply.
    assert.deepEqual(reply.body.sources, [{ type: 'web', source: `${server().url}/kb/hostile`, title: 'Printer <img src=x onerror=alert(1)>' }]);
  });

  test("the article's page shows raw HTML as text and drops javascript: links", async () => {
    const page = await request(server(), '/kb/hostile');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /<script|<img|href="javascript:/i);
    assert.match(page.body, /See the guide, <a href="https:\/\/vendor\.example\/">the vendor<\/a> and logo\./);
    assert.match(page.body, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    assert.match(page.body, /from &#60;a href=&#34;javascript:alert\(1\)&#34;&#62;here&#60;\/a&#62; &amp; enjoy/, 'raw markup shown as text');
  });

  test("the console's list shows the reply and the visitor's words as the text they are, entities decoded", async () => {
    const watcher = await TestSocket.open(server());
    watcher.send({ type: 'client:watch', token: TOKEN });
    const reply = await chat(server(), 'printer driver');
    const row = (f: Record<string, any>) => f.type === 'livechat:sessions' && f.sessions.find((s: { sessionId: string }) => s.sessionId === reply.sessionId);
    const bot = row(await watcher.next((f) => row(f)?.lastMessage?.includes('printer driver'), 'the bot reply in the list'));
    assert.ok(bot.lastMessage.startsWith('Printer <img src=x onerror=alert(1)>: Printer drivers Install the printer driver <script>alert(1)</script> from'), bot.lastMessage);
    assert.doesNotMatch(bot.lastMessage, /&#/);
    const user = await TestSocket.joined(server(), reply.sessionId!, 'user');
    await chat(server(), 'I would like to talk to a human', reply.sessionId);
    user.send({ type: 'client:message', chatbotId: 'demo', sessionId: reply.sessionId!, sender: 'user', content: 'Is a <b> tag & "quote" fine?' });
    await watcher.next((f) => row(f)?.lastMessage === 'Is a <b> tag & "quote" fine?', "the visitor's text, untouched");
  });
});
