#!/usr/bin/env node
// `npm run build`: the element (ES module, and the IIFE from its own entry), the core alone, type declarations and the
// custom-elements manifest, the `webchat-agent` terminal command (dist/cli.js); then prints sizes. `--check-budget` fails when the IIFE is
// over its gzip budget (the one size CI enforces). `--bundles-only` skips d.ts + manifest.
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';
import { BUNDLES, IIFE_BUDGET_BYTES, kb, sizes } from './sizes.mjs';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'iife', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'core', '--logLevel', 'warn']);
run('npx', ['vite', 'build', '--mode', 'purify', '--logLevel', 'warn']);
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
