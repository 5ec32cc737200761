#!/usr/bin/env node
// `npm run build`: the element (ES module, and the IIFE from its own entry), the core alone, type declarations and the
// custom-elements manifest; then prints sizes. `--check-budget` fails when the IIFE is
// over its gzip budget (the one size CI enforces). `--bundles-only` skips d.ts + manifest.
import { execFileSync } from 'node:child_process';
import { BUNDLES, IIFE_BUDGET_BYTES, kb, sizes } from './sizes.mjs';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'iife', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'core', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'purify', '--logLevel', 'warn']);
if (!process.argv.includes('--bundles-only')) {
  run('npx', ['tsc', '-p', 'tsconfig.build.json']);
  run('npx', ['cem', 'analyze', '--litelement', '--globs', 'src/components/**/*.ts', '--exclude', 'src/**/*.test.ts', '--outdir', '.', '--quiet']);
}

for (const file of BUNDLES) {
  const s = sizes(file);
  console.log(`${file.padEnd(24)} min ${kb(s.min).padStart(9)}  gzip ${kb(s.gzip).padStart(8)}  brotli ${kb(s.brotli).padStart(8)}`);
}

if (process.argv.includes('--check-budget')) {
  const { gzip } = sizes('webchat-agent.iife.js');
  if (gzip > IIFE_BUDGET_BYTES) {
    console.error(`Size budget exceeded: webchat-agent.iife.js is ${kb(gzip)} gzip, budget ${kb(IIFE_BUDGET_BYTES)}`);
    process.exit(1);
  }
  console.log(`Size budget: webchat-agent.iife.js ${kb(gzip)} gzip ≤ ${kb(IIFE_BUDGET_BYTES)}`);
}
