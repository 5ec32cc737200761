import type { Plugin } from 'vite';
export function dropUnusedHelpers(): Plugin;
