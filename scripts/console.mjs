// The agent console's bundle: demo/agent.ts → build/console/agent.js, served at /console/.
// Its own folder, outside dist/: `vite build` empties dist/, and the console belongs to the
// demo, not to the published package. The server reads the same folder (server/app.ts).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// fileURLToPath, not URL.pathname: a checkout path with spaces stays a usable path.
const root = fileURLToPath(new URL('..', import.meta.url));

export const CONSOLE_DIR = 'build/console';

export async function buildConsole() {
  await build({
    entryPoints: [`${root}demo/agent.ts`],
    outfile: `${root}${CONSOLE_DIR}/agent.js`,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
}
