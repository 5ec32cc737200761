/**
 * [ext] The visitor's files, in the reducer: a message with files is uploaded first (one file
 * at a time, in the order given), then sent like any live message with the references the
 * server answered. From then on it is an ordinary outbox message: a reconnect resends the
 * references, never the bytes. Uploads wait for the live chat, the connection and the
 * server's limits; the limits are checked before any byte goes out.
 */
import { fail, isLive, type Config, type Draft, type Effect } from './model.ts';
import { MAX_MESSAGE_LENGTH, isValidMessageText, type FileLimits, type FileRef } from './protocol.ts';
import { checkFiles, rejected } from './file-checks.ts';
import { queueLive } from './socket.ts';
import { add, patch, stamp } from './transcript.ts';
import type { ChatError, ChatMessage, OutgoingFile } from './types.ts';

export function sendFiles(m: Draft, fx: Effect[], config: Config, input: { id: string; files: readonly OutgoingFile[]; caption: string; now: number }): void {
  const caption = typeof input.caption === 'string' ? input.caption.trim() : '';
  if (input.files.length === 0) return void fail(m, fx, rejected('No file was given.', 'no_file'));
  if (caption && !isValidMessageText(caption)) return void fail(m, fx, { code: 'invalid_message', message: `A message must be 1 to ${MAX_MESSAGE_LENGTH} characters long.` });
  if (!isLive(m)) return void fail(m, fx, rejected('Files can be sent in a live chat only.', 'not_live'));
  const error = refusal(m, input.files);
  if (error) return void fail(m, fx, error);
  const message: ChatMessage = {
    id: input.id,
    clientMessageId: input.id,
    sender: 'user',
    content: caption,
    html: false,
    sources: [],
    createdAt: stamp(m, input.now),
    delivery: 'sending',
    attachments: [],
    upload: { files: input.files, progress: 0 },
  };
  add(m, fx, message);
  m.uploads = [...m.uploads, message.id];
  pump(m, fx, config);
}

/** What the limits say of these files: known limits only (unknown ones are checked on arrival). */
function refusal(m: Draft, files: readonly OutgoingFile[]): ChatError | null {
  if (m.files) return checkFiles(files, m.files);
  // Joined, and the server advertised nothing: it takes no files.
  if (m.socket?.joined && m.socket.role === 'user') return rejected('This chat does not take files.', 'files_unsupported');
  return null;
}

/** Starts the next upload when one can start: live, online, joined with the limits known. */
export function pump(m: Draft, fx: Effect[], config: Config): void {
  while (!m.uploading && m.uploads.length && m.online && isLive(m) && m.sessionId && m.socket?.joined) {
    const [id, ...rest] = m.uploads;
    m.uploads = rest;
    const message = m.messages.find((x) => x.id === id && x.delivery === 'sending');
    if (!message?.upload) continue;
    const error = refusal(m, message.upload.files);
    if (error) {
      failMessage(m, fx, message, error);
      continue;
    }
    const done = message.attachments?.length ?? 0;
    if (done >= message.upload.files.length) {
      finish(m, fx, config, message);
      continue;
    }
    m.uploading = id!;
    fx.push({ type: 'upload', id: id!, index: done, sessionId: m.sessionId });
  }
}

/** The join's acknowledgement: what the server takes (null: nothing). */
export function limitsKnown(m: Draft, fx: Effect[], config: Config, limits: FileLimits | null | undefined): void {
  m.files = limits ?? null;
  pump(m, fx, config);
}

export function uploadProgress(m: Draft, id: string, fraction: number): void {
  if (m.uploading !== id) return;
  const message = m.messages.find((x) => x.id === id);
  if (!message?.upload) return;
  const count = message.upload.files.length;
  const progress = Math.max(0, Math.min(1, ((message.attachments?.length ?? 0) + fraction) / count));
  if (progress !== message.upload.progress) patch(m, { ...message, upload: { ...message.upload, progress } });
}

export function uploadOk(m: Draft, fx: Effect[], config: Config, id: string, file: FileRef): void {
  if (m.uploading !== id) return;
  const message = m.messages.find((x) => x.id === id);
  m.uploading = null;
  if (!message?.upload) return pump(m, fx, config);
  const attachments = [...(message.attachments ?? []), file];
  const next = { ...message, attachments, upload: { ...message.upload, progress: attachments.length / message.upload.files.length } };
  patch(m, next);
  if (attachments.length < message.upload.files.length) m.uploads = [id, ...m.uploads];
  else finish(m, fx, config, next);
  pump(m, fx, config);
}

export function uploadFail(m: Draft, fx: Effect[], config: Config, id: string, error: ChatError): void {
  if (m.uploading !== id) return;
  m.uploading = null;
  const message = m.messages.find((x) => x.id === id);
  if (message) failMessage(m, fx, message, error);
  pump(m, fx, config);
}

/** Uploaded, every file: now an ordinary live message that carries the references. */
function finish(m: Draft, fx: Effect[], config: Config, message: ChatMessage): void {
  const sending: ChatMessage = { ...message, upload: undefined, delivery: 'sending' };
  patch(m, sending);
  queueLive(m, fx, config, sending);
}

function failMessage(m: Draft, fx: Effect[], message: ChatMessage, error: ChatError): void {
  const shown = fail(m, fx, error);
  patch(m, { ...message, delivery: 'failed', error: shown, ...(message.upload && { upload: { ...message.upload, progress: 0 } }) });
}

/** The visitor takes a message with files back before it was sent: its upload stops and the
 * message goes. Once sent, it is the server's. */
export function cancelFiles(m: Draft, fx: Effect[], config: Config, id: string): boolean {
  const message = m.messages.find((x) => x.id === id);
  if (!message?.upload || message.delivery === 'sent') return false;
  if (m.uploading === id) {
    m.uploading = null;
    fx.push({ type: 'abortUpload', id });
  }
  m.uploads = m.uploads.filter((x) => x !== id);
  m.messages = m.messages.filter((x) => x.id !== id);
  pump(m, fx, config);
  return true;
}

/** Retry of a failed message whose files are not all uploaded: the rest upload again. */
export function retryFiles(m: Draft, fx: Effect[], config: Config, message: ChatMessage): boolean {
  if (!message.upload) return false;
  patch(m, { ...message, delivery: 'sending', error: undefined });
  m.uploads = [...m.uploads, message.id];
  pump(m, fx, config);
  return true;
}

/** The live chat is over: files still waiting cannot go any more. */
export function failUploads(m: Draft, fx: Effect[], error: ChatError): void {
  if (!m.uploads.length && !m.uploading) return;
  if (m.uploading) fx.push({ type: 'abortUpload', id: m.uploading });
  const waiting = new Set([...m.uploads, ...(m.uploading ? [m.uploading] : [])]);
  m.uploads = [];
  m.uploading = null;
  for (const message of m.messages) if (waiting.has(message.id)) patch(m, { ...message, delivery: 'failed', error, ...(message.upload && { upload: { ...message.upload, progress: 0 } }) });
}
