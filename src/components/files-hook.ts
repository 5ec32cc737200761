/**
 * The main bundle's end of the file UI (files/): loads it once, when an element can use it
 * or a message has files to show, and until then shows a message's files as a line of their
 * names (never nothing). Every element hears when it arrives, to render its rows again.
 */
import { html, nothing } from 'lit-html';
import { checkFiles } from '../core/file-checks.ts';
import { isValidMessageText } from '../core/protocol.ts';
import type { ChatMessage } from '../core/types.ts';
import { filesLoader } from './files-loader.ts';
import type { FilesPart } from './files/index.ts';
import { fill, type WebchatStrings } from './strings.ts';

/** After a failed load (offline, the file missing beside the script), the next try waits this long. */
const RETRY_MS = 30_000;

let part: FilesPart | undefined;
let loading: Promise<FilesPart> | undefined;
let failedAt = 0;
const waiting = new Set<(part: FilesPart) => void>();
/** The chat service's URL of the element rendering now (see `filesBase`). */
let base = '';

export const filesPart = (): FilesPart | undefined => part;

/** Loads the part once (filesLoader shares the load and asks for a fresh URL after a
 * failure); after a failure, not again for RETRY_MS. */
export function loadFiles(): Promise<FilesPart> | undefined {
  if (part || loading) return loading;
  if (failedAt && Date.now() - failedAt < RETRY_MS) return undefined;
  loading = filesLoader.load().then(
    (module) => {
      part = module.init({ html, nothing, checkFiles, isValidMessageText, fill });
      for (const listener of waiting) listener(part);
      return part;
    },
    (error: Error) => {
      loading = undefined;
      failedAt = Date.now();
      const cause = (error.cause as Error | undefined)?.message ?? error.message;
      console.warn(`webchat-agent: the file UI could not be loaded (${cause}); files show as names only.`);
      throw error;
    },
  );
  loading.catch(() => undefined);
  return loading;
}

/** `listener` runs when the part has loaded; returns the unsubscribe. */
export function onFilesPart(listener: (part: FilesPart) => void): () => void {
  waiting.add(listener);
  return () => void waiting.delete(listener);
}

/** Set by an element as it renders (rendering is synchronous): a relative file URL in its
 * messages resolves against its own chat service. */
export function filesBase(url: string): void {
  base = url;
}

/** The hook of a message row: its files, or their names until the file UI is here. */
export function renderFiles(message: ChatMessage, strings: WebchatStrings, lang: string) {
  const files = message.upload?.files ?? message.attachments;
  if (!files?.length) return nothing;
  if (part) return part.renderFiles(message, strings, lang, base);
  void loadFiles();
  return html`<p class="file-names" part="file-names">${fill(strings.fileList, { names: files.map((file) => file.name).join(', ') })}</p>`;
}
