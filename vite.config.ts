import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { dropUnusedHelpers } from './scripts/drop-unused-helpers.mjs';
import { minifyTemplates } from './scripts/minify-templates.mjs';

/**
 * Three library builds into dist/ (scripts/build.mjs runs them in this order):
 * - `vite build`: the ES module, the element plus the headless core's whole API;
 * - `vite build --mode iife`: one classic script that registers <webchat-agent> and
 *   exports nothing: re-exporting every schema and helper would keep them and their
 *   names in the bundle and cost the size budget for no script-tag user's benefit;
 * - `vite build --mode core`: the headless core alone;
 * - `vite build --mode purify`: the DOMPurify fallback the IIFE loads from beside itself
 *   on engines without the HTML Sanitizer API (the ES build splits it off by itself).
 * Lit is used without decorators (static properties), so no decorator lowering is needed.
 */
const libraries = {
  es: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'webchat-agent.js' },
  iife: { entry: 'src/iife.ts', name: 'WebChatAgentBundle', formats: ['iife'], fileName: () => 'webchat-agent.iife.js' },
  core: { entry: 'src/core/index.ts', formats: ['es'], fileName: () => 'core.js' },
  purify: { entry: 'src/components/purify-fallback.ts', formats: ['es'], fileName: () => 'webchat-agent.purify.js' },
} as const;

/** The script-tag build can't split chunks: it loads the DOMPurify fallback from the file
 * beside itself (purify-loader.iife.ts) instead of importing it. */
const scriptTagLoader = {
  name: 'script-tag-purify-loader',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    if (source === './purify-loader.ts' && importer) return fileURLToPath(new URL('./src/components/purify-loader.iife.ts', import.meta.url));
    return null;
  },
};

export default defineConfig(({ mode }) => {
  const lib = libraries[mode as keyof typeof libraries] ?? libraries.es;
  return {
    plugins: [...(lib === libraries.iife ? [scriptTagLoader] : []), minifyTemplates(), dropUnusedHelpers()],
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
