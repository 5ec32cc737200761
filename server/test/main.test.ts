/** `server/main.ts` as an operator runs it: what it prints, and a clean stop. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The server keeps its SQLite file there: not in the checkout's ./data.
const dataDir = mkdtempSync(join(tmpdir(), 'webchat-main-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** Starts main.ts on a free port; resolves with its banner once it is listening. */
function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: { ...process.env, PORT: '0', DATA_DIR: dataDir, REDIS_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const banner = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      if (stdout.includes('Ctrl-C stops the server.')) resolve(stdout);
    });
    void exited.then(() => reject(new Error(`exited before listening: ${stdout}`)));
  });
  return { child, banner, exited, output: () => stdout };
}

describe('the command line', () => {
  test('a token from AGENT_TOKEN is never printed; SIGTERM stops the server with exit code 0', async () => {
    const secret = 'operator-chosen-secret-1234';
    const server = run({ AGENT_TOKEN: secret });
    const banner = await server.banner;
    assert.ok(!banner.includes(secret), banner);
    assert.match(banner, /Agent token: +\(from AGENT_TOKEN\)/);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /Server stopped\./);
  });

  test('a generated token is printed, for the operator to sign in with', async () => {
    const env: Record<string, string> = { AGENT_TOKEN: '' };
    const server = run(env);
    const banner = await server.banner;
    assert.match(banner, /Agent token: +[\w-]{20,} \(generated/);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });

  test('a bad flag is refused with the usage and exit code 64', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--data-folder', 'x'], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 64);
    assert.match(stderr, /Usage: server\/main\.ts \[--data-dir <folder>\]/);
  });

  test('with an unreachable REDIS_URL it says so and exits 1, without printing the password', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', REDIS_URL: 'redis://:hunter2@127.0.0.1:1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 1);
    assert.match(output, /Redis is not reachable/);
    assert.ok(!output.includes('hunter2'), output);
  });
});
