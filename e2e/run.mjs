#!/usr/bin/env node
// `npm run test:e2e [-- e2e/<file>.test.ts …]`: the end-to-end tests (all of them by default)
// on the built bundles. Builds them first when dist/ lacks one; otherwise uses dist/ as it is.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { distBuilt, root } from './paths.mjs';

if (!distBuilt()) {
  console.log('dist/ is not built yet: building the bundles first…');
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--bundles-only'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Node 20's --test does not expand globs: the files are listed here.
const files = process.argv.slice(2);
const tests = files.length > 0 ? files : readdirSync(`${root}e2e`).filter((file) => file.endsWith('.test.ts')).sort().map((file) => `e2e/${file}`);
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...tests], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
