// The live part (ES build: a chunk of its own, found by the bundler). The script-tag build
// swaps this file for live-loader.iife.ts (vite.config.ts).
import { lazyPart } from './parts.ts';

export const livePart = lazyPart('live', () => import('./live.ts'));
