/**
 * [ext] The bytes of one upload on the wire, with progress. Browsers and webviews use
 * XMLHttpRequest: its `upload.onprogress` is the one progress signal every engine has (a
 * streamed `fetch` body needs HTTP/2 in Chromium and is missing elsewhere). Without it (Node,
 * the terminal client) the body is a stream counted as the runtime pulls it, which Node's
 * `fetch` sends over HTTP/1.1. Loaded only when a file is sent (upload-parts.ts).
 */
// Nothing of protocol.ts here: its schemas (and zod) stay in the bundle that loads this.
import type { Answer, Upload } from './upload.ts';

/** The part of XMLHttpRequest used here: the core is checked without the DOM's types. */
interface Xhr {
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null };
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body: Blob): void;
  abort(): void;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
}
type XhrConstructor = new () => Xhr;

/** `headers`: the request's, the session's and the file's type. */
export function sendUpload(url: string, upload: Upload, headers: Record<string, string>): Promise<Answer> {
  const XHR = (globalThis as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest;
  return XHR ? withXhr(XHR, url, upload, headers) : withFetch(upload.fetch ?? fetch, url, upload, headers);
}

function withXhr(XHR: XhrConstructor, url: string, upload: Upload, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XHR();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) upload.progress(Math.min(1, event.loaded / event.total));
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText, retryAfter: xhr.getResponseHeader('Retry-After') });
    xhr.onerror = () => reject(new Error('the connection failed'));
    xhr.onabort = () => reject(new Error('canceled'));
    xhr.ontimeout = () => reject(new Error('timed out'));
    if (upload.signal.aborted) return reject(new Error('canceled'));
    upload.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(upload.file);
  });
}

async function withFetch(fetchFn: typeof fetch, url: string, upload: Upload, headers: Record<string, string>): Promise<Answer> {
  const total = upload.file.size;
  let sent = 0;
  const reader = upload.file.stream().getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      sent += value.byteLength;
      controller.enqueue(value);
      if (total > 0) upload.progress(Math.min(1, sent / total));
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const response = await fetchFn(url, {
    method: 'POST',
    headers,
    body,
    signal: upload.signal,
    // A streamed body must say so (Node's fetch and the Fetch standard).
    duplex: 'half',
  } as RequestInit);
  return { status: response.status, text: await response.text(), retryAfter: response.headers.get('Retry-After') };
}
