/**
 * [ext] Uploaded files on disk: one folder per session under the files folder, each file's
 * bytes beside a small JSON record (its session, name, type, size). A visitor's name for a
 * file is only ever data in that record: the disk names are random ids. Nothing is held in
 * memory but what one upload is checking.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { fileTypeFromFile } from 'file-type';
import * as z from 'zod/mini';
import type { FileLimits } from '../src/core/protocol.ts';
import type { Clock } from './clock.ts';

z.config({ jitless: true });

/** Raster images: the only files a browser may show inline. */
export const RASTER_IMAGES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** What the reference server accepts, as found in the content. No SVG (it is a document that
 * runs scripts), no HTML, no legacy Office files (macro containers), no archives. */
export const ALLOWED_TYPES: readonly string[] = [
  ...RASTER_IMAGES,
  'application/pdf',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
];

export interface FileOptions {
  /** Bytes per file. Default 10 MiB. */
  maxBytes: number;
  /** Files on one message. Default 5. */
  maxPerMessage: number;
  /** Files one session may upload in all. Default 20. */
  maxPerSession: number;
  /** Bytes one session may upload in all. Default 50 MiB. */
  maxSessionBytes: number;
  /** An upload still unfinished after this is cut off. Default 120 s. */
  uploadTimeoutMs: number;
  /** An upload that sends nothing for this long is cut off. Default 15 s. */
  idleTimeoutMs: number;
}

export const DEFAULT_FILE_OPTIONS: FileOptions = {
  maxBytes: 10 * 1024 * 1024,
  maxPerMessage: 5,
  maxPerSession: 20,
  maxSessionBytes: 50 * 1024 * 1024,
  uploadTimeoutMs: 120_000,
  idleTimeoutMs: 15_000,
};

const FileRecord = z.object({
  id: z.string(),
  sessionId: z.string(),
  chatbotId: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number(),
  createdAt: z.string(),
  by: z.enum(['user', 'admin']),
});
export type FileRecord = z.infer<typeof FileRecord>;

/** Why an upload was refused; the route turns it into an HTTP answer. */
export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The visitor left, or the server cut the upload off: nobody to answer. */
export class UploadAborted extends Error {}

const ID = /^[a-f0-9]{24}_[A-Za-z0-9_-]{22}$/;

export class FileStore {
  readonly limits: FileLimits;
  readonly #sessions: string;
  readonly #tmp: string;
  /** One upload at a time per session: two at once cannot both pass the session's limits. */
  readonly #queues = new Map<string, Promise<unknown>>();
  #closing = false;

  private constructor(
    readonly root: string,
    readonly options: FileOptions,
    private readonly secret: Buffer,
    private readonly clock: Clock,
    private readonly temporary: boolean,
  ) {
    this.#sessions = join(root, 'sessions');
    this.#tmp = join(root, 'tmp');
    this.limits = { maxBytes: options.maxBytes, maxPerMessage: options.maxPerMessage, maxPerSession: options.maxPerSession, types: [...ALLOWED_TYPES] };
  }

  /** `dir`: the files folder (created); without one, a temporary folder removed on close. */
  static async open(dir: string | undefined, options: Partial<FileOptions>, clock: Clock): Promise<FileStore> {
    const root = dir ?? (await mkdtemp(join(tmpdir(), 'webchat-files-')));
    await mkdir(join(root, 'sessions'), { recursive: true });
    // Parts of uploads a crash cut short: never finished, never anyone's.
    await rm(join(root, 'tmp'), { recursive: true, force: true });
    await mkdir(join(root, 'tmp'), { recursive: true });
    // The key that signs the files' URLs survives restarts, or every link in the history would break.
    const secretFile = join(root, 'secret');
    let secret: Buffer;
    try {
      secret = await readFile(secretFile);
    } catch {
      secret = randomBytes(32);
      await writeFile(secretFile, secret, { mode: 0o600, flag: 'wx' }).catch(async () => (secret = await readFile(secretFile)));
    }
    return new FileStore(root, { ...DEFAULT_FILE_OPTIONS, ...options }, secret, clock, dir === undefined);
  }

  /** The part of a URL that proves it was handed out for this file. */
  key(id: string): string {
    return createHmac('sha256', this.secret).update(`file:${id}`).digest('base64url').slice(0, 32);
  }

  keyMatches(id: string, key: string): boolean {
    const expected = Buffer.from(this.key(id));
    const given = Buffer.from(key);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** A session's folder: named by a keyed hash, so a session id never becomes a path. */
  #folder(sessionId: string): string {
    return join(this.#sessions, this.#folderName(sessionId));
  }

  #folderName(sessionId: string): string {
    return createHmac('sha256', this.secret).update(`session:${sessionId}`).digest('hex').slice(0, 24);
  }

