/** Static files and pages: the demo pages, the built bundles and console, the knowledge articles. */
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** The demo pages must work under this policy: no inline script or style anywhere. */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

export function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache' });
  res.end(html);
}

/**
 * Serves `relativePath` from `root` when it is a file inside it; returns false otherwise.
 * `transform` may rewrite HTML (the demo page gets this server's origin). Files under
 * `hidden` (a folder inside `root`) are not served, however the path spells it.
 */
export async function sendFile(res: ServerResponse, root: string, relativePath: string, transform?: (html: string) => string, hidden?: string): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relativePath);
  } catch {
    return false;
  }
  const path = normalize(join(root, decoded));
  if (!path.startsWith(normalize(root + sep))) return false;
  if (hidden && path.startsWith(normalize(hidden + sep))) return false;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return false;
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  let body: Buffer | string = await readFile(path);
  if (transform && type === TYPES['.html']) body = transform(body.toString('utf8'));
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache' });
  res.end(body);
  return true;
}
