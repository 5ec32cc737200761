/** [ext] Files in live chat: uploads, their limits, content checks, access, serving, expiry. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readlink, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { DEFAULT_HUMAN_REQUEST, FILES_PATH, SESSION_HEADER } from '../../src/core/protocol.ts';
import type { RunningServer } from '../app.ts';
import { systemClock } from '../clock.ts';
import { FileStore, UploadAborted, UploadRefused } from '../files.ts';
import { HTML_TEXT, pdfBytes, pngBytes, SVG_TEXT } from '../../test/fixtures/sample-files.ts';
import { chat, eventually, newSession, request, TestSocket, TOKEN, useServer } from './support.ts';

async function liveSession(server: RunningServer): Promise<string> {
  const id = await newSession(server);
  const reply = await chat(server, DEFAULT_HUMAN_REQUEST, id);
  assert.equal(reply.body.status, 'waiting');
  return id;
}

function upload(server: RunningServer, body: Uint8Array | string, name: string, sessionId: string | null, headers: Record<string, string> = {}) {
  const query = new URLSearchParams({ chatbotId: 'demo', name });
  return request(server, `${FILES_PATH}?${query}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : Buffer.from(body),
    sessionId,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
}

/** Every file under a folder, recursively (the files folder's content). A folder the
 * server removes while it is being listed is listed again. */
async function filesUnder(dir: string): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 50) throw error;
    }
  }
}

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'files-test-'));
  dirs.push(dir);
  return dir;
}

