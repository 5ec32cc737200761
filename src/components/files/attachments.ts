/**
 * A message's files: raster images as thumbnails that open full size (viewer.ts), every
 * other file as a card with a download link, and while the visitor's own files upload,
 * their progress with a Cancel. Only the server's description is used (name, type, size,
 * URL), always as text or attribute values: a file's content is never fetched into the page.
 */
import type { FileRef } from '../../core/protocol.ts';
import type { ChatMessage, OutgoingFile } from '../../core/types.ts';
import type { WebchatStrings } from '../strings.ts';
import { isRasterImage, kindLabel, safeUrl, sizeLabel } from './format.ts';
import { core, html, nothing } from './lit.ts';

/** The card's face: a drawn icon with the kind's label, the name and the size. */
const face = (file: OutgoingFile, lang: string) =>
  html`<span class="icon" aria-hidden="true">${kindLabel(file.name, file.type)}</span> <span class="name">${file.name}</span> <span class="size">${sizeLabel(file.size, lang)}</span>`;

function attachment(file: FileRef, lang: string, base: string) {
  const url = safeUrl(file.url, base);
  if (url && isRasterImage(file.type)) {
    return html`<li><a class="thumb" part="attachment-image" href=${url} target="_blank" rel="noopener noreferrer"><img src=${url} alt=${file.name} loading="lazy" decoding="async"></a></li>`;
  }
  // Without a usable address the card stays, as text: the visitor still learns what was sent.
  return html`<li>${url
    ? html`<a class="card" part="attachment-file" href=${url} download=${file.name} target="_blank" rel="noopener noreferrer">${face(file, lang)}</a>`
    : html`<span class="card" part="attachment-file">${face(file, lang)}</span>`}</li>`;
}

/** The visitor's files on their way: the bar while they go, the reason once they failed. */
function upload(message: ChatMessage, strings: WebchatStrings, lang: string) {
  const { files, progress } = message.upload!;
  const names = files.map((file) => file.name).join(', ');
  const failed = message.delivery === 'failed';
  return html`<div class="upload" part="upload">
    <ul class="files">${files.map((file) => html`<li><span class="card">${face(file, lang)}</span></li>`)}</ul>
    ${failed
      ? html`<p class="reason" part="upload-error">${message.error?.message ?? ''}</p>`
      : html`<progress part="upload-progress" max="100" value=${Math.round(progress * 100)} aria-label=${core.fill(strings.uploading, { name: names })}></progress>`}
    <button type="button" part="upload-cancel" data-cancel=${message.id}>${strings.cancelUpload}</button>
  </div>`;
}

/** `base`: the chat service's URL, against which a relative file URL resolves. */
export function renderFiles(message: ChatMessage, strings: WebchatStrings, lang: string, base: string) {
  if (message.upload) return upload(message, strings, lang);
  const files = message.attachments ?? [];
  return files.length ? html`<ul class="files" part="attachments">${files.map((file) => attachment(file, lang, base))}</ul>` : nothing;
}
