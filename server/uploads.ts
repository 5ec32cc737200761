/**
 * [ext] The file routes under the REST base URL:
 * - `POST /api/chat/files?chatbotId=<id>&name=<name>`: the raw bytes as the body, authorised by
 *   `X-Chat-Session-Id` (the visitor, in live chat) or `Authorization: Bearer <agent token>`
 *   with `X-Chat-Session-Id` naming the session; answers 201 with the file's reference.
 * - `GET /api/chat/files/<id>/<key>`: the file, for whoever was handed its URL (an `<img>`
 *   sends no headers); `GET /api/chat/files/<id>` with the same authorisation as the upload.
 * Files are served so that no browser runs or renders them as a page of this origin.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { timingSafeEqual } from 'node:crypto';
import { FILES_PATH, isLiveChat, type FileRef } from '../src/core/protocol.ts';
import type { Conversations } from './conversations.ts';
import { RASTER_IMAGES, UploadAborted, UploadRefused, type FileRecord, type FileStore } from './files.ts';
import { HttpError, RequestAborted, requestOrigin, sendJson } from './http.ts';
import { sessionHeader } from './rest.ts';

export interface UploadContext {
  files: FileStore;
  conversations: Conversations;
  chatbotIds: ReadonlySet<string>;
  agentToken: string;
}

export const isFilesPath = (path: string) => path === FILES_PATH || path.startsWith(`${FILES_PATH}/`);

export async function handleFiles(req: IncomingMessage, res: ServerResponse, url: URL, ctx: UploadContext, cors: Record<string, string>): Promise<void> {
  if (url.pathname === FILES_PATH) {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', `${req.method} is not supported here.`);
    return upload(req, res, url, ctx, cors);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', `${req.method} is not supported here.`);
  const [id = '', key, ...rest] = url.pathname.slice(FILES_PATH.length + 1).split('/');
  const found = rest.length === 0 ? await ctx.files.get(id) : undefined;
  // One answer for "no such file" and "not yours": nobody learns which ids exist.
  if (!found || !(key !== undefined ? ctx.files.keyMatches(id, key) : await mayRead(req, found.record, ctx))) {
    throw new HttpError(404, 'not_found', 'No such file.');
  }
  return serve(req, res, found.record, found.path, cors);
}

/** The file reference messages carry: its URL is the signed one. */
export function referenceOf(record: FileRecord, files: FileStore, origin: string): FileRef {
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    size: record.size,
    url: `${origin}${FILES_PATH}/${record.id}/${files.key(record.id)}`,
  };
}

async function upload(req: IncomingMessage, res: ServerResponse, url: URL, ctx: UploadContext, cors: Record<string, string>): Promise<void> {
  const chatbotId = url.searchParams.get('chatbotId') ?? '';
  if (!ctx.chatbotIds.has(chatbotId)) throw new HttpError(404, 'unknown_chatbot', `Unknown chatbot "${chatbotId}".`);
  const agent = bearer(req, ctx.agentToken);
  const session = await ctx.conversations.get(sessionHeader(req), chatbotId);
  if (!session) throw new HttpError(404, 'unknown_session', 'Unknown or expired session.');
  // The bot reads no files: a visitor sends them to a person.
  if (!agent && !isLiveChat(session.state.mode, session.state.status)) throw new HttpError(409, 'not_live', 'Files can be sent in a live chat only.');
  const declared = req.headers['content-length'];
  try {
    const record = await ctx.files.receive(req, {
      sessionId: session.id,
      chatbotId,
      name: url.searchParams.get('name') ?? '',
      by: agent ? 'admin' : 'user',
      ...(declared !== undefined && { declaredBytes: Number(declared) }),
    });
    sendJson(res, 201, referenceOf(record, ctx.files, requestOrigin(req)), { ...cors, 'X-Chat-Session-Id': session.id });
  } catch (error) {
    if (error instanceof UploadRefused) {
      // The rest of a refused body is not worth reading: the connection closes after the answer.
      throw new HttpError(error.status, error.code, error.message, { Connection: 'close' });
    }
    if (error instanceof UploadAborted && !req.complete) throw new RequestAborted();
    throw error;
  }
}

async function mayRead(req: IncomingMessage, record: FileRecord, ctx: UploadContext): Promise<boolean> {
  if (bearer(req, ctx.agentToken)) return true;
  return sessionHeader(req) === record.sessionId;
}

function bearer(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function serve(req: IncomingMessage, res: ServerResponse, record: FileRecord, path: string, cors: Record<string, string>): void {
  const inline = RASTER_IMAGES.includes(record.type);
  res.writeHead(200, {
    ...cors,
    'Content-Type': record.type === 'text/plain' ? 'text/plain; charset=utf-8' : record.type,
    'Content-Length': record.size,
    'X-Content-Type-Options': 'nosniff',
    // Opened directly, the file is a sandboxed document with no scripts and no origin.
    'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; ${dispositionName(record.name)}`,
    'Cache-Control': 'private, max-age=3600',
    'Referrer-Policy': 'no-referrer',
  });
  if (req.method === 'HEAD') return void res.end();
  // pipeline, not pipe: a download the client abandons closes the file too (pipe leaves it
  // open, paused, for good); a read error ends the response.
  pipeline(createReadStream(path), res).catch(() => res.destroy());
}

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
function dispositionName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