describe('uploads', async () => {
  const dir = await tempDir();
  const server = useServer({ files: { dir, maxBytes: 4096, maxPerSession: 3, maxPerMessage: 2 } });

  test('the join acknowledgement advertises the limits', async () => {
    const id = await liveSession(server());
    const socket = await TestSocket.joined(server(), id, 'user');
    assert.deepEqual(socket.frames[0]!.files, {
      maxBytes: 4096,
      maxPerMessage: 2,
      maxPerSession: 3,
      types: [
        'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
        'application/vnd.oasis.opendocument.presentation',
      ],
    });
  });

  test('a PNG is stored, answered with its reference and served inline, sandboxed, nosniff', async () => {
    const id = await liveSession(server());
    const reply = await upload(server(), pngBytes(), 'error.png', id);
    assert.equal(reply.status, 201);
    const ref = reply.body;
    assert.deepEqual(Object.keys(ref).sort(), ['id', 'name', 'size', 'type', 'url']);
    assert.equal(ref.name, 'error.png');
    assert.equal(ref.type, 'image/png');
    assert.equal(ref.size, pngBytes().length);
    const res = await fetch(ref.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy') ?? '', /^sandbox\b/);
    assert.match(res.headers.get('content-disposition') ?? '', /^inline; filename="error.png"/);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), pngBytes());
  });

  test('a PDF is served as an attachment, under its name', async () => {
    const id = await liveSession(server());
    const ref = (await upload(server(), pdfBytes(), 'Procédure.pdf', id)).body;
    assert.equal(ref.type, 'application/pdf');
    const res = await fetch(ref.url);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="Proc_dure.pdf"; filename*=UTF-8''Proc%C3%A9dure.pdf`);
    assert.match(res.headers.get('content-security-policy') ?? '', /^sandbox\b/);
  });

  test('the type comes from the content: HTML named .png and declared image/png is refused, so is SVG', async () => {
    const id = await liveSession(server());
    const html = await upload(server(), HTML_TEXT, 'screenshot.png', id, { 'content-type': 'image/png' });
    assert.equal(html.status, 415);
    assert.equal(html.body.error.code, 'unsupported_type');
    const svg = await upload(server(), SVG_TEXT, 'logo.svg', id, { 'content-type': 'image/svg+xml' });
    assert.equal(svg.status, 415);
    const zip = await upload(server(), Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000\u0000\u0000'), 'a.zip', id);
    assert.equal(zip.status, 415);
    // Plain text passes, and is served as text with nosniff, for download.
    const text = await upload(server(), 'Steps to reproduce: 1. open 2. click\n', 'notes.png', id);
    assert.equal(text.status, 201);
    assert.equal(text.body.type, 'text/plain');
    const res = await fetch(text.body.url);
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/);
  });

  test('per file, per session and per message limits', async () => {
    const id = await liveSession(server());
    const big = new Uint8Array(4097);
    big.set(pngBytes());
    const tooBig = await upload(server(), big, 'big.png', id);
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error.code, 'file_too_large');
    const refs = [];
    for (let i = 0; i < 3; i++) refs.push((await upload(server(), pngBytes(), `${i}.png`, id)).body);
    const fourth = await upload(server(), pngBytes(), '3.png', id);
    assert.equal(fourth.status, 409);
    assert.equal(fourth.body.error.code, 'too_many_files');
    // Three on one message, where two are allowed: refused, nothing is stored.
    const user = await TestSocket.joined(server(), id, 'user');
    user.send({ type: 'client:message', chatbotId: 'demo', sessionId: id, sender: 'user', content: '', attachments: refs, clientMessageId: 'three' });
    await user.error('too_many_files');
    const history = await request(server(), `/api/chat/history?chatbotId=demo`, { sessionId: id });
    assert.ok(!history.body.messages.some((m: { clientMessageId?: string }) => m.clientMessageId === 'three'));
  });

  test('a visitor in bot mode, an unknown session or none cannot upload', async () => {
    const bot = await newSession(server());
    assert.equal((await upload(server(), pngBytes(), 'a.png', bot)).status, 409);
    assert.equal((await upload(server(), pngBytes(), 'a.png', 'no-such-session')).status, 404);
    assert.equal((await upload(server(), pngBytes(), 'a.png', null)).status, 404);
  });

  test("only the session's visitor and agents read a file without its signed URL; another session's visitor cannot", async () => {
    const mine = await liveSession(server());
    const theirs = await liveSession(server());
    const ref = (await upload(server(), pngBytes(), 'private.png', mine)).body;
    const bare = `${FILES_PATH}/${ref.id}`;
    assert.equal((await request(server(), bare, { sessionId: theirs })).status, 404, "another session's visitor");
    assert.equal((await request(server(), bare)).status, 404, 'nobody');
    assert.equal((await request(server(), `${bare}/${'A'.repeat(32)}`, { sessionId: theirs })).status, 404, 'a guessed key');
    assert.equal((await request(server(), bare, { sessionId: mine })).status, 200, 'the visitor');
    assert.equal((await request(server(), bare, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200, 'an agent');
    assert.equal((await request(server(), bare, { headers: { authorization: 'Bearer wrong' } })).status, 404, 'a wrong token');
    // Nor can another session's visitor attach it to a message.
    const other = await TestSocket.joined(server(), theirs, 'user');
    other.send({ type: 'client:message', chatbotId: 'demo', sessionId: theirs, sender: 'user', content: 'look', attachments: [ref] });
    await other.error('unknown_file');
  });

  test('a name is never a path: traversal, separators and control characters stay in the name', async () => {
    const id = await liveSession(server());
    const before = new Set(await filesUnder(dir));
    const reply = await upload(server(), pngBytes(), '../../../../etc/passwd\u0000.png', id);
    assert.equal(reply.status, 201);
    assert.equal(reply.body.name, 'passwd.png');
    const windows = await upload(server(), pngBytes(), '..\\..\\boot.ini', id);
    assert.equal(windows.body.name, 'boot.ini');
    const added = (await filesUnder(dir)).filter((f) => !before.has(f));
    // Only id-named files in the session's folder: nothing named after the visitor's names.
    assert.equal(added.length, 4);
    for (const file of added) assert.match(file, /^sessions\/[a-f0-9]{24}\/[A-Za-z0-9_-]{22}\.(bin|json)$/);
    assert.equal((await request(server(), `${FILES_PATH}/..%2F..%2Fsecret`)).status, 404);
    assert.equal((await request(server(), `${FILES_PATH}/../secret`)).status, 404);
  });

  test('a file message reaches the agent and the history with the server\'s references; the agent sends one back', async () => {
    const id = await liveSession(server());
    const agent = await TestSocket.joined(server(), id, 'admin', TOKEN);
    agent.send({ type: 'client:takeover', chatbotId: 'demo', sessionId: id, agent: { name: 'Dana' } });
    await agent.next((f) => f.type === 'livechat:status' && f.status === 'open');
    const user = await TestSocket.joined(server(), id, 'user');
    const ref = (await upload(server(), pngBytes(), 'error.png', id)).body;
    // The client's claims about the file (name, type, URL) are not what is relayed.
    user.send({ type: 'client:message', chatbotId: 'demo', sessionId: id, sender: 'user', content: '', attachments: [{ ...ref, name: 'x.exe', type: 'text/html', url: 'https://evil.example/' }], clientMessageId: 'shot' });
    const relayed = await agent.next((f) => f.type === 'livechat:message' && f.clientMessageId === 'shot');
    assert.deepEqual(relayed.attachments, [ref]);
    const pdf = (await upload(server(), pdfBytes(), 'procedure.pdf', id, { authorization: `Bearer ${TOKEN}` })).body;
    assert.equal(pdf.type, 'application/pdf');
    agent.send({ type: 'client:message', chatbotId: 'demo', sessionId: id, sender: 'admin', content: 'Here is the procedure', attachments: [pdf], clientMessageId: 'doc' });
    const received = await user.next((f) => f.type === 'livechat:message' && f.clientMessageId === 'doc');
    assert.deepEqual(received.attachments, [pdf]);
    const history = await request(server(), `/api/chat/history?chatbotId=demo`, { sessionId: id });
    const withFiles = history.body.messages.filter((m: { attachments?: unknown[] }) => m.attachments);
    assert.deepEqual(withFiles.map((m: { attachments: unknown[] }) => m.attachments), [[ref], [pdf]]);
  });
});

/** Sends `bytes` of a declared `length` over a raw connection; `then` runs after the write. */
function rawUpload(server: RunningServer, sessionId: string, length: number, bytes: Uint8Array) {
  const query = new URLSearchParams({ chatbotId: 'demo', name: 'slow.png' });
  const req = httpRequest(`${server.url}${FILES_PATH}?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', 'content-length': length, [SESSION_HEADER]: sessionId },
  });
  const answer = new Promise<{ status: number; body: string } | 'cut'>((resolve) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve('cut'));
    });
    req.on('error', () => resolve('cut'));
  });
  req.write(Buffer.from(bytes));
  return { req, answer };
}

