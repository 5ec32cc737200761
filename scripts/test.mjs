#!/usr/bin/env node
// `npm test`: type-check, build (with the size budget), browser tests, Node tests (server,
// headless core in Node, end-to-end journeys). Every stage runs even when one fails, and
// the last line is the total CI reads: `N passed, N failed`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const countsFile = join(root, 'node_modules/.cache/wtr-counts.json');
const totals = { passed: 0, failed: 0 };
const summary = [];

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env } });
    child.stdout.on('data', (chunk) => { output += chunk; process.stdout.write(chunk); });
    child.stderr.on('data', (chunk) => { output += chunk; process.stderr.write(chunk); });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function record(stage, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  summary.push(`${stage}: ${passed} passed, ${failed} failed`);
}

/** A stage that is one check (type-check, build): it passes or fails as a whole. */
async function check(stage, command, args) {
  console.log(`\n== ${stage} ==`);
  const { code } = await run(command, args);
  record(stage, code === 0 ? 1 : 0, code === 0 ? 0 : 1);
  return code === 0;
}

function findTests(dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.test.ts') && !file.includes('node_modules'))
    .map((file) => join(dir, file))
    .sort();
}

await check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
await check('typecheck core (no DOM)', 'npx', ['tsc', '-p', 'tsconfig.core.json', '--noEmit']);
const built = await check('build + size budget', 'node', ['scripts/build.mjs', '--check-budget']);

console.log('\n== browser tests (Web Test Runner, Chromium) ==');
rmSync(countsFile, { force: true });
const browser = await run('npx', ['web-test-runner'], { WTR_COUNTS_FILE: countsFile });
if (existsSync(countsFile)) {
  const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  record('browser', counts.passed, counts.failed + (counts.failed === 0 && browser.code !== 0 ? 1 : 0));
} else {
  record('browser', 0, 1);
}

const nodeTests = [...findTests('server'), ...findTests('test/node'), ...(built ? findTests('e2e') : [])];
if (nodeTests.length > 0) {
  console.log('\n== Node tests (server, core in Node, end to end) ==');
  const node = await run('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeTests]);
  const passed = Number(/^ℹ pass (\d+)/m.exec(node.output)?.[1] ?? 0);
  const failed = Number(/^ℹ fail (\d+)/m.exec(node.output)?.[1] ?? 0);
  record('node', passed, failed + (failed === 0 && node.code !== 0 ? 1 : 0));
}

console.log(`\n${summary.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
