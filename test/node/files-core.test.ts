// [ext] The headless core sends files in Node against the real reference server: progress,
// limits checked before any byte, and a reconnect during or after an upload that sends the
// message once with no second upload.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { createChatClient, DEFAULT_HUMAN_REQUEST, FILES_PATH, type ChatClient, type ChatState } from '../../src/core/index.ts';
import { TestSocket, TOKEN, useServer } from '../../server/test/support.ts';
import { pdfBytes, pngBytes } from '../fixtures/sample-files.ts';

/** ws's WebSocket, each instance kept, so a test can cut the current connection. */
function trackedSockets() {
  const all: WebSocket[] = [];
  class Tracked extends WebSocket {
    constructor(url: string) {
      super(url);
      all.push(this);
    }
  }
  return { WebSocket: Tracked, current: () => all.at(-1)!, all };
}

function until(client: ChatClient, ok: (state: ChatState) => boolean, what: string, ms = 8000): Promise<ChatState> {
  return new Promise((resolve, reject) => {
    if (ok(client.state)) return resolve(client.state);
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}: ${JSON.stringify({ ...client.state, messages: client.state.messages.map((m) => [m.sender, m.content, m.delivery, m.upload?.progress]) })}`));
    }, ms);
    const stop = client.subscribe(() => {
      if (!ok(client.state)) return;
      clearTimeout(timer);
      stop();
      resolve(client.state);
    });
  });
}

describe('sendFile in Node', () => {
  const server = useServer({ files: { maxBytes: 64 * 1024 } });

  /** A client in a live chat taken over by an agent; counts the uploads it makes. */
  async function liveClient(wrapFetch?: (real: typeof fetch) => typeof fetch) {
    const uploads: string[] = [];
    const counting: typeof fetch = (input, init) => {
      if (String(input).includes(FILES_PATH)) uploads.push(String(input));
      return fetch(input, init);
    };
    const sockets = trackedSockets();
    const client = createChatClient({
      baseUrl: server().url,
      chatbotId: 'demo',
      WebSocket: sockets.WebSocket,
      fetch: wrapFetch ? wrapFetch(counting) : counting,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
    });
    await client.start();
    await client.send(DEFAULT_HUMAN_REQUEST);
    await until(client, (s) => s.connection.state === 'joined' && s.files !== null, 'the join with the file limits');
    const agent = await TestSocket.joined(server(), client.state.sessionId!, 'admin', TOKEN);
    agent.send({ type: 'client:takeover', chatbotId: 'demo', sessionId: client.state.sessionId!, agent: { name: 'Dana' } });
    await until(client, (s) => s.conversation === 'live', 'the takeover');
    return { client, agent, uploads, sockets };
  }

  const fileMessages = (agent: TestSocket) => agent.frames.filter((f) => f.type === 'livechat:message' && f.sender === 'user' && f.attachments);

  test('a file goes with its caption; progress rises to 1; the agent gets the reference', async () => {
    const { client, agent, uploads } = await liveClient();
    const seen: number[] = [];
    client.subscribe(() => {
      const progress = client.state.messages.find((m) => m.upload)?.upload?.progress;
      if (progress !== undefined && seen.at(-1) !== progress) seen.push(progress);
    });
    assert.deepEqual(client.state.files?.maxBytes, 64 * 1024);
    await client.sendFile(new Blob([pngBytes()], { type: 'image/png' }), { caption: 'The error', name: 'error.png' });
    const state = await until(client, (s) => s.messages.some((m) => m.content === 'The error' && m.delivery === 'sent'), 'the echo');
    const sent = state.messages.find((m) => m.content === 'The error')!;
    assert.equal(sent.upload, undefined);
    assert.equal(sent.attachments?.length, 1);
    assert.equal(sent.attachments![0]!.name, 'error.png');
    assert.equal(sent.attachments![0]!.type, 'image/png');
    const relayed = await agent.next((f) => f.type === 'livechat:message' && f.content === 'The error');
    assert.deepEqual(relayed.attachments, sent.attachments);
    assert.equal(uploads.length, 1);
    assert.ok(seen.length >= 1 && seen.every((p, i) => i === 0 || p >= seen[i - 1]!), `progress only rises: ${seen}`);
    client.dispose();
  });

  test('a path on disk is sent in Node', async () => {
    const { client, agent } = await liveClient();
    const dir = await mkdtemp(join(tmpdir(), 'send-path-'));
    const path = join(dir, 'procedure.pdf');
    await writeFile(path, pdfBytes());
    await client.sendFile(path);
    const relayed = await agent.next((f) => f.type === 'livechat:message' && f.attachments?.[0]?.name === 'procedure.pdf');
    assert.equal(relayed.attachments[0].type, 'application/pdf');
    assert.equal(relayed.attachments[0].size, pdfBytes().length);
    client.dispose();
  });

  test('the limits are checked before any byte goes out: a typed error, no upload', async () => {
    const { client, uploads } = await liveClient();
    const errors: string[] = [];
    client.subscribe((event) => event.type === 'error' && errors.push(`${event.error.code}/${event.error.serverCode}`));
    await client.sendFile(new Blob([new Uint8Array(64 * 1024 + 1)], { type: 'image/png' }), { name: 'huge.png' });
    await client.sendFile(new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>'], { type: 'image/svg+xml' }), { name: 'logo.svg' });
    assert.deepEqual(errors, ['file_rejected/file_too_large', 'file_rejected/unsupported_type']);
    assert.equal(uploads.length, 0);
    assert.ok(!client.state.messages.some((m) => m.upload || m.attachments?.length));
    client.dispose();
  });

  test('a reconnect during the upload: the message goes once, after the upload, with no second upload', async () => {
    let cut: (() => Promise<void>) | undefined;
    const { client, agent, uploads, sockets } = await liveClient((real) => async (input, init) => {
      if (String(input).includes(FILES_PATH)) await cut?.();
      return real(input, init);
    });
    cut = async () => {
      cut = undefined;
      const before = sockets.all.length;
      sockets.current().terminate();
      await until(client, (s) => s.connection.state === 'joined' && sockets.all.length > before, 'the reconnect');
    };
    await client.sendFile(new Blob([pngBytes()], { type: 'image/png' }), { caption: 'during', name: 'a.png' });
    await until(client, (s) => s.messages.some((m) => m.content === 'during' && m.delivery === 'sent'), 'the echo');
    await agent.sync();
    assert.ok(sockets.all.length >= 2, 'the socket was replaced');
    assert.equal(uploads.length, 1);
    assert.equal(fileMessages(agent).filter((f) => f.content === 'during').length, 1);
    client.dispose();
  });

  test('a reconnect after the upload, before the echo: the resend refers to the uploaded file, no second upload', async () => {
    const { client, agent, uploads, sockets } = await liveClient();
    // The first file message never reaches the server: its socket dies as it is sent.
    const socket = sockets.current();
    const send = socket.send.bind(socket);
    socket.send = ((data: string) => {
      if (String(data).includes('"attachments"')) return void socket.terminate();
      send(data);
    }) as typeof socket.send;
    await client.sendFile(new Blob([pngBytes()], { type: 'image/png' }), { caption: 'after', name: 'b.png' });
    const state = await until(client, (s) => s.messages.some((m) => m.content === 'after' && m.delivery === 'sent'), 'the echo after the resend');
    await agent.sync();
    assert.ok(sockets.all.length >= 2, 'the socket was replaced');
    assert.equal(uploads.length, 1);
    const relayed = fileMessages(agent).filter((f) => f.content === 'after');
    assert.equal(relayed.length, 1);
    assert.deepEqual(relayed[0]!.attachments, state.messages.find((m) => m.content === 'after')!.attachments);
    client.dispose();
  });

  test('cancel stops the upload and takes the message back; a failed upload uploads again on retry', async () => {
    let hold: Promise<void> | undefined;
    let fail = false;
    const { client, uploads } = await liveClient((real) => async (input, init) => {
      if (!String(input).includes(FILES_PATH)) return real(input, init);
      await hold;
      if (fail) {
        fail = false;
        return new Response(JSON.stringify({ error: { code: 'server_error', message: 'Disk full.' } }), { status: 500 });
      }
      return real(input, init);
    });
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    await client.sendFile(new Blob([pngBytes()], { type: 'image/png' }), { caption: 'cancel me', name: 'c.png' });
    const pending = client.state.messages.find((m) => m.content === 'cancel me')!;
    assert.ok(pending.upload && pending.delivery === 'sending');
    client.cancelUpload(pending.id);
    assert.ok(!client.state.messages.some((m) => m.content === 'cancel me'));
    release();
    hold = undefined;
    // The canceled request has gone by before the next one is made to fail.
    await new Promise((resolve) => setTimeout(resolve, 50));
    fail = true;
    await client.sendFile(new Blob([pngBytes()], { type: 'image/png' }), { caption: 'retry me', name: 'd.png' });
    const failed = (await until(client, (s) => s.messages.some((m) => m.content === 'retry me' && m.delivery === 'failed'), 'the failure')).messages.find((m) => m.content === 'retry me')!;
    assert.equal(failed.error?.message, 'Disk full.');
    assert.ok(failed.upload, 'the file is kept for the retry');
    await client.retry(failed.id);
    await until(client, (s) => s.messages.some((m) => m.content === 'retry me' && m.delivery === 'sent' && m.attachments?.length === 1), 'the retried send');
    // The failed attempt was answered before reaching the counter: the canceled one and the retry.
    assert.equal(uploads.length, 2);
    client.dispose();
  });
});
