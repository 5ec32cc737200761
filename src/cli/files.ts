/**
 * `/file`'s parts that need no server: the command's argument as a path and a caption, the
 * local file checked before anything is sent, and an upload as status text.
 */
import { statSync, accessSync, constants } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { typeOfName } from '../core/file-source.ts';
import type { OutgoingFile } from '../core/types.ts';
import { stripControls } from './render.ts';

export type FileArgs = { path: string; caption: string } | { error: string };

/**
 * A path the way a shell reads one word, since terminals paste a dropped file that way:
 * quoted ('…' or "…") or with backslash-escaped spaces; `~` is the home folder and a
 * `file://` URL is its path. The rest of the line is the caption.
 */
export function parseFileArgs(arg: string, home: string): FileArgs {
  const text = arg.trimStart();
  if (text === '') return { error: 'Usage: /file PATH [caption]' };
  let path = '';
  let i = 0;
  const quote = text[0] === '"' || text[0] === "'" ? text[0] : null;
  if (quote) {
    for (i = 1; i < text.length && text[i] !== quote; i++) {
      // Inside double quotes a backslash escapes only what a shell lets it: " and \.
      if (quote === '"' && text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) i++;
      path += text[i];
    }
    if (i >= text.length) return { error: `The path's ${quote} is not closed: nothing was sent.` };
    i++;
    if (i < text.length && !/\s/.test(text[i]!)) return { error: 'Put a space between the quoted path and the caption: nothing was sent.' };
  } else {
    for (; i < text.length && !/\s/.test(text[i]!); i++) {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      path += text[i];
    }
  }
  if (path === '') return { error: 'Usage: /file PATH [caption]' };
  if (path.startsWith('file://')) {
    try {
      path = fileURLToPath(path);
    } catch {
      return { error: `Not a path on this computer: ${stripControls(path)}` };
    }
  } else if (path === '~' || path.startsWith('~/')) {
    path = join(home, path.slice(1));
  }
  return { path, caption: text.slice(i).trim() };
}

export type LocalFile = { ok: true; file: OutgoingFile } | { ok: false; error: string };

/** What the file on disk is, or why it cannot be sent, before the core reads a byte of it. */
export function localFile(path: string, { moreWords = false } = {}): LocalFile {
  const shown = stripControls(path);
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) return { ok: false, error: `${shown} is a folder, not a file: nothing was sent.` };
    if (!stats.isFile()) return { ok: false, error: `${shown} is not a regular file: nothing was sent.` };
    accessSync(path, constants.R_OK);
    size = stats.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A bare path with a space in it reads as a shorter path and a caption: say what to do.
    const hint = code === 'ENOENT' && moreWords ? ' (put a path with spaces in quotes)' : '';
    const why = code === 'ENOENT' ? 'No such file' : code === 'EACCES' || code === 'EPERM' ? 'Not allowed to read' : `Cannot read (${code ?? String(error)})`;
    return { ok: false, error: `${why}: ${shown}${hint}. Nothing was sent.` };
  }
  const name = basename(path);
  return { ok: true, file: { name, type: typeOfName(name), size } };
}

/** An upload in progress, for the status line: `sending shot.png… 45%`. */
export function uploadText(files: readonly OutgoingFile[], progress: number): string {
  const names = files.map((f) => stripControls(f.name)).join(', ');
  return `sending ${names}… ${Math.floor(progress * 100)}%`;
}
