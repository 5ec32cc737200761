/** Small HTTP helpers shared by the routes: JSON bodies, JSON errors, CORS. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SESSION_HEADER } from '../src/core/protocol.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Every error leaves as `{ error: { code, message } }` [PROTOCOL §1]. */
export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/** The client left before sending the whole body: nobody is there to answer. */
export class RequestAborted extends Error {
  constructor() {
    super('The client abandoned the request.');
  }
}

/** Reads a JSON body, refusing more than `limit` bytes without buffering the rest. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } catch (error) {
    if (!(error instanceof HttpError) && !req.complete) throw new RequestAborted();
    throw error;
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes.`);
}

/** A host name, IPv4 or bracketed IPv6 address, with an optional port: nothing else. */
const VALID_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin this server is reached at, as the browser sees it. A Host header that is not
 * a host (`a b`, markup) falls back to the address the connection reached.
 */
export function requestOrigin(req: IncomingMessage): string {
  const host = req.headers.host;
  if (host && VALID_HOST.test(host)) return `http://${host}`;
  const address = req.socket.localAddress ?? '127.0.0.1';
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
}

/**
 * Origin policy: `'*'` allows any page; a list allows those origins plus this server's
 * own (so the demo pages keep working). Requests without an Origin (curl, server to
 * server) are not cross-origin browser requests and pass.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[] | '*'): boolean {
  const origin = req.headers.origin;
  if (!origin || allowed === '*') return true;
  return origin === requestOrigin(req) || allowed.includes(origin);
}

export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    'Access-Control-Expose-Headers': `${SESSION_HEADER}, Retry-After`,
  };
}

export function preflightHeaders(req: IncomingMessage): Record<string, string> {
  return {
    ...corsHeaders(req),
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': `Content-Type, ${SESSION_HEADER}`,
    'Access-Control-Max-Age': '600',
  };
}
