/**
 * `npm start` and `npm run build` must not delete each other's output: the agent console's
 * folder lies outside every folder a `vite build` writes (and the ES build empties).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vite';
import viteConfig from '../vite.config.ts';
import { CONSOLE_DIR } from '../scripts/console.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The modes `npm run build` runs vite in: the default one and each `--mode` of scripts/build.mjs. */
const modes = ['production', ...[...readFileSync(`${root}scripts/build.mjs`, 'utf8').matchAll(/'--mode', '([\w-]+)'/g)].map((match) => match[1]!)];

describe("the builds' output folders", () => {
  it("the agent console's folder is outside every library build's output folder", async () => {
    const consoleDir = resolve(root, CONSOLE_DIR);
    assert.ok(modes.length > 1, `modes: ${modes.join(', ')}`);
    for (const mode of modes) {
      const config = (typeof viteConfig === 'function' ? await viteConfig({ mode, command: 'build' }) : viteConfig) as UserConfig;
      const outDir = resolve(root, config.build?.outDir ?? 'dist');
      const inside = relative(outDir, consoleDir);
      assert.ok(inside.startsWith('..'), `${mode}: ${CONSOLE_DIR} is inside ${relative(root, outDir)}`);
    }
  });
});
