import { defineConfig } from 'vite';
import { dropUnusedHelpers } from './scripts/drop-unused-helpers.mjs';
import { minifyTemplates } from './scripts/minify-templates.mjs';

/**
 * Three library builds into dist/ (scripts/build.mjs runs them in this order):
 * - `vite build`: the ES module, the element plus the headless core's whole API;
 * - `vite build --mode iife`: one classic script that registers <webchat-agent> and
 *   exports nothing: re-exporting every schema and helper would keep them and their
 *   names in the bundle and cost the size budget for no script-tag user's benefit;
 * - `vite build --mode core`: the headless core alone.
 * Lit is used without decorators (static properties), so no decorator lowering is needed.
 */
const libraries = {
  es: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'webchat-agent.js' },
  iife: { entry: 'src/iife.ts', name: 'WebChatAgentBundle', formats: ['iife'], fileName: () => 'webchat-agent.iife.js' },
  core: { entry: 'src/core/index.ts', formats: ['es'], fileName: () => 'core.js' },
} as const;

export default defineConfig(({ mode }) => {
  const lib = libraries[mode as keyof typeof libraries] ?? libraries.es;
  return {
    plugins: [minifyTemplates(), dropUnusedHelpers()],
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: lib === libraries.es,
      minify: true,
      sourcemap: true,
      reportCompressedSize: false,
      lib: { ...lib, formats: [...lib.formats] },
    },
  };
});
