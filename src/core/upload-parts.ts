// [ext] What sending a file needs beyond the core: reading it (a Blob, or a path in Node) and
// uploading its bytes. Few visitors send a file, so this loads when one does: an ES chunk of
// its own, and in the script-tag build `webchat-agent.uploads.js` beside the script
// (upload-parts-loader.iife.ts), which takes what it shares with the main bundle through
// `provide` (upload-shared.ts).
export { fileOf } from './file-source.ts';
export { uploadFile } from './upload.ts';
