// Loads the file UI (ES build: a chunk of its own, found by the bundler).
// The script-tag build swaps this file for files-loader.iife.ts (vite.config.ts).
export const loadFilesPart = () => import('./files/index.ts');
