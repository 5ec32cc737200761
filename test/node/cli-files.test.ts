// The terminal command's `/file`: the argument as a path and a caption, the local checks
// made before anything is sent, files as transcript lines, and the command following its
// message on a client whose state the test drives.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileCommand } from '../../src/cli/file-command.ts';
import { localFile, parseFileArgs } from '../../src/cli/files.ts';
import { attachmentLine, formatMessage } from '../../src/cli/render.ts';
import { createStyle } from '../../src/cli/style.ts';
import type { ChatClient, ChatError, ChatListener, ChatMessage, ChatState, FileLimits, FileRef } from '../../src/core/index.ts';

const plain = createStyle(false, false);
const linked = createStyle(true, true);
const HOME = '/home/ann';

describe('cli /file: the argument', () => {
  it('reads a path as a shell word (quotes, escaped spaces), then the caption', () => {
    assert.deepEqual(parseFileArgs('shot.png', HOME), { path: 'shot.png', caption: '' });
    assert.deepEqual(parseFileArgs('  shot.png   the  error  ', HOME), { path: 'shot.png', caption: 'the  error' });
    assert.deepEqual(parseFileArgs('"My Docs/report 2.pdf" page 3', HOME), { path: 'My Docs/report 2.pdf', caption: 'page 3' });
    assert.deepEqual(parseFileArgs("'it''s.png'", HOME), { error: 'Put a space between the quoted path and the caption: nothing was sent.' });
    assert.deepEqual(parseFileArgs("'a \"b\".png' x", HOME), { path: 'a "b".png', caption: 'x' });
    assert.deepEqual(parseFileArgs('"say \\"hi\\".txt"', HOME), { path: 'say "hi".txt', caption: '' });
    assert.deepEqual(parseFileArgs('My\\ Docs/a\\ b.png see', HOME), { path: 'My Docs/a b.png', caption: 'see' });
  });

  it('expands ~ (quoted too: this is no shell) and file:// URLs, which terminals paste for a dropped file', () => {
    assert.deepEqual(parseFileArgs('~/shot.png', HOME), { path: '/home/ann/shot.png', caption: '' });
    assert.deepEqual(parseFileArgs('"~/My Docs/a.png"', HOME), { path: '/home/ann/My Docs/a.png', caption: '' });
    assert.deepEqual(parseFileArgs('~', HOME), { path: '/home/ann', caption: '' });
    assert.deepEqual(parseFileArgs('~bob/a.png', HOME), { path: '~bob/a.png', caption: '' }, "another user's home is not guessed");
    assert.deepEqual(parseFileArgs('file:///tmp/a%20b.png hi', HOME), { path: '/tmp/a b.png', caption: 'hi' });
    assert.ok('error' in parseFileArgs('file://server/share/a.png', HOME), 'a remote file URL is no local path');
  });

  it('refuses what is not a path, saying so', () => {
    assert.deepEqual(parseFileArgs('', HOME), { error: 'Usage: /file PATH [caption]' });
    assert.deepEqual(parseFileArgs('""', HOME), { error: 'Usage: /file PATH [caption]' });
    assert.deepEqual(parseFileArgs('"open.png and more', HOME), { error: `The path's " is not closed: nothing was sent.` });
  });
});

describe('cli /file: the local file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
  writeFileSync(join(dir, 'shot.png'), new Uint8Array(1500));
  mkdirSync(join(dir, 'folder.png'));

  it('is described from the disk: its name, the type its name suggests, its size', () => {
    assert.deepEqual(localFile(join(dir, 'shot.png')), { ok: true, file: { name: 'shot.png', type: 'image/png', size: 1500 } });
  });

  it('a missing file, a folder: one line each, and a hint when a bare path may have had a space', () => {
    assert.deepEqual(localFile(join(dir, 'none.png')), { ok: false, error: `No such file: ${dir}/none.png. Nothing was sent.` });
    assert.deepEqual(localFile(join(dir, 'My'), { moreWords: true }), { ok: false, error: `No such file: ${dir}/My (put a path with spaces in quotes). Nothing was sent.` });
    assert.deepEqual(localFile(join(dir, 'folder.png')), { ok: false, error: `${dir}/folder.png is a folder, not a file: nothing was sent.` });
    assert.deepEqual(localFile('/dev/null'), { ok: false, error: '/dev/null is not a regular file: nothing was sent.' });
  });
});

const pdf: FileRef = { id: 'f1', name: 'procedure.pdf', type: 'application/pdf', size: 2_400_000, url: 'http://chat.example/api/chat/files/f1/k' };

