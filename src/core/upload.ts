/**
 * [ext] One file's upload, `POST {baseUrl}/api/chat/files`, with progress. Browsers and
 * webviews use XMLHttpRequest: its `upload.onprogress` is the one progress signal every engine
 * has (a streamed `fetch` body needs HTTP/2 in Chromium and is missing elsewhere). Without it
 * (Node, the terminal client) the body is a stream counted as the runtime pulls it, which
 * Node's `fetch` sends over HTTP/1.1. The answer is parsed like every REST answer. Sending a
 * file is rare: this is in the uploads part (upload-parts.ts), loaded when the first one goes.
 */
import { FILES_PATH, FileRef, SESSION_HEADER, describeIssue, endpointUrl } from './protocol.ts';
import { HTTP_CODES, failure, httpError } from './rest.ts';
import type { ChatError, ChatErrorCode } from './types.ts';
import { sendUpload } from './upload-transport.ts';

export type UploadResult = { ok: true; file: FileRef } | { ok: false; error: ChatError };

export interface Upload {
  baseUrl: string;
  chatbotId: string;
  sessionId: string;
  file: Blob;
  name: string;
  signal: AbortSignal;
  /** 0..1, as bytes leave. */
  progress(fraction: number): void;
  fetch?: typeof fetch | undefined;
}

export interface Answer {
  status: number;
  text: string;
  retryAfter: string | null;
}

export async function uploadFile(upload: Upload): Promise<UploadResult> {
  const url = endpointUrl(upload.baseUrl, FILES_PATH);
  url.searchParams.set('chatbotId', upload.chatbotId);
  url.searchParams.set('name', upload.name);
  let answer: Answer;
  try {
    answer = await sendUpload(url.toString(), upload, { [SESSION_HEADER]: upload.sessionId, 'Content-Type': upload.file.type || 'application/octet-stream' });
  } catch (cause) {
    if (upload.signal.aborted) return failure('network', 'The upload was canceled.');
    return failure('network', `The file could not be sent (${(cause as Error)?.message ?? cause}).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(answer.text);
  } catch {
    data = undefined;
  }
  if (answer.status < 200 || answer.status > 299) return { ok: false, error: httpError(answer.status, answer.retryAfter, data, UPLOAD_CODES) };
  const parsed = FileRef.safeParse(data);
  if (!parsed.success) return failure('invalid_response', `The chat service sent an invalid answer (${describeIssue(parsed.error)}).`, answer.status);
  upload.progress(1);
  return { ok: true, file: parsed.data };
}

/** An upload refused for its type (415) or a conflict (409) is the request's fault, as 400. */
const UPLOAD_CODES: Readonly<Record<number, ChatErrorCode>> = { ...HTTP_CODES, 409: 'bad_request', 415: 'bad_request' };
