// The script-tag build's parts: each `webchat-agent.<name>.js` beside the script, loaded by
// the main bundle when first needed. `entry`: its source; `shared` (where there is one): the
// module naming what the part takes from the main bundle instead of carrying a copy
// (vite.config.ts). scripts/build.mjs builds each in `vite build --mode <name>`, and
// scripts/sizes.mjs counts each in what a visitor with every feature loads.
export const PARTS = {
  chat: { entry: 'src/components/chat-view.ts', shared: 'src/components/chat-shared.ts' },
  purify: { entry: 'src/components/purify-fallback.ts' },
  uploads: { entry: 'src/core/upload-parts.ts', shared: 'src/core/upload-shared.ts' },
  files: { entry: 'src/components/files/index.ts' },
  live: { entry: 'src/core/live.ts', shared: 'src/core/live-shared.ts' },
};
