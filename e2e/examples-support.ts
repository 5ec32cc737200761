/**
 * Support for the example apps' test: the packed package installed into the examples'
 * workspace, their checkers' diagnostics read back, and their builds served as files.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, sep } from 'node:path';
import { root } from './paths.mjs';

export const examplesDir = join(root, 'examples');

/** The apps: the workspaces of examples/package.json. */
export function workspaces(): string[] {
  return (JSON.parse(readFileSync(join(examplesDir, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
}

export interface Finished {
  code: number;
  output: string;
  ms: number;
}

/** Runs a command to its end (async spawn: the test's own servers keep answering meanwhile). */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Finished> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env } });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output, ms: Date.now() - started }));
  });
}

async function mustRun(command: string, args: string[], cwd: string): Promise<Finished> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.code} in ${cwd}\n${result.output}`);
  return result;
}

/** What the package's tarball needs in dist/: the bundles, the declarations, the framework typings. */
const PACKED_FILES = ['dist/webchat-agent.js', 'dist/types/index.d.ts', 'custom-elements.json'];

/**
 * `npm pack` of the repository, into a temporary folder. Without its `prepack` build:
 * `npm test` has just built dist/, and building again would rewrite files that the other
 * end-to-end tests are serving at the same time. Only when dist/ lacks something is it built.
 * `EXAMPLES_TARBALL=<file.tgz>` tests the apps against that tarball instead (a release's).
 */
export async function packPackage(): Promise<{ tarball: string; ms: number }> {
  const started = Date.now();
  if (process.env.EXAMPLES_TARBALL) return { tarball: process.env.EXAMPLES_TARBALL, ms: 0 };
  if (!PACKED_FILES.every((file) => existsSync(join(root, file)))) await mustRun(process.execPath, ['scripts/build.mjs'], root);
  const destination = mkdtempSync(join(tmpdir(), 'webchat-agent-pack-'));
  const { output } = await mustRun('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], root);
  const [{ filename }] = JSON.parse(output.slice(output.indexOf('['))) as [{ filename: string }];
  return { tarball: join(destination, filename), ms: Date.now() - started };
}

/**
 * `npm ci` in examples/, skipped when node_modules was installed from this very lock file
 * (a stamp written after the install records its hash; `npm ci` removes node_modules, and
 * the stamp with it, before it installs). CI starts from a clean clone, so it always runs there.
 */
export async function installWorkspace(): Promise<{ ms: number; skipped: boolean }> {
  const started = Date.now();
  const lock = createHash('sha256').update(readFileSync(join(examplesDir, 'package-lock.json'))).digest('hex');
  const stamp = join(examplesDir, 'node_modules', '.webchat-agent-examples-installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) return { ms: Date.now() - started, skipped: true };
  await mustRun('npm', ['ci', '--no-audit', '--no-fund'], examplesDir);
  writeFileSync(stamp, lock);
  return { ms: Date.now() - started, skipped: false };
}

/**
 * The tarball unpacked as examples/node_modules/webchat-agent, as `npm install <tarball>`
 * would lay it out. Not through npm: the lock file would record the tarball's integrity,
 * which changes with every pack, and the package has no dependencies to resolve.
 */
export async function installTarball(tarball: string): Promise<{ ms: number }> {
  const started = Date.now();
  const target = join(examplesDir, 'node_modules', 'webchat-agent');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  await mustRun('tar', ['-xzf', tarball, '--strip-components=1', '-C', target], examplesDir);
  // `tsc -b` and `vue-tsc -b` keep what they checked in node_modules/.tmp: checked against
  // another package, it is stale.
  for (const app of workspaces()) rmSync(join(examplesDir, app, 'node_modules', '.tmp'), { recursive: true, force: true });
  return { ms: Date.now() - started };
}

export interface Diagnostic {
  file: string;
  line: number;
  message: string;
}

/**
 * The errors a checker printed, in any of the three shapes these print:
 * tsc and vue-tsc `file(12,3): error TS2322: …`, ngc `file:12:3 - error TS2322: …`, and
 * svelte-check's `--output machine` `123 ERROR "file" 12:3 "…"`. Paths relative to the app.
 */
export function diagnostics(output: string): Diagnostic[] {
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const found: Diagnostic[] = [];
  for (const match of text.matchAll(/^(\S[^\n(]*?)\((\d+),\d+\): error (TS\d+: .*(?:\n {2}.*)*)/gm)) found.push({ file: match[1]!, line: Number(match[2]), message: match[3]! });
  for (const match of text.matchAll(/^(\S[^\n:]*?):(\d+):\d+ - error (.*(?:\n {2}.*)*)/gm)) found.push({ file: match[1]!, line: Number(match[2]), message: match[3]! });
  for (const match of text.matchAll(/^\d+ ERROR "([^"]+)" (\d+):\d+ "(.*)"$/gm)) found.push({ file: match[1]!, line: Number(match[2]), message: match[3]!.replace(/\\"/g, '"') });
  return found;
}

/** The 1-based line of `file` that holds `snippet`, which must occur on exactly one line. */
export function lineOf(file: string, snippet: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const hits = lines.flatMap((line, index) => (line.includes(snippet) ? [index + 1] : []));
  if (hits.length !== 1) throw new Error(`${snippet} is on ${hits.length} lines of ${file}, not one`);
  return hits[0]!;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  url: string;
  close: () => Promise<void>;
}

/** A built app's folder over HTTP on a free port, as any static host would serve it. */
export async function serveStatic(dir: string): Promise<StaticServer> {
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(dir, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    if (relative(dir, file).startsWith(`..${sep}`)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
