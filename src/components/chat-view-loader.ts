// The conversation's code (chat-view.ts), here at once in the ES build: an app's bundler
// splits it as the app decides. The script-tag build swaps this file for
// chat-view-loader.iife.ts (vite.config.ts), which loads it from beside the script.
import * as view from './chat-view.ts';
import type { LazyPart } from '../core/parts.ts';

export const chatViewPart: LazyPart<typeof view> = { loaded: view, load: () => Promise.resolve(view) };
