// Loads the file UI (ES build: a chunk of its own, found by the bundler).
// The script-tag build swaps this file for files-loader.iife.ts (vite.config.ts). Here the
// chunk's URL is the bundler's: after a failed fetch a browser keeps the failure for the
// page's life, so a later try fails at once (the names stay), as any lazy chunk of the app.
import { lazyPart } from '../core/parts.ts';

export const filesLoader = lazyPart('files', () => import('./files/index.ts'));
