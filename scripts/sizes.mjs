// Bundle sizes as a script-tag user pays for them: minified bytes, gzip -9, brotli.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export const IIFE_BUDGET_BYTES = 35 * 1024;

export const BUNDLES = ['webchat-agent.iife.js', 'webchat-agent.js', 'core.js', 'webchat-agent.purify.js'];

export function sizes(file) {
  const bytes = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
