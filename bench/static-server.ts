/**
 * The bench pages' origin: serves bench/pages and dist on 127.0.0.1 (port 0). Its `/api/*`
 * answers 404, which the client reads as "no history endpoint", so a restored transcript
 * is shown as persisted and nothing else talks to the network.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MOUNTS: Record<string, string> = {
  '/dist/': join(ROOT, 'dist'),
  // The peer widget measured beside the element (bench/peer, installed by `npm run bench`).
  '/peer/': join(ROOT, 'bench', 'peer', 'node_modules', 'deep-chat', 'dist'),
  '/': join(ROOT, 'bench', 'pages'),
};
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function startStaticServer(): Promise<StaticServer> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.startsWith('/api/')) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ error: { code: 'not_found', message: 'No API here.' } }));
    }
    const mount = Object.keys(MOUNTS).find((prefix) => path.startsWith(prefix))!;
    const root = MOUNTS[mount]!;
    const file = normalize(join(root, path.slice(mount.length)));
    const body = file.startsWith(root + sep) ? await readFile(file).catch(() => null) : null;
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return void res.end('not found');
    }
    // no-store: every start-up run pays for the script like a first visit.
    res.writeHead(200, { 'Content-Type': `${TYPES[extname(file)] ?? 'application/octet-stream'}; charset=utf-8`, 'Cache-Control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
