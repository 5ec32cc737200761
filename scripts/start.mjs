#!/usr/bin/env node
// `npm start`: builds the element bundles and the agent console, then runs the reference
// server (demo page, agent console, REST bot, live-chat hub) on one port. Ctrl-C stops it.
// `npm start -- --no-build` serves dist/ as it is (the end-to-end tests run on the dist/
// that `npm test` built a moment before); the console, which is not part of dist/, is
// still built: it takes a fraction of a second.
// `npm start -- --data-dir <folder>` keeps the SQLite file there (default ./data).
// Environment: PORT (8787), HOST, AGENT_TOKEN, ALLOWED_ORIGINS, HANDOFF_TIMEOUT_MS, DATA_DIR,
// REDIS_URL (then state is in Redis, shared by every instance on it): see server/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildConsole } from './console.mjs';

// fileURLToPath, not URL.pathname: a checkout path with spaces stays a usable path.
const root = fileURLToPath(new URL('..', import.meta.url));

if (process.argv.includes('--no-build')) {
  if (!existsSync(`${root}dist/webchat-agent.js`)) console.warn('There is no dist/ yet: run `npm run build` first, or `npm start` without --no-build.');
} else {
  console.log('Building the element bundles…');
  const bundles = spawnSync('node', ['scripts/build.mjs', '--bundles-only'], { cwd: root, stdio: 'inherit' });
  if (bundles.status !== 0) {
    // The demo page still renders (the tag is just unknown), so the server is still worth starting.
    console.warn('The element bundles did not build: the demo page will show a placeholder instead of the chat.');
  }
}

console.log('Building the agent console…');
await buildConsole();

// The server's own flags (--data-dir) pass through.
const serverArgs = process.argv.slice(2).filter((arg) => arg !== '--no-build');
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...serverArgs], { cwd: root, stdio: 'inherit' });

// Ctrl-C reaches the whole process group: the server closes its sockets and exits; this
// script just waits for it. A SIGTERM sent to this script alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => server.kill('SIGTERM'));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