describe('bounded uploads', async () => {
  const dir = await tempDir();
  const server = useServer({ files: { dir, idleTimeoutMs: 300, uploadTimeoutMs: 1500 } });

  test('an upload that stalls is cut off (408) and leaves nothing behind', async () => {
    const id = await liveSession(server());
    const half = new Uint8Array(2000);
    half.set(pngBytes());
    const { req, answer } = rawUpload(server(), id, 4000, half);
    const result = await answer;
    req.destroy();
    assert.notEqual(result, 'cut');
    assert.equal((result as { status: number }).status, 408);
    assert.match((result as { body: string }).body, /upload_timeout/);
    await eventually(() => filesUnder(dir), (files) => files.every((f) => f === 'secret'), 'an empty files folder');
  });
});

// An idle limit far above the tests' pauses: on a loaded machine a test's own timer (the
// drip, the check of the disk) can run late, and an idle limit near it cut the upload first.
describe('bounded uploads that keep arriving', async () => {
  const dir = await tempDir();
  const server = useServer({ files: { dir, idleTimeoutMs: 1500, uploadTimeoutMs: 3000 } });

  test('a trickle that never stalls is still cut off at the deadline', async () => {
    const id = await liveSession(server());
    const { req, answer } = rawUpload(server(), id, 100_000, pngBytes());
    const drip = setInterval(() => req.write(Buffer.alloc(10)), 100);
    const started = Date.now();
    const result = await answer;
    clearInterval(drip);
    req.destroy();
    assert.equal((result as { status: number }).status, 408);
    assert.ok(Date.now() - started >= 2900, 'not before the deadline');
    await eventually(() => filesUnder(dir), (files) => files.every((f) => f === 'secret'), 'an empty files folder');
  });

  test('an upload interrupted halfway leaves nothing behind', async () => {
    const id = await liveSession(server());
    const half = new Uint8Array(5000);
    half.set(pngBytes());
    const { req } = rawUpload(server(), id, 10_000, half);
    // Long enough for the server to have written the first half to disk.
    await eventually(() => filesUnder(dir), (files) => files.some((f) => f.startsWith('tmp/')), 'the partial upload on disk');
    req.destroy();
    await eventually(() => filesUnder(dir), (files) => files.every((f) => f === 'secret'), 'an empty files folder');
    const history = await request(server(), `/api/chat/history?chatbotId=demo`, { sessionId: id });
    assert.equal(history.status, 200);
  });
});

