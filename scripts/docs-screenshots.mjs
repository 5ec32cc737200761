#!/usr/bin/env node
// `npm run docs:screenshots`: refreshes the README's pictures. The journey
// (e2e/journey.test.ts) saves its screenshots under test-results/screenshots/, which git
// ignores, on every run; this builds the bundles, runs the journey and copies them into docs/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { root, SCREENSHOT_DIR } from '../e2e/paths.mjs';

const run = (args) => {
  const child = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (child.status !== 0) process.exit(child.status ?? 1);
};

run(['scripts/build.mjs', '--bundles-only']);
run(['--import', 'tsx', '--test', 'e2e/journey.test.ts']);
const pictures = readdirSync(SCREENSHOT_DIR).filter((file) => file.endsWith('.png'));
for (const file of pictures) copyFileSync(`${SCREENSHOT_DIR}${file}`, `${root}docs/${file}`);
console.log(`docs/: ${pictures.join(', ')}`);
