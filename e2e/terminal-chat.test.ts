/**
 * The terminal example on the built headless core (dist/core.js) in plain Node: what the
 * README promises for using the core outside a browser.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer } from '../server/app.ts';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;

function chat(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['examples/terminal-chat.mjs', server.url, 'demo'], {
      cwd: new URL('..', import.meta.url).pathname,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
    child.stdin.end(input);
  });
}

describe('terminal example on the built core', () => {
  before(async () => {
    server = await startServer({ port: 0 });
  });
  after(async () => {
    await server.close();
  });

  it('gets a bot answer with its source, then waits for an agent after asking for a human', async () => {
    const output = await chat('How do I connect to the VPN?\n/human\n');
    assert.match(output, /^bot: Connecting to the VPN/m);
    assert.match(output, /^ {3}source: Connecting to the VPN$/m);
    assert.match(output, /^-- waiting$/m);
    assert.doesNotMatch(output, /^!!/m);
  });
});