describe('downloads', async () => {
  const dir = await tempDir();
  const server = useServer({ files: { dir, maxBytes: 8 * 1024 * 1024 } });

  /** The files this process holds open under the files folder (Linux: /proc). */
  const openUnder = async () => {
    const fds = await readdir('/proc/self/fd');
    const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    return targets.filter((target) => target.startsWith(dir));
  };

  test('a download the client abandons halfway closes its file on the server', async () => {
    const id = await liveSession(server());
    // Larger than the sockets' buffers: the server is still reading it when the client goes.
    const stored = await upload(server(), paddedPng(6 * 1024 * 1024), 'large.png', id);
    assert.equal(stored.status, 201);
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(stored.body.url, (res) => res.once('data', () => (req.destroy(), resolve())));
        req.on('error', (error) => (req.destroyed ? resolve() : reject(error)));
        req.end();
      });
    }
    await eventually(openUnder, (open) => open.length === 0, 'no file left open');
    // And a whole download still arrives whole.
    const whole = await fetch(stored.body.url);
    assert.equal((await whole.arrayBuffer()).byteLength, 6 * 1024 * 1024);
  });
});

/** A PNG padded to `size` bytes: what the content check sees is a PNG. */
function paddedPng(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(pngBytes());
  return bytes;
}

/** An upload with no Content-Length (chunked), so only counting the bytes as they arrive can
 * stop it; or with a declared length far over what is sent. */