function message(changes: Partial<ChatMessage>): ChatMessage {
  return { id: 'm1', sender: 'admin', content: '', html: false, sources: [], createdAt: '2025-01-01T00:00:00Z', ...changes };
}

describe('cli: files in the transcript', () => {
  it('a file is `name (size) URL`, the URL whole, an OSC 8 link where the terminal has them', () => {
    assert.equal(attachmentLine(pdf, plain), 'procedure.pdf (2.3 MB) http://chat.example/api/chat/files/f1/k');
    assert.equal(attachmentLine(pdf, linked), `procedure.pdf (2.3 MB) \x1b]8;;${pdf.url}\x1b\\\x1b[4m${pdf.url}\x1b[24m\x1b]8;;\x1b\\`);
  });

  it("lets no control character of a file's name through, and shows no URL that is not http(s)", () => {
    const line = attachmentLine({ ...pdf, name: '\x1b]0;owned\x07a.pdf', url: 'javascript:alert(1)' }, plain);
    assert.equal(line, ']0;owneda.pdf (2.3 MB)');
  });

  it("a message's files follow its text, a line each; files alone start beside the label", () => {
    const png = { ...pdf, id: 'f2', name: 'shot.png', type: 'image/png', size: 900, url: 'http://chat.example/f2' };
    assert.equal(
      formatMessage(message({ content: 'Here is the procedure', agent: { name: 'Dana' }, attachments: [pdf, png] }), plain),
      `Dana: Here is the procedure\n  procedure.pdf (2.3 MB) ${pdf.url}\n  shot.png (900 bytes) http://chat.example/f2`,
    );
    assert.equal(formatMessage(message({ sender: 'user', attachments: [png] }), plain), 'you: shot.png (900 bytes) http://chat.example/f2');
  });
});

const LIMITS: FileLimits = { maxBytes: 1024, maxPerMessage: 2, maxPerSession: 5, types: ['image/png', 'application/pdf'] };

/** A client whose state the test sets; sendFile adds the message a real core would. */
function fakeClient(initial: Partial<ChatState>) {
  const listeners = new Set<ChatListener>();
  let state = {
    sessionId: 's',
    conversation: 'live',
    mode: 'human',
    status: 'open',
    connection: { state: 'joined' },
    messages: [],
    typing: false,
    agent: { name: 'Dana' },
    error: null,
    ended: false,
    unread: 0,
    files: LIMITS,
    ...initial,
  } as ChatState;
  const calls = { sendFile: [] as { path: string; caption?: string }[], cancelUpload: [] as string[] };
  let onSend: (path: string) => ChatError | null = () => null;
  const set = (changes: Partial<ChatMessage> & { id?: string }) => {
    const id = changes.id ?? 'up-1';
    const messages = state.messages.some((m) => m.id === id) ? state.messages.map((m) => (m.id === id ? { ...m, ...changes } : m)) : [...state.messages, message({ id, sender: 'user', delivery: 'sending', ...changes })];
    state = { ...state, messages };
  };
  const client = {
    get state() {
      return state;
    },
    async sendFile(path: string, options: { caption?: string }) {
      calls.sendFile.push({ path, ...options });
      const refused = onSend(path);
      if (refused) return command.owns(refused) ? undefined : assert.fail('the refusal was not the command\'s');
      set({ content: options.caption ?? '', upload: { files: [{ name: 'shot.png', type: 'image/png', size: 500 }], progress: 0 }, attachments: [] });
    },
    cancelUpload(id: string) {
      calls.cancelUpload.push(id);
      state = { ...state, messages: state.messages.filter((m) => m.id !== id) };
    },
    subscribe: (listener: ChatListener) => (listeners.add(listener), () => listeners.delete(listener)),
  } as unknown as ChatClient;
  const printed: string[] = [];
  const errors: string[] = [];
  let command = fileCommand(client, { print: (t) => printed.push(t), error: (t) => errors.push(t) }, { style: plain, terminal: false, home: HOME });
  return {
    client,
    calls,
    printed,
    errors,
    set,
    refuseWith: (error: ChatError) => (onSend = () => error),
    command: () => command,
    terminal() {
      command = fileCommand(client, { print: (t) => printed.push(t), error: (t) => errors.push(t) }, { style: plain, terminal: true, home: HOME });
      return command;
    },
  };
}

