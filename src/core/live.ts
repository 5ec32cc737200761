/**
 * The live part: what a conversation needs once a socket is wanted (a live chat, a restored
 * live session, a watching widget): the socket's lifecycle and outbox, the frames it brings,
 * typing, the visitor's files, and the socket itself. Most visitors only talk to the bot,
 * so this loads when first needed: an ES chunk of its own, and in the script-tag build
 * `webchat-agent.live.js` beside the script (live-loader.iife.ts), which takes what it
 * shares with the main bundle through `provide` (live-shared.ts).
 */
export { sync, onOpen, onClose, onTimer, queueLive, endLive, goOffline, goOnline } from './socket.ts';
export { onFrame } from './frames.ts';
export { startTyping, stopTyping } from './typing.ts';
export { sendFiles, pump, uploadProgress, uploadOk, uploadFail, cancelFiles, retryFiles, failUploads } from './file-sends.ts';
export { openLiveChat } from './livechat.ts';

export type LivePart = typeof import('./live.ts');
