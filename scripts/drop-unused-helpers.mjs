// A Vite plugin for DOMPurify's ES build: it carries Babel's AsyncGenerator helper, which
// nothing in it calls, yet the helper's prototype assignments read as side effects, so no
// bundler can drop it (about 0.3 KB gzip of the IIFE's budget). The plugin removes those
// assignments only when the helper is otherwise unused; the dead function then goes with
// normal tree-shaking. With another DOMPurify build the pattern simply does not match.
const PROTOTYPE_SETUP = /AsyncGenerator\.prototype\[[\s\S]*?return this\._invoke\("return", e\);\s*\};/;

export function dropUnusedHelpers() {
  return {
    name: 'drop-unused-babel-helpers',
    transform(code, id) {
      if (!/[\\/]dompurify[\\/]dist[\\/]purify\.es\.mjs$/.test(id)) return null;
      const setup = PROTOTYPE_SETUP.exec(code);
      if (!setup) return null;
      const rest = code.slice(0, setup.index) + code.slice(setup.index + setup[0].length);
      // Only the declaration may still name it: anything else means it is in use.
      if (rest.split('AsyncGenerator').length !== 2) return null;
      return { code: rest, map: null };
    },
  };
}
