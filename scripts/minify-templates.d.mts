import type { Plugin } from 'vite';
export function minifyTemplates(options?: { include?: RegExp }): Plugin;
