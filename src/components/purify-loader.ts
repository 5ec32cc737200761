// Loads the DOMPurify fallback (ES build: a chunk of its own, found by the bundler).
// The script-tag build swaps this file for purify-loader.iife.ts (vite.config.ts).
export const loadPurify = () => import('./purify-fallback.ts');
