/**
 * End-to-end support: `npm start` as a newcomer runs it (a child process on a free port),
 * on the dist/ already built, and Debian's Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { distBuilt, root } from './paths.mjs';

export interface RunningApp {
  url: string;
  agentToken: string;
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * Starts `npm start -- --no-build` with its own port and agent token; resolves once the demo
 * page answers. It serves the dist/ there is (`npm test` has just built it): building again
 * here would cost time and rewrite files another test may be reading.
 */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  if (!distBuilt()) throw new Error('dist/ is not built: run `npm run build` first (`npm run test:e2e` does when needed).');
  const port = await freePort();
  const agentToken = `e2e-${Math.random().toString(36).slice(2)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'webchat-e2e-'));
  let output = '';
  // Async spawn: a blocking child would starve this process while the page loads.
  const child = spawn('npm', ['start', '--silent', '--', '--no-build'], {
    cwd: root,
    // A data folder of its own: `npm start` keeps its state in ./data by default, and an
    // earlier run's waiting visitors would be in this run's console.
    env: { ...process.env, PORT: String(port), AGENT_TOKEN: agentToken, DATA_DIR: dataDir, ...env },
    detached: true,
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return void rmSync(dataDir, { recursive: true, force: true });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGINT');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/`, child, 120_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, agentToken, output: () => output, stop };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}
