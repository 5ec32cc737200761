import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { minifyTemplates } from './scripts/minify-templates.mjs';
import { LOCALES } from './src/components/locale-list.ts';

/**
 * The library builds into dist/ (scripts/build.mjs runs them in this order):
 * - `vite build`: the ES build, ONE build with three entries, so what they share is in
 *   shared chunks, once: `webchat-agent.js` (registers the element, exports it and the
 *   headless core's whole API), `element.js` (the class, registering nothing) and `core.js`
 *   (the headless core alone). An app importing `webchat-agent` and `webchat-agent/core`
 *   gets one core;
 * - `vite build --mode node`: the same three entries for servers (`node` in package.json's
 *   exports), see `serverConditions` below;
 * - `vite build --mode iife`: one classic script that registers <webchat-agent> and
 *   exports nothing: re-exporting every schema and helper would keep them and their
 *   names in the bundle and cost the size budget for no script-tag user's benefit;
 * - `vite build --mode purify`: the DOMPurify fallback the IIFE loads from beside itself
 *   on engines without the HTML Sanitizer API (the ES build splits it off by itself);
 * - `vite build --mode uploads`: what sending a file needs (reading it, the bytes on the
 *   wire), which the IIFE loads from beside itself when a visitor sends one;
 * - `vite build --mode files`: the element's file UI (chips, thumbnails, the image viewer),
 *   which the IIFE loads from beside itself in a live chat that takes files or for a
 *   message with files; it takes Lit from the IIFE (src/components/files/lit.ts);
 * - `vite build --mode locales`: one `webchat-agent.locale-<tag>.js` per shipped locale, which
 *   the IIFE loads from beside itself for a visitor of that language (the ES build splits
 *   each locale off by itself).
 * Lit is used without decorators (static properties), so no decorator lowering is needed.
 */
const entries = { 'webchat-agent': 'src/index.ts', element: 'src/element.ts', core: 'src/core/index.ts' };

const libraries = {
  es: { entry: entries, formats: ['es'], fileName: (_format: string, name: string) => `${name}.js` },
  node: { entry: entries, formats: ['es'], fileName: (_format: string, name: string) => `${name}.js` },
  iife: { entry: 'src/iife.ts', name: 'WebChatAgentBundle', formats: ['iife'], fileName: () => 'webchat-agent.iife.js' },
  purify: { entry: 'src/components/purify-fallback.ts', formats: ['es'], fileName: () => 'webchat-agent.purify.js' },
  uploads: { entry: 'src/core/upload-parts.ts', formats: ['es'], fileName: () => 'webchat-agent.uploads.js' },
  files: { entry: 'src/components/files/index.ts', formats: ['es'], fileName: () => 'webchat-agent.files.js' },
  locales: {
    entry: Object.fromEntries(LOCALES.map((tag) => [tag, `src/components/locales/${tag}.ts`])),
    formats: ['es'],
    fileName: (_format: string, tag: string) => `webchat-agent.locale-${tag}.js`,
  },
} as const;

/**
 * Importing the element where there is no DOM (a server rendering React, Vue, Svelte or
 * Angular) must not throw. Lit's browser build can't be imported there, and not only because
 * its base class extends `HTMLElement` when it is defined: lit-html reads `document` at the
 * top of its module, so a base of `globalThis.HTMLElement ?? class {}` in our code would
 * not help. Lit's own answer is its `node` export condition: a build of lit whose base is
 * `globalThis.HTMLElement ?? ` the shim of `@lit-labs/ssr-dom-shim`, which uses the real DOM
 * wherever there is one (jsdom, happy-dom) and puts the shim's registry in
 * `globalThis.customElements` where there is none, as @lit-labs/ssr expects. The
 * browser bundles carry lit inside, so Node would never see that condition: this build
 * resolves lit with it, and package.json's `node` condition points servers here. Browsers
 * keep the browser build, without the shim's bytes.
 */
const serverConditions = ['node', 'module', 'production'];

/** The script-tag build can't split chunks: it loads the DOMPurify fallback from the file
 * beside itself (purify-loader.iife.ts) instead of importing it. */
const scriptTagLoader = {
  name: 'script-tag-purify-loader',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    if (source === './purify-loader.ts' && importer) return fileURLToPath(new URL('./src/components/purify-loader.iife.ts', import.meta.url));
    if (source === './locale-loader.ts' && importer) return fileURLToPath(new URL('./src/components/locale-loader.iife.ts', import.meta.url));
    if (source === './files-loader.ts' && importer) return fileURLToPath(new URL('./src/components/files-loader.iife.ts', import.meta.url));
    if (source === './upload-parts-loader.ts' && importer) return fileURLToPath(new URL('./src/core/upload-parts-loader.iife.ts', import.meta.url));
    return null;
  },
};

export default defineConfig(({ mode }) => {
  const lib = libraries[mode as keyof typeof libraries] ?? libraries.es;
  return {
    plugins: [...(lib === libraries.iife ? [scriptTagLoader] : []), minifyTemplates()],
    ...(lib === libraries.node ? { resolve: { conditions: serverConditions, mainFields: ['module', 'main'] } } : {}),
    build: {
      target: 'es2022',
      outDir: lib === libraries.node ? 'dist/node' : 'dist',
      emptyOutDir: lib === libraries.es,
      minify: true,
      // The server build ships no maps: it is what a server imports to render around the tag, not
      // what runs the chat (its core chunk is the browser build's, see scripts/build.mjs).
      sourcemap: lib !== libraries.node,
      reportCompressedSize: false,
      lib: { ...lib, formats: [...lib.formats] },
    },
  };
});
