/**
 * [ext] Whether files can go under the server's limits: the reducer's files core (the live
 * part) and the element's file UI ask the same question, so it lives in the main bundle.
 */
import type { FileLimits } from './protocol.ts';
import type { ChatError, OutgoingFile } from './types.ts';

/** Never shown inline, whatever a server says it accepts: an SVG is a document that runs scripts. */
const NEVER = new Set(['image/svg+xml', 'text/html', 'application/xhtml+xml']);

export const rejected = (message: string, reason: string): ChatError => ({ code: 'file_rejected', message, serverCode: reason });

/** Why these files cannot go under these limits, or null. */
export function checkFiles(files: readonly OutgoingFile[], limits: FileLimits): ChatError | null {
  if (files.length > limits.maxPerMessage) return rejected(`At most ${limits.maxPerMessage} files per message.`, 'too_many_files');
  for (const file of files) {
    if (file.size === 0) return rejected(`${file.name} is empty.`, 'empty_file');
    if (file.size > limits.maxBytes) return rejected(`${file.name} is larger than ${sizeText(limits.maxBytes)}.`, 'file_too_large');
    // An unknown type is the server's to judge from the content; a known one is judged here.
    if (NEVER.has(file.type) || (file.type && !limits.types.includes(file.type))) return rejected(`${file.name}: this kind of file is not accepted.`, 'unsupported_type');
  }
  return null;
}

export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
