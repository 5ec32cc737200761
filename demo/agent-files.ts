/**
 * [ext] Files in the agent console: what a message carries is shown as a thumbnail (raster
 * images, from the server's signed URL) or a card with a download link, built with DOM calls
 * and textContent only; the agent's own files upload with the agent token, then go out as a
 * message's attachments. An SVG or a file's content is never put into the page.
 */
import { FILES_PATH, SESSION_HEADER, endpointUrl, type FileLimits, type FileRef } from '../src/core/protocol.ts';

const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Only the server's http(s) URLs become links or images. */
function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The attachments of one message, as a list of figures and cards. */
export function renderAttachments(files: readonly FileRef[]): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'files';
  list.setAttribute('aria-label', files.length === 1 ? '1 file' : `${files.length} files`);
  for (const file of files) {
    const url = safeUrl(file.url);
    const item = document.createElement('li');
    const link = document.createElement('a');
    if (url) link.href = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    if (RASTER.has(file.type) && url) {
      item.className = 'file image';
      const img = document.createElement('img');
      img.src = url;
      img.alt = file.name;
      img.loading = 'lazy';
      link.append(img);
      link.setAttribute('aria-label', `${file.name}, ${sizeText(file.size)}, open full size`);
    } else {
      item.className = 'file card';
      link.download = file.name;
      const name = document.createElement('span');
      name.className = 'file-name';
      name.textContent = file.name;
      const size = document.createElement('span');
      size.className = 'file-size';
      size.textContent = `${file.type === 'application/pdf' ? 'PDF' : 'File'} · ${sizeText(file.size)}`;
      link.append(name, size);
      link.setAttribute('aria-label', `Download ${file.name}, ${sizeText(file.size)}`);
    }
    item.append(link);
    list.append(item);
  }
  return list;
}

export interface AgentUpload {
  file: File;
  sessionId: string;
  chatbotId: string;
  token: string;
  progress(fraction: number): void;
}

/** Uploads one file for the agent; resolves with the server's reference or throws with its message. */
export function uploadAsAgent(upload: AgentUpload, signal: AbortSignal): Promise<FileRef> {
  const url = endpointUrl(location.origin, FILES_PATH);
  url.searchParams.set('chatbotId', upload.chatbotId);
  url.searchParams.set('name', upload.file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader(SESSION_HEADER, upload.sessionId);
    xhr.setRequestHeader('Authorization', `Bearer ${upload.token}`);
    xhr.setRequestHeader('Content-Type', upload.file.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) => event.lengthComputable && upload.progress(event.loaded / event.total);
    xhr.onload = () => {
      let body: { error?: { message?: string } } & Partial<FileRef> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // a non-JSON answer: the status says enough
      }
      if (xhr.status === 201 && body.id) resolve(body as FileRef);
      else reject(new Error(body.error?.message ?? `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error('The upload failed: the server could not be reached.'));
    xhr.onabort = () => reject(new Error('The upload was canceled.'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(upload.file);
  });
}

/** Why a file cannot go under the advertised limits, or null. */
export function refusal(file: File, limits: FileLimits | null): string | null {
  if (!limits) return 'This server does not take files.';
  if (file.size > limits.maxBytes) return `${file.name} is larger than ${sizeText(limits.maxBytes)}.`;
  if (file.type && !limits.types.includes(file.type)) return `${file.name}: this kind of file is not accepted.`;
  return null;
}
