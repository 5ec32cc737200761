// What the live part (live.ts) uses of the main bundle. The script-tag build of the part
// leaves these modules out and imports these names from the main bundle's `provide` instead
// (vite.config.ts, `sharedWith`): so the part never carries a second copy of them, nor of
// zod behind protocol.ts. A name missing here fails the part's build.
export { applyStatus, backToBot, fail, isLive, lang } from './model.ts';
export { MAX_MESSAGE_LENGTH, isValidMessageText, liveChatUrl, parseServerFrame } from './protocol.ts';
export { gone } from './rest.ts';
export { requestHistory } from './history.ts';
export { add, find, patch, stamp } from './transcript.ts';
export { visitorField } from './visitor.ts';
export { closeSocket, dropSocket, failOutbox, sendEnd } from './socket-base.ts';
export { checkFiles, rejected } from './file-checks.ts';