describe('cli /file: the command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-file-command-'));
  const small = join(dir, 'shot.png');
  const large = join(dir, 'large.png');
  writeFileSync(small, new Uint8Array(500));
  writeFileSync(large, new Uint8Array(LIMITS.maxBytes + 1));
  const sent: FileRef = { id: 'f9', name: 'shot.png', type: 'image/png', size: 500, url: 'http://chat.example/f9' };

  it('refuses in bot mode, over the limits, and where the chat takes no files, without calling the core', async () => {
    const bot = fakeClient({ conversation: 'bot', mode: 'bot', status: null, files: null, connection: { state: 'idle' } });
    await bot.command().run(small);
    assert.deepEqual(bot.errors, ['Files go to a person in a live chat: ask for one with /human first. Nothing was sent.']);
    const live = fakeClient({});
    await live.command().run(`${large} too big?`);
    assert.deepEqual(live.errors, ['large.png is larger than 1 KB. Nothing was sent.']);
    const none = fakeClient({ files: null });
    await none.command().run(small);
    assert.deepEqual(none.errors, ['This chat does not take files. Nothing was sent.']);
    const caption = fakeClient({});
    await caption.command().run(`${small} ${'x'.repeat(701)}`);
    assert.deepEqual(caption.errors, ['A caption may be at most 700 characters. Nothing was sent.']);
    for (const c of [bot, live, none, caption]) assert.deepEqual(c.calls.sendFile, []);
  });

  it('before the join the limits are not known: the core has the file and checks them when they are', async () => {
    const waiting = fakeClient({ conversation: 'waiting', status: 'waiting', files: null, connection: { state: 'connecting', attempt: 0 } });
    await waiting.command().run(small);
    assert.deepEqual(waiting.calls.sendFile, [{ path: small, caption: '' }]);
    assert.deepEqual(waiting.errors, []);
  });

  it('in a transcript: a line at 0% and at each quarter, then the sent message with its file', async () => {
    const c = fakeClient({});
    const done = c.command().run(`"${small}" the error`, { settled: true });
    await new Promise((resolve) => setImmediate(resolve));
    for (const progress of [0.1, 0.3, 0.35, 0.6, 0.9, 1]) {
      c.set({ upload: { files: [{ name: 'shot.png', type: 'image/png', size: 500 }], progress } });
      c.command().update();
    }
    c.set({ upload: undefined, attachments: [sent], delivery: 'sent' });
    c.command().update();
    await done;
    assert.deepEqual(c.calls.sendFile, [{ path: small, caption: 'the error' }]);
    assert.deepEqual(c.printed, ['-- sending shot.png… 0%', '-- sending shot.png… 25%', '-- sending shot.png… 50%', '-- sending shot.png… 75%', 'you: the error\n  shot.png (500 bytes) http://chat.example/f9']);
    assert.equal(c.command().pending(), 0);
  });

  it('on a terminal: the progress is status text, no lines; the prompt does not wait for the upload', async () => {
    const c = fakeClient({});
    const command = c.terminal();
    await command.run(small);
    assert.equal(command.pending(), 1);
    c.set({ upload: { files: [{ name: 'shot.png', type: 'image/png', size: 500 }], progress: 0.456 } });
    command.update();
    assert.equal(command.status(), 'sending shot.png… 45%');
    assert.deepEqual(c.printed, []);
    c.set({ upload: undefined, attachments: [sent], delivery: 'sent' });
    command.update();
    assert.equal(command.status(), '');
    assert.deepEqual(c.printed, ['you: shot.png (500 bytes) http://chat.example/f9']);
  });

  it('a failed upload: one line with the reason, the error event not shown twice, the message taken back', async () => {
    const c = fakeClient({});
    const command = c.terminal();
    await command.run(small);
    const error: ChatError = { code: 'payload_too_large', message: 'A file may be at most 1024 bytes.', status: 413 };
    c.set({ delivery: 'failed', error });
    assert.equal(command.owns(error), true, 'the failure is reported by the command');
    command.update();
    assert.deepEqual(c.errors, ['shot.png was not sent: A file may be at most 1024 bytes (HTTP 413). Up and Enter try again.']);
    assert.deepEqual(c.calls.cancelUpload, ['up-1']);
    assert.equal(command.pending(), 0);
    assert.equal(command.owns({ code: 'connection', message: 'The live chat could not connect.' }), false, 'other errors are the chat\'s to show');
  });

  it("the core's own refusal of the call is the command's one line, not a second error", async () => {
    const c = fakeClient({});
    c.refuseWith({ code: 'file_rejected', serverCode: 'file_unavailable', message: 'The file could not be read (EIO).' });
    await c.command().run(small);
    assert.deepEqual(c.errors, ['The file could not be read (EIO). Nothing was sent.']);
  });
});
