/**
 * A message's files: raster images as thumbnails that open full size (viewer.ts), every
 * other file as a card with a download link, and while the visitor's own files upload,
 * their progress with a Cancel. Only the server's description is used (name, type, size,
 * URL), always as text or attribute values: a file's content is never fetched into the page.
 */
import type { FileRef } from '../../core/protocol.ts';
import type { ChatError, ChatMessage, OutgoingFile } from '../../core/types.ts';
import type { WebchatStrings } from '../strings.ts';
import { isRasterImage, kindLabel, safeUrl, sizeLabel } from './format.ts';
import { core, html, nothing } from './lit.ts';

/** The card's face: a drawn icon with the kind's label, the name and the size. A long name
 * ends in an ellipsis (its own direction decides which end: `dir=auto`); the whole name is
 * its title, and the card's text for a screen reader. */
const face = (file: OutgoingFile, lang: string) =>
  html`<span class="icon" aria-hidden="true">${kindLabel(file.name, file.type)}</span> <span class="name" dir="auto" title=${file.name}>${file.name}</span> <span class="size">${sizeLabel(file.size, lang)}</span>`;

/**
 * Why an upload failed, in the visitor's language, from the error's codes (the server's
 * `serverCode`, else the core's `code` and status), never the core's English. The text
 * keeps its `{name}`: the row puts in the file it stopped at, isolated (`isolated`).
 */
export function uploadReason(error: ChatError | undefined, s: WebchatStrings): string {
  switch (error?.serverCode) {
    case 'file_too_large':
      return s.uploadTooLarge;
    case 'unsupported_type':
      return s.fileRefused;
    case 'empty_file':
      return s.fileEmpty;
    case 'too_many_files':
    case 'session_quota':
      return s.uploadChatFull;
    case 'upload_timeout':
      return s.uploadTimeout;
    case 'file_unavailable':
      return s.uploadUnavailable;
  }
  if (error?.code === 'payload_too_large') return s.uploadTooLarge;
  if (error?.status === 408) return s.uploadTimeout;
  if (error?.code === 'network' || error?.code === 'connection') return s.uploadOffline;
  if (error?.status) return core.fill(s.uploadServerError, { status: error.status });
  return s.uploadFailed;
}

function attachment(file: FileRef, lang: string, base: string) {
  const url = safeUrl(file.url, base);
  if (url && isRasterImage(file.type)) {
    return html`<li><a class="thumb" part="attachment-image" href=${url} title=${file.name} target="_blank" rel="noopener noreferrer"><img src=${url} alt=${file.name} loading="lazy" decoding="async"></a></li>`;
  }
  // Without a usable address the card stays, as text: the visitor still learns what was sent.
  return html`<li>${url
    ? html`<a class="card" part="attachment-file" href=${url} download=${file.name} target="_blank" rel="noopener noreferrer">${face(file, lang)}</a>`
    : html`<span class="card" part="attachment-file">${face(file, lang)}</span>`}</li>`;
}

/** `text` with its `{name}` as a `<bdi>`: the name's own direction does not reorder the
 * sentence around it (the text itself reads the same). */
const isolated = (text: string, name: string) => text.split('{name}').map((piece, i) => (i ? html`<bdi>${name}</bdi>${piece}` : piece));

/** The files go one at a time: the first not uploaded is the one an upload stopped at. */
const stoppedAt = (message: ChatMessage): string => {
  const files = message.upload?.files ?? [];
  return files[Math.min(message.attachments?.length ?? 0, files.length - 1)]?.name ?? '';
};

/**
 * The panel's alert for `error` when it is a failed upload's (the same failure its row
 * shows): the row's reason in the visitor's language, as plain text. Undefined for any
 * other error, whose alert stays as it was.
 */
export function uploadAlert(error: ChatError, messages: readonly ChatMessage[], s: WebchatStrings): string | undefined {
  const same = (other: ChatError | undefined) => other?.code === error.code && other.serverCode === error.serverCode && other.message === error.message;
  const failed = messages.findLast((message) => message.upload && message.delivery === 'failed' && same(message.error));
  return failed && core.fill(uploadReason(failed.error, s), { name: stoppedAt(failed) });
}

/** The visitor's files on their way: the bar while they go, the reason once they failed. */
function upload(message: ChatMessage, strings: WebchatStrings, lang: string) {
  const { files, progress } = message.upload!;
  const names = files.map((file) => file.name).join(', ');
  const failed = message.delivery === 'failed';
  const stopped = stoppedAt(message);
  // Cancel says which upload it stops (its progress, or why it failed): several can be under way.
  const about = `upload-${message.id}`;
  return html`<div class="upload" part="upload">
    <ul class="files">${files.map((file) => html`<li><span class="card">${face(file, lang)}</span></li>`)}</ul>
    ${failed
      ? html`<p class="reason" part="upload-error" id=${about}>${isolated(uploadReason(message.error, strings), stopped)}</p>`
      : html`<progress part="upload-progress" id=${about} max="100" value=${Math.round(progress * 100)} aria-label=${core.fill(strings.uploading, { name: names })}></progress>`}
    <button type="button" part="upload-cancel" data-cancel=${message.id} aria-describedby=${about}>${strings.cancelUpload}</button>
  </div>`;
}

/** `base`: the chat service's URL, against which a relative file URL resolves. */
export function renderFiles(message: ChatMessage, strings: WebchatStrings, lang: string, base: string) {
  if (message.upload) return upload(message, strings, lang);
  const files = message.attachments ?? [];
  return files.length ? html`<ul class="files" part="attachments">${files.map((file) => attachment(file, lang, base))}</ul>` : nothing;
}