  /** The record and the bytes' path of a file, or undefined (malformed ids included). */
  async get(id: string): Promise<{ record: FileRecord; path: string } | undefined> {
    if (!ID.test(id)) return undefined;
    // The random part may hold "_" too: the folder is the first 24 characters.
    const base = join(this.#sessions, id.slice(0, 24), id.slice(25));
    try {
      const record = FileRecord.parse(JSON.parse(await readFile(`${base}.json`, 'utf8')));
      return record.id === id ? { record, path: `${base}.bin` } : undefined;
    } catch {
      return undefined;
    }
  }

  async list(sessionId: string): Promise<FileRecord[]> {
    const folder = this.#folder(sessionId);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      return [];
    }
    const records: FileRecord[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        const record = FileRecord.parse(JSON.parse(await readFile(join(folder, name), 'utf8')));
        if (record.sessionId === sessionId) records.push(record);
      } catch {
        // A record half-written by a crash: its file was never handed out.
      }
    }
    return records;
  }

  /**
   * Takes an upload's bytes into a temporary file, bounded in size and time, checks its type
   * from the content and only then files it under the session. Whatever goes wrong (too big,
   * too slow, cut off, refused type), nothing of it stays on disk.
   */
  receive(source: Readable, upload: { sessionId: string; chatbotId: string; name: string; by: 'user' | 'admin'; declaredBytes?: number }): Promise<FileRecord> {
    return this.#inTurn(upload.sessionId, () => {
      if (this.#closing) throw new UploadAborted('The server is closing.');
      return this.#receive(source, upload);
    });
  }

  /** `work` once the session's earlier uploads and removals are done: a removal that ran
   * beside an upload left the upload's file behind it (or failed on the folder it refilled). */
  #inTurn<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.#queues.get(sessionId) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.#queues.set(sessionId, run);
    void run.finally(() => {
      if (this.#queues.get(sessionId) === run) this.#queues.delete(sessionId);
    }).catch(() => undefined);
    return run;
  }

  async #receive(source: Readable, upload: { sessionId: string; chatbotId: string; name: string; by: 'user' | 'admin'; declaredBytes?: number }): Promise<FileRecord> {
    const { maxBytes, maxPerSession, maxSessionBytes } = this.options;
    if ((upload.declaredBytes ?? 0) > maxBytes) throw tooLarge(maxBytes);
    const existing = await this.list(upload.sessionId);
    if (existing.length >= maxPerSession) throw new UploadRefused(409, 'too_many_files', `This conversation already has ${maxPerSession} files.`);
    const used = existing.reduce((sum, file) => sum + file.size, 0);
    const room = Math.min(maxBytes, maxSessionBytes - used);
    if (room <= 0 || (upload.declaredBytes ?? 0) > room) throw new UploadRefused(413, 'session_quota', 'This conversation has no room for more files.');

    const part = join(this.#tmp, `${randomBytes(12).toString('hex')}.part`);
    try {
      const size = await this.#take(source, part, room, room < maxBytes ? 'session_quota' : 'file_too_large');
      if (size === 0) throw new UploadRefused(400, 'empty_file', 'The file is empty.');
      const type = await sniff(part);
      if (!type || !ALLOWED_TYPES.includes(type)) throw new UploadRefused(415, 'unsupported_type', 'This kind of file is not accepted.');
      const rand = randomBytes(16).toString('base64url');
      const folderName = this.#folderName(upload.sessionId);
      const id = `${folderName}_${rand}`;
      const folder = join(this.#sessions, folderName);
      await mkdir(folder, { recursive: true });
      const record: FileRecord = {
        id,
        sessionId: upload.sessionId,
        chatbotId: upload.chatbotId,
        name: displayName(upload.name, type),
        type,
        size,
        createdAt: new Date(this.clock.now()).toISOString(),
        by: upload.by,
      };
      // The bytes first, the record last: a file without its record is never served and is
      // swept with its session.
      await rename(part, join(folder, `${rand}.bin`));
      await writeFile(join(folder, `${rand}.json.part`), JSON.stringify(record));
      await rename(join(folder, `${rand}.json.part`), join(folder, `${rand}.json`));
      return record;
    } finally {
      await rm(part, { force: true });
    }
  }

  /** Streams `source` into `path`, refusing more than `limit` bytes and cutting off an upload
   * that is too slow in all or stalls; returns the size. */
  async #take(source: Readable, path: string, limit: number, overCode: string): Promise<number> {
    const { uploadTimeoutMs, idleTimeoutMs } = this.options;
    let size = 0;
    let idle: unknown;
    const clock = this.clock;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limit) return done(overCode === 'file_too_large' ? tooLarge(limit) : new UploadRefused(413, overCode, 'This conversation has no room for this file.'));
        clock.clearTimeout(idle);
        idle = clock.setTimeout(() => counter.destroy(slow()), idleTimeoutMs);
        done(null, chunk);
      },
    });
    // Before the timers: should it throw, none is left running.
    const sink = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    idle = clock.setTimeout(() => counter.destroy(slow()), idleTimeoutMs);
    const deadline = clock.setTimeout(() => counter.destroy(slow()), uploadTimeoutMs);
    try {
      await pipeline(source, counter, sink);
      return size;
    } catch (error) {
      if (error instanceof UploadRefused) throw error;
      throw new UploadAborted('The upload did not arrive whole.', { cause: error });
    } finally {
      clock.clearTimeout(idle);
      clock.clearTimeout(deadline);
      // A pipeline cut early rejects before the file's open has finished: the open still
      // creates the file after the caller's cleanup removed it, and it stays behind. Its close
      // comes after the open, whichever way the pipeline ended.
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
    }
  }

  /** Forgets a session's files, at once. */
  removeSession(sessionId: string): Promise<void> {
    return this.#inTurn(sessionId, () => rm(this.#folder(sessionId), { recursive: true, force: true }));
  }

  /** Removes the folders of sessions that no longer exist (expired, or removed while this
   * process was down). */
  async sweep(exists: (sessionId: string) => Promise<boolean>): Promise<void> {
    let folders: string[];
    try {
      folders = await readdir(this.#sessions);
    } catch {
      return;
    }
    for (const folder of folders) {
      const path = join(this.#sessions, folder);
      const names = await readdir(path).catch(() => [] as string[]);
      const record = names.find((name) => name.endsWith('.json'));
      let sessionId: string | undefined;
      if (record) sessionId = await readFile(join(path, record), 'utf8').then((text) => FileRecord.parse(JSON.parse(text)).sessionId, () => undefined);
      if (sessionId && (await exists(sessionId))) continue;
      // A folder with no readable record older than an upload's deadline holds nothing anyone got.
      if (!sessionId) {
        const info = await stat(path).catch(() => undefined);
        if (info && this.clock.now() - info.mtimeMs < this.options.uploadTimeoutMs * 2) continue;
      }
      await rm(path, { recursive: true, force: true });
    }
  }

  /** After the uploads under way: removed beneath one, a temporary folder came back. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.allSettled([...this.#queues.values()]);
    if (this.temporary) await rm(this.root, { recursive: true, force: true });
  }
}

function tooLarge(limit: number): UploadRefused {
  return new UploadRefused(413, 'file_too_large', `A file may be at most ${Math.floor(limit / (1024 * 1024)) || limit} ${limit >= 1024 * 1024 ? 'MB' : 'bytes'}.`);
}

function slow(): UploadRefused {
  return new UploadRefused(408, 'upload_timeout', 'The upload was too slow and was cut off.');
}

/** The type the content shows. Text has no signature: it is text when it decodes as UTF-8
 * without control characters, and markup (HTML, SVG, XML) is refused, whatever its name. */
async function sniff(path: string): Promise<string | undefined> {
  const found = await fileTypeFromFile(path);
  if (found) return found.mime;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    let text: string;
    try {
      // A multi-byte character cut at the window's end is not a reason to refuse.
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytesRead === buffer.length ? head.subarray(0, trimPartial(head)) : head);
    } catch {
      return undefined;
    }
    if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return undefined;
    if (/^\ufeff?\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|object|meta|!--)/i.test(text)) return undefined;
    return 'text/plain';
  } finally {
    await handle.close();
  }
}

/** The length of `bytes` without a trailing incomplete UTF-8 sequence. */
function trimPartial(bytes: Buffer): number {
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) !== 0x80) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return need > back ? end - back : end;
    }
  }
  return end;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

/** A name to show and to download as: the last part of whatever path was given, without
 * control or reserved characters, at most 200 characters; never a path. */
export function displayName(given: string, type: string): string {
  const last = given.split(/[/\\]/).pop() ?? '';
  const clean = last
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f"<>|:*?\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const name = [...clean].slice(0, 200).join('');
  return name || `file.${EXTENSIONS[type] ?? 'bin'}`;
}
