import { defineConfig } from 'vite';
import { minifyTemplates } from './scripts/minify-templates.mjs';

/**
 * `vite build` writes the element: an ES module and one classic script (IIFE) that
 * registers <webchat-agent>. `vite build --mode core` writes the headless core alone.
 * Lit is used without decorators (static properties), so no decorator lowering is needed.
 */
export default defineConfig(({ mode }) => {
  const core = mode === 'core';
  return {
    plugins: [minifyTemplates()],
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: !core,
      minify: true,
      sourcemap: true,
      reportCompressedSize: false,
      lib: core
        ? { entry: 'src/core/index.ts', formats: ['es'], fileName: () => 'core.js' }
        : {
            entry: 'src/index.ts',
            name: 'WebChatAgent',
            formats: ['es', 'iife'],
            fileName: (format) => (format === 'iife' ? 'webchat-agent.iife.js' : 'webchat-agent.js'),
          },
    },
  };
});
