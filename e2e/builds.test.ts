/**
 * `npm start` and `npm run build` must not delete each other's output: the agent console's
 * folder lies outside every folder a `vite build` writes (and the ES build empties). And the
 * built files are shaped as package.json's exports promise: the ES entries share one core.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vite';
import viteConfig from '../vite.config.ts';
import { CONSOLE_DIR } from '../scripts/console.mjs';
import { PARTS } from '../scripts/parts.mjs';
import { closure } from '../scripts/sizes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The modes `npm run build` runs vite in: the default one, each `--mode` of scripts/build.mjs and each part's. */
const modes = ['production', ...[...readFileSync(`${root}scripts/build.mjs`, 'utf8').matchAll(/'--mode', '([\w-]+)'/g)].map((match) => match[1]!), ...Object.keys(PARTS)];

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

describe('the ES build (dist/, as `npm run build` left it)', () => {
  const dist = `${root}dist/`;
  /** The source files a built file was made of, from its source map. */
  const sourcesOf = (file: string): string[] =>
    existsSync(`${dist}${file}.map`) ? (JSON.parse(readFileSync(`${dist}${file}.map`, 'utf8')) as { sources: string[] }).sources.map((path) => path.replace(/^(\.\.\/)+/, '')) : [];

  it('its three entries load one core chunk, and each module of src/ is in one of its files only', () => {
    assert.ok(existsSync(`${dist}element.js`), 'dist/ is not built: run `npm run build` first');
    const loaded = ['webchat-agent.js', 'element.js', 'core.js'].map((entry) => closure(entry));
    const coreChunks = loaded.map((files) => files.filter((file) => sourcesOf(file).includes('src/core/client.ts')));
    assert.deepEqual(coreChunks.map((files) => files.length), [1, 1, 1]);
    assert.equal(new Set(coreChunks.flat()).size, 1, `one core chunk: ${coreChunks.flat().join(', ')}`);
    // Every file of the ES build but the script-tag bundle and the parts it loads beside itself (builds of their own).
    const files = readdirSync(dist).filter((file) => file.endsWith('.js') && !new RegExp(`^webchat-agent\\.(iife|${Object.keys(PARTS).join('|')}|locale-[\\w-]+)\\.js$`).test(file) && file !== 'cli.js');
    const seen = new Map<string, string[]>();
    for (const file of files) for (const source of sourcesOf(file).filter((path) => path.startsWith('src/'))) seen.set(source, [...(seen.get(source) ?? []), file]);
    assert.deepEqual([...seen].filter(([, where]) => where.length > 1), []);
    assert.ok(seen.has('src/core/protocol.ts') && seen.has('src/components/webchat-agent.ts'));
  });

  it('`webchat-agent/element` only re-exports its chunk: importing it runs nothing but the class definitions', () => {
    assert.match(readFileSync(`${dist}element.js`, 'utf8'), /^export \{[^}]*\} from "\.\/[\w-]+\.js";\s*$/);
    assert.ok(closure('element.js').some((file) => sourcesOf(file).includes('src/element.ts')));
  });

  it("the server build (dist/node/) imports the browser build's core chunk instead of a copy", () => {
    const [browserCore] = closure('core.js').filter((file) => file !== 'core.js');
    const server = closure('node/webchat-agent.js');
    assert.ok(server.includes(browserCore!), server.join(', '));
    assert.deepEqual(readdirSync(`${dist}node`).filter((file) => file.startsWith('core-')), []);
  });
});
