import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { minifyTemplates } from './scripts/minify-templates.mjs';
import { PARTS } from './scripts/parts.mjs';
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
 * - `vite build --mode live`: the live part (src/core/live.ts: the socket, its frames,
 *   typing, files), which the IIFE loads from beside itself when a conversation first needs
 *   a socket. It imports what it shares with the main bundle from the main bundle's
 *   `provide` (`shared` below), so none of it is in the part twice;
 * - `vite build --mode locales`: one `webchat-agent.locale-<tag>.js` per shipped locale, which
 *   the IIFE loads from beside itself for a visitor of that language (the ES build splits
 *   each locale off by itself).
 * Lit is used without decorators (static properties), so no decorator lowering is needed.
 */
const root = fileURLToPath(new URL('./', import.meta.url));
const entries = { 'webchat-agent': 'src/index.ts', element: 'src/element.ts', core: 'src/core/index.ts' };

const partLibraries = Object.fromEntries(
  Object.entries(PARTS).map(([name, part]) => [name, { entry: part.entry, formats: ['es'], fileName: () => `webchat-agent.${name}.js` }]),
);

const libraries = {
  es: { entry: entries, formats: ['es'], fileName: (_format: string, name: string) => `${name}.js` },
  node: { entry: entries, formats: ['es'], fileName: (_format: string, name: string) => `${name}.js` },
  iife: { entry: 'src/iife.ts', name: 'WebChatAgentBundle', formats: ['iife'], fileName: () => 'webchat-agent.iife.js' },
  ...partLibraries,
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

/** The script-tag build can't split chunks: each `*-loader.ts` that has a `*-loader.iife.ts`
 * beside it is swapped for it, which loads its part from the file beside the script. */
const scriptTagLoader: Plugin = {
  name: 'script-tag-loaders',
  enforce: 'pre',
  resolveId(source, importer) {
    if (!importer || !/^\.\/[\w-]+-loader\.ts$/.test(source)) return null;
    const swapped = new URL(source.replace(/\.ts$/, '.iife.ts'), new URL(`file://${importer}`));
    return existsSync(swapped) ? fileURLToPath(swapped) : null;
  },
};

const SHARED = '\0part-shared';

/**
 * A part built on its own must not carry what the main bundle has (lit, zod and the rules
 * behind protocol.ts, the transcript's helpers). Its `shared` module names those, as
 * `export { a, b } from './module.ts'`: in the part's build every import of such a module
 * becomes an import of one virtual module whose bindings the main bundle hands in with the
 * part's `provide(shared)` before it calls anything (live-loader.iife.ts).
 */
function sharedWithMain(part: { name: string; entry: string; shared: string }): Plugin {
  const sharedFile = fileURLToPath(new URL(part.shared, `file://${root}`));
  const text = readFileSync(sharedFile, 'utf8');
  const exports = [...text.matchAll(/export \{([^}]*)\} from '([^']+)'/g)];
  // A relative module by its file; a package (lit) by its name.
  const modules = new Set(exports.map(([, , from]) => (from!.startsWith('.') ? fileURLToPath(new URL(from!, `file://${sharedFile}`)) : from!)));
  const entry = fileURLToPath(new URL(part.entry, `file://${root}`));
  const names = exports.flatMap(([, list]) => list!.split(',').map((name) => name.trim()).filter(Boolean));
  return {
    name: 'part-shared-with-main',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (source === SHARED || modules.has(source)) return SHARED;
      if (!importer || !source.startsWith('.')) return null;
      const file = fileURLToPath(new URL(source, `file://${importer.startsWith('\0') ? root : importer}`));
      return modules.has(file) ? SHARED : null;
    },
    load(id) {
      // Handed over before the part runs where its own top level uses them (the chat part's
      // styles and templates: chat-view-loader.iife.ts), else at `provide`.
      return id === SHARED
        ? `export let ${names.join(', ')};\nexport function provide(given) { ({ ${names.join(', ')} } = given); }\nconst early = globalThis[Symbol.for(${JSON.stringify(`webchat-agent:${part.name}`)})];\nif (early) provide(early);`
        : null;
    },
    transform(code, id) {
      // Appended, so nothing moves: `map: null` keeps the module's own source map.
      return id === entry ? { code: `${code}\nexport { provide } from ${JSON.stringify(SHARED)};`, map: null } : null;
    },
  };
}


export default defineConfig(({ mode }) => {
  const lib = libraries[mode as keyof typeof libraries] ?? libraries.es;
  const part = PARTS[mode];
  return {
    // The chat part loads the other parts as the script-tag build does: from beside the script.
    plugins: [...(lib === libraries.iife || mode === 'chat' ? [scriptTagLoader] : []), ...(part?.shared ? [sharedWithMain({ name: mode, entry: part.entry, shared: part.shared })] : []), minifyTemplates()],
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
      // The script-tag build's parts and locales are what a browser loads, not what an app's
      // bundler reads: minified whole, like the IIFE (vite keeps an ES library's whitespace and
      // its `@__PURE__` annotations, hundreds of them in the chat part's schemas; licences stay).
      ...(part || lib === libraries.locales ? { rolldownOptions: { output: { minify: { codegen: true }, comments: { legal: true, annotation: false, jsdoc: false } } } } : {}),
    },
  };
});
