#!/usr/bin/env node
// `npm run build`: the ES build (the element's entries and the core, sharing chunks), its
// server build (dist/node/), the IIFE from its own entry, its parts (scripts/parts.mjs: the
// DOMPurify fallback, the uploads, the file UI, the live chat) and the locales beside it (webchat-agent.locale-<tag>.js), bundled type
// declarations, the custom-elements manifest and the framework typings made from it, and the
// `webchat-agent` terminal command (dist/cli.js); then prints sizes. `--check-budget` fails
// when the IIFE, or the IIFE with every part and the largest locale, is over its gzip budget
// (the sizes CI enforces, scripts/sizes.mjs). `--bundles-only` skips
// the declarations, the manifest and the framework typings.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleTypes } from './bundle-types.mjs';
import { PARTS } from './parts.mjs';
import { ALL_BUDGET_BYTES, BUNDLES, CHAT_BUDGET_BYTES, CHAT_FILES, IIFE_BUDGET_BYTES, kb, scriptTagFiles, sizes } from './sizes.mjs';

const root = new URL('..', import.meta.url).pathname;
/** The ES build's entries (vite.config.ts), named by package.json's exports. */
const ENTRIES = ['webchat-agent.js', 'element.js', 'core.js'];
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'iife', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'node', '--logLevel', 'warn']);
for (const part of Object.keys(PARTS)) run('npx', ['vite', 'build', '--mode', part, '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'locales', '--logLevel', 'warn']);
shareIdenticalChunks(`${root}dist/node/`, `${root}dist/`);
// The terminal command, after the vite builds (the ES build empties dist/). One file with
// ws and html-to-text inside, so the installed package needs no dependency at run time;
// ws's optional native add-ons stay out (it runs without them). ESM has no `require`, which
// ws's CommonJS needs: the banner makes one.
await build({
  entryPoints: [`${root}src/cli/main.ts`],
  outfile: `${root}dist/cli.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'eof',
  external: ['bufferutil', 'utf-8-validate'],
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(`${root}dist/cli.js`, 0o755);
/**
 * The server build's chunks that are the browser build's byte for byte (the core's: it has
 * no lit in it) are not shipped twice: the server build imports the browser build's file
 * instead. The package is smaller, and a server that imports both builds still gets one core.
 */
function shareIdenticalChunks(serverDir, browserDir) {
  const code = (file) => readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '');
  const files = readdirSync(serverDir).filter((file) => file.endsWith('.js'));
  // Entries stay, even when they are the same: package.json's exports name them.
  const chunks = files.filter((file) => !ENTRIES.includes(file));
  const shared = chunks.filter((file) => existsSync(browserDir + file) && code(serverDir + file) === code(browserDir + file));
  for (const file of shared) rmSync(serverDir + file);
  for (const file of files.filter((name) => !shared.includes(name))) {
    let text = readFileSync(serverDir + file, 'utf8');
    // Hashed chunk names: a quoted `./name` can only be an import of that chunk.
    for (const chunk of shared) text = text.replaceAll(`"./${chunk}"`, `"../${chunk}"`).replaceAll(`'./${chunk}'`, `'../${chunk}'`);
    writeFileSync(serverDir + file, text);
  }
}

if (!process.argv.includes('--bundles-only')) {
  // tsc writes one declaration per module into build/dts/; bundleTypes makes dist/types/ of them.
  rmSync(`${root}build/dts`, { recursive: true, force: true });
  run('npx', ['tsc', '-p', 'tsconfig.build.json']);
  await bundleTypes(root);
  run('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs']);
  // The framework typings (webchat-agent/react, /vue, …) are made from the manifest.
  if (existsSync(`${root}scripts/framework-types.mjs`)) run('node', ['scripts/framework-types.mjs']);
}

for (const file of BUNDLES) {
  const s = sizes(file);
  console.log(`${file.padEnd(25)} min ${kb(s.min).padStart(9)}  gzip ${kb(s.gzip).padStart(8)}  brotli ${kb(s.brotli).padStart(8)}`);
}

if (process.argv.includes('--check-budget')) {
  const { gzip } = sizes('webchat-agent.iife.js');
  const files = scriptTagFiles();
  const all = files.reduce((sum, file) => sum + sizes(file).gzip, 0);
  const chat = CHAT_FILES.reduce((sum, file) => sum + sizes(file).gzip, 0);
  const over = [
    gzip > IIFE_BUDGET_BYTES && `webchat-agent.iife.js is ${kb(gzip)} gzip, budget ${kb(IIFE_BUDGET_BYTES)}`,
    chat > CHAT_BUDGET_BYTES && `the files a chat needs (${CHAT_FILES.join(', ')}) are ${kb(chat)} gzip, budget ${kb(CHAT_BUDGET_BYTES)}`,
    all > ALL_BUDGET_BYTES && `the script-tag files together (${files.join(', ')}) are ${kb(all)} gzip, budget ${kb(ALL_BUDGET_BYTES)}`,
  ].filter(Boolean);
  for (const line of over) console.error(`Size budget exceeded: ${line}`);
  if (over.length) process.exit(1);
  console.log(`Size budget: webchat-agent.iife.js ${kb(gzip)} gzip ≤ ${kb(IIFE_BUDGET_BYTES)}; with the chat part ${kb(chat)} ≤ ${kb(CHAT_BUDGET_BYTES)}; with every part and the largest locale ${kb(all)} ≤ ${kb(ALL_BUDGET_BYTES)}`);
}
