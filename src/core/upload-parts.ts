// [ext] What sending a file needs beyond the core: reading it (a Blob, or a path in Node) and
// putting its bytes on the wire. Few visitors send a file, so this loads when one does: an
// ES chunk of its own, and in the script-tag build `webchat-agent.uploads.js` beside the
// script (upload-parts-loader.iife.ts).
export { fileOf } from './file-source.ts';
export { sendUpload } from './upload-transport.ts';
