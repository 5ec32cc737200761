#!/usr/bin/env node
// `npm run docs:screenshots`: refreshes the README's pictures. The journey
// (e2e/journey.test.ts) and the phone test (e2e/phone.test.ts) save their screenshots under
// test-results/, which git ignores, on every run; this builds the bundles, runs both and
// copies them into docs/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { FILES_SCREENSHOT_DIR, PHONE_SCREENSHOT_DIR, root, SCREENSHOT_DIR } from '../e2e/paths.mjs';

const run = (args) => {
  const child = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (child.status !== 0) process.exit(child.status ?? 1);
};

run(['scripts/build.mjs', '--bundles-only']);
run(['--import', 'tsx', '--test', 'e2e/journey.test.ts', 'e2e/phone.test.ts', 'e2e/files-journey.test.ts']);
const pictures = [SCREENSHOT_DIR, PHONE_SCREENSHOT_DIR, FILES_SCREENSHOT_DIR].flatMap((dir) => readdirSync(dir).filter((file) => file.endsWith('.png')).map((file) => [dir, file]));
for (const [dir, file] of pictures) copyFileSync(`${dir}${file}`, `${root}docs/${file}`);
console.log(`docs/: ${pictures.map(([, file]) => file).join(', ')}`);
