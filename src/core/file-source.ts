/**
 * [ext] A file to send, from what a caller has: a `Blob` (a `File` in a browser), or a path
 * on disk in Node (the terminal client). Node's own `fs.openAsBlob` reads the file lazily,
 * as the upload streams it; it is reached through `process.getBuiltinModule`, so no bundle
 * for a browser ever imports a Node module.
 */
export interface FileSource {
  blob: Blob;
  name: string;
  type: string;
  size: number;
}

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  svg: 'image/svg+xml',
  html: 'text/html',
  htm: 'text/html',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
};

/** The media type a name suggests ('' when it says nothing): a first check, the server has the last word. */
export function typeOfName(name: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return (ext && BY_EXTENSION[ext]) || '';
}

type NodeFs = { openAsBlob(path: string, options?: { type?: string }): Promise<Blob> };

export async function fileOf(file: Blob | string, name: string | undefined, index: number): Promise<FileSource> {
  if (typeof file === 'string') {
    const fs = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
    if (!fs?.openAsBlob) throw new Error('a path can be sent from Node only');
    const base = name ?? file.split(/[/\\]/).pop() ?? 'file';
    const type = typeOfName(base);
    const blob = await fs.openAsBlob(file, { type });
    return { blob, name: base, type, size: blob.size };
  }
  if (typeof Blob !== 'function' || !(file instanceof Blob)) throw new Error('not a Blob or a path');
  const own = (file as Blob & { name?: unknown }).name;
  const base = name ?? (typeof own === 'string' && own ? own : `file-${index + 1}`);
  // A pasted screenshot's File says its type but has a made-up name: the type is the better guide.
  return { blob: file, name: base, type: file.type || typeOfName(base), size: file.size };
}
