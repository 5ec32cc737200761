// Loads what sending a file needs (ES build: a chunk of its own, found by the bundler).
// The script-tag build swaps this file for upload-parts-loader.iife.ts (vite.config.ts).
export const loadUploadParts = () => import('./upload-parts.ts');