function streamedUpload(server: RunningServer, sessionId: string, bytes: Uint8Array, declared?: number) {
  const query = new URLSearchParams({ chatbotId: 'demo', name: 'streamed.png' });
  const req = httpRequest(`${server.url}${FILES_PATH}?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', [SESSION_HEADER]: sessionId, ...(declared !== undefined && { 'content-length': declared }) },
  });
  const answer = new Promise<{ status: number; code?: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: body ? JSON.parse(body).error?.code : undefined }));
    });
    req.on('error', reject);
  });
  req.write(Buffer.from(bytes));
  if (declared === undefined) req.end();
  return { req, answer };
}

describe('limits while the bytes arrive', async () => {
  const dir = await tempDir();
  const server = useServer({ files: { dir, maxBytes: 4096, maxSessionBytes: 6000 } });

  test('an upload with no declared length is cut at the per-file limit, and leaves nothing behind', async () => {
    const id = await liveSession(server());
    const { answer } = streamedUpload(server(), id, paddedPng(4097));
    assert.deepEqual(await answer, { status: 413, code: 'file_too_large' });
    assert.deepEqual(await filesUnder(dir), ['secret']);
    // Exactly the limit is taken.
    const { answer: fits } = streamedUpload(server(), id, paddedPng(4096));
    assert.equal((await fits).status, 201);
  });

  test('a declared length over the limit is answered at once, before the body is sent', async () => {
    const id = await liveSession(server());
    const before = await filesUnder(dir);
    const { req, answer } = streamedUpload(server(), id, pngBytes(), 100 * 1024 * 1024);
    // The 100 MB never come: only a refusal that does not wait for them can arrive.
    assert.deepEqual(await answer, { status: 413, code: 'file_too_large' });
    req.destroy();
    assert.deepEqual(await filesUnder(dir), before);
  });

  test("a session's bytes in all are bounded: declared or streamed, what does not fit is refused and not kept", async () => {
    const id = await liveSession(server());
    const before = new Set(await filesUnder(dir));
    assert.equal((await upload(server(), paddedPng(4000), 'first.png', id)).status, 201);
    const declared = await upload(server(), paddedPng(2500), 'second.png', id);
    assert.equal(declared.status, 413);
    assert.equal(declared.body.error.code, 'session_quota');
    const { answer } = streamedUpload(server(), id, paddedPng(2500));
    assert.deepEqual(await answer, { status: 413, code: 'session_quota' });
    const kept = (await filesUnder(dir)).filter((f) => f.endsWith('.bin') && !before.has(f));
    assert.equal(kept.length, 1, `only the first file: ${kept.join(', ')}`);
    assert.equal((await upload(server(), paddedPng(2000), 'third.png', id)).status, 201, 'what still fits is taken');
    const other = await liveSession(server());
    assert.equal((await upload(server(), paddedPng(4000), 'theirs.png', other)).status, 201, "another session's allowance is its own");
  });
});

describe('the store, refusing at once', async () => {
  test('an upload refused before its temporary file has opened leaves nothing behind, however often', async () => {
    // The refusal can come before the temporary file's open returns: the file must not
    // appear after the cleanup that was meant to remove it (it did, about 1 in 40).
    const dir = await tempDir();
    const store = await FileStore.open(dir, { maxBytes: 16 }, systemClock);
    try {
      for (let i = 0; i < 200; i++) {
        const refused = store.receive(Readable.from([Buffer.alloc(17)]), { sessionId: `s${i}`, chatbotId: 'demo', name: 'big.png', by: 'user' });
        await assert.rejects(refused, (error: unknown) => error instanceof UploadRefused && error.code === 'file_too_large');
        assert.deepEqual(await filesUnder(dir), ['secret'], `after refusal ${i + 1}`);
      }
    } finally {
      await store.close();
    }
  });
});

describe('the store, removing while it receives', async () => {
  const upload = (store: FileStore, sessionId: string) => {
    const bytes = new Uint8Array(64 * 1024);
    bytes.set(pngBytes());
    return store.receive(Readable.from([bytes]), { sessionId, chatbotId: 'demo', name: 'a.png', by: 'user' });
  };

  test("a session removed while one of its uploads arrives keeps none of its files, and the removal does not fail", async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir, {}, systemClock);
    try {
      for (let i = 0; i < 60; i++) {
        const sessionId = `s${i}`;
        const arriving = upload(store, sessionId);
        // Removed at a different point of the upload each time.
        await new Promise((resolve) => setTimeout(resolve, i % 6));
        await store.removeSession(sessionId);
        await arriving.catch(() => undefined);
        assert.deepEqual(await store.list(sessionId), [], `session ${i}`);
      }
      assert.deepEqual(await filesUnder(dir), ['secret']);
    } finally {
      await store.close();
    }
  });

  test('a temporary store closed while uploads arrive is gone once close() resolves, and takes no upload after it', async () => {
    for (let i = 0; i < 20; i++) {
      const store = await FileStore.open(undefined, {}, systemClock);
      const arriving = upload(store, `s${i}`);
      await new Promise((resolve) => setTimeout(resolve, i % 6));
      await store.close();
      await arriving.catch(() => undefined);
      await assert.rejects(stat(store.root), { code: 'ENOENT' }, `store ${i}`);
      await assert.rejects(upload(store, 'later'), UploadAborted);
    }
  });
});

describe('lifetime', async () => {
  const dir = await tempDir();
  const server = useServer({ files: { dir }, sessionIdleMs: 400 });

  test("a session's files go when the session expires", async () => {
    const id = await liveSession(server());
    const ref = (await upload(server(), pngBytes(), 'a.png', id)).body;
    assert.ok((await filesUnder(dir)).some((f) => f.startsWith('sessions/')));
    await eventually(() => filesUnder(dir), (files) => !files.some((f) => f.startsWith('sessions/')), 'the session folder removed', 8000);
    assert.equal((await fetch(ref.url)).status, 404);
  });
});

describe('files: false', () => {
  const server = useServer({ files: false });

  test('advertises nothing and has no upload endpoint', async () => {
    const id = await liveSession(server());
    const socket = await TestSocket.joined(server(), id, 'user');
    assert.equal(socket.frames[0]!.files, undefined);
    assert.equal((await upload(server(), pngBytes(), 'a.png', id)).status, 404);
  });
});
