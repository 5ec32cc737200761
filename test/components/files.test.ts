// [ext] Files in the element, as a visitor meets them: the attach button only where the live
// chat's server takes files, choosing (picker, drop, paste), chips, limits checked before any
// byte goes out, the upload's progress, Cancel and Retry, and files shown as thumbnails or
// cards, safely: never an SVG or HTML as an image, never a `javascript:` link.
import { expect } from '@open-wc/testing';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import type { ChatError, FileLimits, FileRef } from '../../src/core/index.ts';
import { FILES_PATH } from '../../src/core/protocol.ts';
import { $, button, focused, goLive, mount, persistTranscript, press, service, textarea, typeText, waitFor } from './helpers.ts';

const LIMITS: FileLimits = { maxBytes: 4096, maxPerMessage: 3, maxPerSession: 20, types: ['image/png', 'image/jpeg', 'application/pdf', 'text/plain', 'image/svg+xml'] };

// A 1×1 PNG, so thumbnails have a real picture behind them.
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
const png = (name = 'screenshot.png') => new File([PNG], name, { type: 'image/png' });
const pdf = (name = 'report.pdf', size = 1536) => new File([new Uint8Array(size)], name, { type: 'application/pdf' });

const all = (el: WebChatAgent, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const chips = (el: WebChatAgent) => all(el, '[part=file-chip]').map((chip) => text(chip.querySelector('.name')) + ' · ' + text(chip.querySelector('.size')));
const notice = (el: WebChatAgent) => text($(el, '[part=file-notice]'));
const fileInput = (el: WebChatAgent) => $<HTMLInputElement>(el, 'input[type=file]')!;
const uploads = async (chatbotId: string) => (await service.log(chatbotId)).requests.filter((r) => r.path === FILES_PATH);
const sentWithFiles = async (chatbotId: string) =>
  (await service.log(chatbotId)).frames.map((f) => f.frame).filter((f) => f.type === 'client:message' && (f as { attachments?: unknown[] }).attachments?.length) as { content: string; attachments: FileRef[] }[];

const files = (...list: File[]) => {
  const transfer = new DataTransfer();
  for (const file of list) transfer.items.add(file);
  return transfer;
};

/** Chooses files as the picker hands them over. */
function choose(el: WebChatAgent, ...list: File[]): void {
  const input = fileInput(el);
  input.files = files(...list).files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Mounted and live with a server that takes files; resolves once the attach button shows. */
async function liveWithFiles(options: { limits?: FileLimits | null; holdUploads?: boolean; failUploads?: number; layout?: string; open?: boolean } = {}) {
  const mounted = await mount({ layout: options.layout ?? 'inline', open: options.open ?? false });
  await service.configure(mounted.chatbotId, { files: options.limits === undefined ? LIMITS : options.limits, holdUploads: !!options.holdUploads, failUploads: options.failUploads ?? 0 });
  const sessionId = await goLive(mounted.el, mounted.chatbotId, 'Mia');
  if (options.limits !== null) await waitFor(() => $(mounted.el, '[part=attach]'), 'the attach button');
  return { ...mounted, sessionId };
}

function ref(name: string, type: string, url: string, size = 2048): FileRef {
  return { id: `f-${name}`, name, type, size, url };
}

describe('<webchat-agent> files [ext]', () => {
  it('offers no attach button in bot mode, nor in a live chat whose server takes no files', async () => {
    const { el } = await mount();
    await waitFor(() => textarea(el), 'the composer');
    expect($(el, '[part=attach]'), 'bot mode').to.equal(null);
    const { el: live } = await liveWithFiles({ limits: null });
    await live.updateComplete;
    expect(live.state.files).to.equal(null);
    expect($(live, '[part=attach]'), 'a server without files').to.equal(null);
    expect($(live, 'input[type=file]')).to.equal(null);
  });

  it('offers the attach button in a live chat that takes files, its hidden input accepting the server’s types but never SVG', async () => {
    const { el } = await liveWithFiles();
    const attach = $(el, '[part=attach]')!;
    expect(attach.getAttribute('aria-label')).to.equal('Attach files');
    const input = fileInput(el);
    expect(input.hidden).to.equal(true);
    expect(input.multiple).to.equal(true);
    expect(input.accept).to.equal('image/png,image/jpeg,application/pdf,text/plain');
    // The live chat ends: no files any more.
    el.endLiveChat();
    await waitFor(() => !$(el, '[part=attach]'), 'the attach button gone after the chat ended');
  });

  it('shows chosen files as chips with name, size and a remove button; the live region tells each change', async () => {
    const { el, chatbotId } = await liveWithFiles();
    choose(el, png(), pdf());
    await el.updateComplete;
    expect(chips(el)).to.deep.equal([`screenshot.png · ${PNG.length} bytes`, 'report.pdf · 1.5 kB']);
    expect($(el, '[part=file-chips]')!.getAttribute('aria-label')).to.equal('Files to send');
    expect($(el, '[part=file-notice]')!.getAttribute('aria-live')).to.equal('polite');
    expect(notice(el)).to.equal('screenshot.png added. report.pdf added.');
    const remove = button(el, 'Remove screenshot.png')!;
    expect(remove.getAttribute('part')).to.equal('file-chip-remove');
    remove.focus();
    remove.click();
    await el.updateComplete;
    expect(chips(el)).to.deep.equal(['report.pdf · 1.5 kB']);
    expect(notice(el)).to.equal('screenshot.png removed.');
    expect(focused(el), 'the focus moves to the next chip’s button').to.equal('button "Remove report.pdf", part file-chip-remove');
    expect(await uploads(chatbotId), 'nothing goes out before Send').to.deep.equal([]);
  });

  it('keeps a long name’s chip inside the panel: the name ends in an ellipsis, its remove button shows, the full name is its title', async () => {
    const { el } = await liveWithFiles({ layout: 'launcher', open: true });
    const long = 'a-really-long-file-name-from-the-scanner-2024-03-18-at-14.32.07-page-1-of-3.pdf';
    choose(el, pdf(long, 100));
    await el.updateComplete;
    const chip = $(el, '[part=file-chip]')!.getBoundingClientRect();
    const remove = $(el, '[part=file-chip-remove]')!.getBoundingClientRect();
    const form = $(el, '[part=composer]')!.getBoundingClientRect();
    expect(remove.width, 'the remove button keeps its size').to.be.at.least(24);
    expect(remove.right, 'the remove button inside its chip').to.be.at.most(chip.right + 0.5);
    expect(chip.right, 'the chip inside the composer').to.be.at.most(form.right);
    const name = $(el, '[part=file-chip] .name')!;
    expect(name.scrollWidth, 'the name is cut').to.be.above(name.clientWidth);
    expect(getComputedStyle(name).textOverflow).to.equal('ellipsis');
    expect(name.title).to.equal(long);
  });

  it('gives touch-sized targets (44 px) in the phone sheet: attach, a chip’s remove button, Cancel', async () => {
    const { setViewport } = await import('@web/test-runner-commands');
    await setViewport({ width: 390, height: 844 });
    try {
      const { el } = await liveWithFiles({ layout: 'launcher', open: true, holdUploads: true });
      await waitFor(() => el.hasAttribute('sheet'), 'the sheet');
      choose(el, pdf());
      await el.updateComplete;
      const size = (selector: string) => {
        const box = $(el, selector)!.getBoundingClientRect();
        return [Math.round(box.width) >= 44, Math.round(box.height) >= 44];
      };
      expect(size('[part=attach]'), 'attach').to.deep.equal([true, true]);
      expect(size('[part=file-chip-remove]'), 'remove').to.deep.equal([true, true]);
      choose(el, pdf('second.pdf'));
      button(el, 'Send')!.click();
      await waitFor(() => $(el, '[part=upload-cancel]'), 'Cancel');
      expect(size('[part=upload-cancel]')[1], 'Cancel’s height').to.equal(true);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('refuses a file too large, of a type the server does not take, and one too many, before any byte goes out', async () => {
    const { el, chatbotId } = await liveWithFiles({ limits: { ...LIMITS, maxBytes: 1000, maxPerMessage: 2 } });
    choose(el, pdf('big.pdf', 1001));
    await el.updateComplete;
    expect(notice(el)).to.equal('big.pdf is larger than 1,000 bytes.');
    choose(el, new File(['<script>alert(1)</script>'], 'page.html', { type: 'text/html' }), new File(['x'], 'tool.exe', { type: 'application/x-msdownload' }));
    await el.updateComplete;
    expect(notice(el)).to.equal('page.html cannot be sent: this kind of file is not accepted. tool.exe cannot be sent: this kind of file is not accepted.');
    choose(el, new File([], 'empty.txt', { type: 'text/plain' }));
    await el.updateComplete;
    expect(notice(el)).to.equal('empty.txt is empty.');
    choose(el, pdf('a.pdf', 10), pdf('b.pdf', 10), pdf('c.pdf', 10));
    await el.updateComplete;
    expect(chips(el)).to.deep.equal(['a.pdf · 10 bytes', 'b.pdf · 10 bytes']);
    expect(notice(el)).to.equal('a.pdf added. b.pdf added. At most 2 files per message.');
    expect(chips(el).some((chip) => /big|page|tool|empty|c\.pdf/.test(chip))).to.equal(false);
    expect(await uploads(chatbotId)).to.deep.equal([]);
  });

  it('takes files dropped on the panel, with a visible drop target while they are dragged over it', async () => {
    const { el } = await liveWithFiles();
    const panel = $(el, '[part=panel]')!;
    const transfer = files(pdf());
    panel.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true }));
    const over = new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true });
    panel.dispatchEvent(over);
    await el.updateComplete;
    expect(over.defaultPrevented, 'the drop is allowed').to.equal(true);
    expect(text($(el, '[part=drop-zone]'))).to.equal('Drop files here to send them');
    const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true });
    $(el, '[role=log]')!.dispatchEvent(drop);
    await el.updateComplete;
    expect(drop.defaultPrevented, 'the browser does not open the file instead').to.equal(true);
    expect($(el, '[part=drop-zone]')).to.equal(null);
    expect(chips(el)).to.deep.equal(['report.pdf · 1.5 kB']);
  });

  it('does not take a drop where no files are offered', async () => {
    const { el } = await mount();
    await waitFor(() => textarea(el), 'the composer');
    const drop = new DragEvent('drop', { dataTransfer: files(pdf()), bubbles: true, composed: true, cancelable: true });
    $(el, '[role=log]')!.dispatchEvent(drop);
    await el.updateComplete;
    expect(drop.defaultPrevented).to.equal(false);
    expect(chips(el)).to.deep.equal([]);
  });

  it('takes an image pasted into the text box; pasted text stays text', async () => {
    const { el } = await liveWithFiles();
    const pasteText = new ClipboardEvent('paste', { clipboardData: (() => { const t = new DataTransfer(); t.setData('text/plain', 'hello'); return t; })(), bubbles: true, composed: true, cancelable: true });
    textarea(el).dispatchEvent(pasteText);
    expect(pasteText.defaultPrevented).to.equal(false);
    const pasteImage = new ClipboardEvent('paste', { clipboardData: files(png('image.png')), bubbles: true, composed: true, cancelable: true });
    textarea(el).dispatchEvent(pasteImage);
    await el.updateComplete;
    expect(pasteImage.defaultPrevented).to.equal(true);
    expect(chips(el)).to.deep.equal([`image.png · ${PNG.length} bytes`]);
  });

  it('sends the chips with the typed caption: the box clears, the message shows its progress and Cancel while it uploads, then its files', async () => {
    const { el, chatbotId } = await liveWithFiles({ holdUploads: true });
    choose(el, png(), pdf());
    await typeText(el, 'Here is the error');
    await press('Enter');
    await el.updateComplete;
    expect(textarea(el).value).to.equal('');
    expect(chips(el)).to.deep.equal([]);
    const bar = await waitFor(() => $<HTMLProgressElement>(el, '[part=upload-progress]'), 'the progress bar');
    expect(bar.getAttribute('aria-label')).to.equal('Uploading screenshot.png, report.pdf');
    expect(bar.max).to.equal(100);
    // The first file's bytes are out, its answer held: the bar follows the message's progress.
    await waitFor(async () => (await uploads(chatbotId)).length === 1, 'the first upload');
    await waitFor(() => el.state.messages.at(-1)?.upload?.progress, 'some progress');
    await el.updateComplete;
    const progress = el.state.messages.at(-1)!.upload!.progress;
    expect(progress).to.be.above(0).and.below(1);
    expect(bar.value).to.equal(Math.round(progress * 100));
    expect(text($(el, '[part=upload-cancel]'))).to.equal('Cancel');
    // Which upload Cancel stops, for a screen reader among several: its progress describes it.
    const about = $(el, '[part=upload-cancel]')!.getAttribute('aria-describedby')!;
    expect(el.shadowRoot!.getElementById(about)).to.equal(bar);
    await service.release(chatbotId);
    await waitFor(async () => (await uploads(chatbotId)).length === 2, 'the second upload');
    await service.release(chatbotId);
    await waitFor(() => $(el, '[part=attachment-image]'), 'the sent message’s thumbnail');
    expect($(el, '[part=upload-progress]')).to.equal(null);
    const row = $(el, '[part~=message-user]:last-of-type') ?? all(el, '[part~=message-user]').at(-1)!;
    expect(text(row.querySelector('.bubble'))).to.equal('Here is the error');
    const sent = await waitFor(async () => (await sentWithFiles(chatbotId))[0], 'the message with its files');
    expect(sent.content).to.equal('Here is the error');
    expect(sent.attachments.map((file) => file.name)).to.deep.equal(['screenshot.png', 'report.pdf']);
  });

  it('keeps what was chosen and typed when the send is not taken (a caption too long)', async () => {
    const { el, chatbotId } = await liveWithFiles();
    choose(el, pdf());
    textarea(el).value = 'x'.repeat(701);
    textarea(el).dispatchEvent(new Event('input', { bubbles: true }));
    textarea(el).form!.requestSubmit();
    await el.updateComplete;
    expect(textarea(el).value).to.have.length(701);
    expect(chips(el)).to.deep.equal(['report.pdf · 1.5 kB']);
    expect(await uploads(chatbotId)).to.deep.equal([]);
  });

  it('cancels an upload: the message goes and nothing is sent', async () => {
    const { el, chatbotId } = await liveWithFiles({ holdUploads: true });
    choose(el, pdf());
    button(el, 'Send')!.click();
    const cancel = await waitFor(() => $<HTMLButtonElement>(el, '[part=upload-cancel]'), 'Cancel');
    await waitFor(async () => (await uploads(chatbotId)).length === 1, 'the upload under way');
    cancel.click();
    await el.updateComplete;
    expect($(el, '[part=upload-progress]')).to.equal(null);
    expect(el.state.messages.filter((m) => m.sender === 'user' && m.upload)).to.deep.equal([]);
    expect(focused(el)).to.equal('textarea "Message", part input');
    await service.release(chatbotId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await sentWithFiles(chatbotId)).to.deep.equal([]);
  });

  it('shows why an upload failed, with Retry, and Retry sends it', async () => {
    const { el, chatbotId } = await liveWithFiles({ failUploads: 1 });
    choose(el, pdf());
    button(el, 'Send')!.click();
    const reason = await waitFor(() => $(el, '[part=upload-error]'), 'the reason');
    // The visitor's words, not the service's English ("The file store is unavailable.").
    expect(text(reason)).to.equal('report.pdf could not be sent (error 503). Try again.');
    expect(text($(el, '[part=error][role=alert]')), 'the panel’s alert').to.equal('report.pdf could not be sent (error 503). Try again.');
    expect(reason.querySelector('bdi')?.textContent, 'the name isolated from the sentence’s direction').to.equal('report.pdf');
    expect($(el, '[part=upload-progress]')).to.equal(null);
    // Its Cancel (which discards it) is described by why it failed.
    expect(el.shadowRoot!.getElementById($(el, '[part=upload-cancel]')!.getAttribute('aria-describedby')!)).to.equal(reason);
    button(el, 'Retry')!.click();
    await waitFor(() => $(el, 'a[part=attachment-file]'), 'the sent file’s card');
    expect(await uploads(chatbotId)).to.have.length(2);
    expect((await sentWithFiles(chatbotId)).map((m) => m.attachments.map((f) => f.name))).to.deep.equal([['report.pdf']]);
  });

  it('says why an upload failed in the visitor’s language, from the server’s code, naming the file it stopped at', async () => {
    document.documentElement.lang = 'de';
    try {
      const { el, chatbotId } = await mount({ layout: 'inline' });
      await service.configure(chatbotId, { files: LIMITS });
      await el.requestHuman();
      await waitFor(() => el.state.connection.state === 'joined', 'the live-chat socket joined');
      await service.act(chatbotId, el.state.sessionId!, { type: 'takeover', agent: { name: 'Mia' } });
      await waitFor(() => $(el, '[part=attach]')?.getAttribute('aria-label') === 'Dateien anhängen', 'the German attach button');
      await service.configure(chatbotId, { holdUploads: true });
      choose(el, png('ok.png'), pdf('handbuch.pdf'));
      button(el, 'Senden')!.click();
      // The first file goes up; the server refuses the second.
      await waitFor(async () => (await uploads(chatbotId)).length === 1, 'the first upload');
      await service.configure(chatbotId, { holdUploads: false, failUploads: 1, uploadFailure: { status: 413, code: 'file_too_large' } });
      await service.release(chatbotId);
      const reason = await waitFor(() => $(el, '[part=upload-error]'), 'the reason');
      // In German, not the service's English, and naming the refused file.
      expect(text(reason)).to.equal('handbuch.pdf ist zu groß zum Senden.');
      // The panel's alert, what a screen reader says at once, says the same, not the core's English.
      expect(text($(el, '[part=error][role=alert]'))).to.equal('handbuch.pdf ist zu groß zum Senden.');
      expect(await uploads(chatbotId)).to.have.length(2);
    } finally {
      document.documentElement.lang = '';
    }
  });

  it('has a reason in the visitor’s words for each way an upload fails', async () => {
    await liveWithFiles();
    const { uploadReason } = await import('../../src/components/files/attachments.ts');
    const { defaultStrings } = await import('../../src/components/strings.ts');
    const reason = (error: Partial<ChatError>) => uploadReason({ code: 'server_error', message: 'English from the core', ...error }, defaultStrings).replace('{name}', 'a.pdf');
    expect(reason({ code: 'bad_request', status: 415, serverCode: 'unsupported_type' })).to.equal('a.pdf cannot be sent: this kind of file is not accepted.');
    expect(reason({ code: 'bad_request', status: 400, serverCode: 'empty_file' })).to.equal('a.pdf is empty.');
    expect(reason({ code: 'payload_too_large', status: 413, serverCode: 'file_too_large' })).to.equal('a.pdf is too large to send.');
    expect(reason({ code: 'payload_too_large', status: 413 })).to.equal('a.pdf is too large to send.');
    expect(reason({ code: 'payload_too_large', status: 413, serverCode: 'session_quota' })).to.equal('This chat has no room for more files.');
    expect(reason({ code: 'bad_request', status: 409, serverCode: 'too_many_files' })).to.equal('This chat has no room for more files.');
    expect(reason({ code: 'server_error', status: 408, serverCode: 'upload_timeout' })).to.equal('Sending a.pdf took too long. Try again.');
    expect(reason({ code: 'network' })).to.equal('a.pdf could not be sent: no connection. Try again.');
    expect(reason({ code: 'file_rejected', serverCode: 'file_unavailable' })).to.equal('a.pdf is no longer available: attach it again.');
    expect(reason({ code: 'rate_limited', status: 429 })).to.equal('a.pdf could not be sent (error 429). Try again.');
    expect(reason({ code: 'file_rejected', serverCode: 'not_live' })).to.equal('a.pdf could not be sent. Try again.');
  });

  it('shows an agent’s image as a thumbnail that opens full size, and a PDF as a download card', async () => {
    const { el, chatbotId, sessionId } = await liveWithFiles({ layout: 'launcher', open: true });
    const image = `${service.url}${FILES_PATH}/photo`;
    const doc = `${service.url}${FILES_PATH}/manual`;
    await service.act(chatbotId, sessionId, { type: 'say', content: '', agent: { name: 'Mia' }, attachments: [ref('photo.png', 'image/png', image), ref('manual.pdf', 'application/pdf', doc, 2.5 * 1024 * 1024)] });
    const thumb = await waitFor(() => $<HTMLAnchorElement>(el, '[part~=message-agent] a[part=attachment-image]'), 'the thumbnail');
    const img = thumb.querySelector('img')!;
    expect(img.getAttribute('src')).to.equal(image);
    expect(img.alt).to.equal('photo.png');
    expect(img.loading).to.equal('lazy');
    const card = $<HTMLAnchorElement>(el, '[part~=message-agent] a[part=attachment-file]')!;
    expect(card.href).to.equal(doc);
    expect(card.getAttribute('download')).to.equal('manual.pdf');
    expect(card.rel).to.equal('noopener noreferrer');
    expect(text(card)).to.equal('PDF manual.pdf 2.5 MB');
    expect(card.querySelector('svg')).to.equal(null);
    // A message of files alone shows no empty bubble.
    expect(getComputedStyle(thumb.closest('[part~=message]')!.querySelector('.bubble')!).display).to.equal('none');

    thumb.focus();
    await press('Enter');
    const dialog = await waitFor(() => $<HTMLDialogElement>(el, 'dialog[part=image-viewer]'), 'the viewer');
    await el.updateComplete;
    expect(dialog.open).to.equal(true);
    expect(dialog.getAttribute('aria-label')).to.equal('photo.png');
    expect(dialog.querySelector('img')!.getAttribute('src')).to.equal(image);
    expect(focused(el)).to.equal('button "Close", part image-viewer-close');
    await press('Escape');
    await waitFor(() => !$(el, 'dialog[part=image-viewer]'), 'the viewer closed');
    expect(el.open, 'Escape closed the picture, not the chat').to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal($(el, 'a[part=attachment-image]'));
    // Its close button too.
    thumb.click();
    await waitFor(() => $<HTMLDialogElement>(el, 'dialog[part=image-viewer]')?.open, 'the viewer again');
    button(el, 'Close')!.click();
    await waitFor(() => !$(el, 'dialog[part=image-viewer]'), 'closed by its button');
  });

  it('gives every thumbnail its tile before the picture loads: a row does not grow when it comes, and no picture is cropped', async () => {
    const { el, chatbotId, sessionId } = await liveWithFiles();
    // A wide picture of 300 × 100, stored on the service as an upload is.
    const canvas = new OffscreenCanvas(300, 100);
    canvas.getContext('2d')!.fillRect(0, 0, 300, 100);
    const body = await canvas.convertToBlob({ type: 'image/png' });
    const stored = await fetch(`${service.url}${FILES_PATH}?chatbotId=${chatbotId}&name=wide.png`, { method: 'POST', headers: { 'Content-Type': 'image/png', 'X-Chat-Session-Id': sessionId }, body });
    const wide = (await stored.json()) as FileRef;
    // One picture that loads, and one that never does (it is gone from the store).
    await service.act(chatbotId, sessionId, { type: 'say', content: '', agent: { name: 'Mia' }, attachments: [wide] });
    await service.act(chatbotId, sessionId, { type: 'say', content: '', agent: { name: 'Mia' }, attachments: [ref('gone.png', 'image/png', `${service.url}${FILES_PATH}/gone`)] });
    const images = await waitFor(() => {
      const found = all(el, '[part=attachment-image] img') as HTMLImageElement[];
      return found.length === 2 && found[0]!.complete && found[1]!.complete ? found : null;
    }, 'both pictures settled');
    const [loaded, missing] = images as [HTMLImageElement, HTMLImageElement];
    expect(loaded.naturalWidth, 'the picture loaded').to.equal(300);
    expect(missing.naturalWidth, 'the other did not').to.equal(0);
    const box = (img: HTMLImageElement) => [Math.round(img.getBoundingClientRect().width), Math.round(img.getBoundingClientRect().height)];
    expect(box(loaded)).to.deep.equal(box(missing));
    expect(getComputedStyle(loaded).objectFit).to.equal('scale-down');
  });

  it('never shows an SVG or an HTML file as an image, and makes no link of a javascript: URL', async () => {
    const { el, chatbotId, sessionId } = await liveWithFiles();
    await service.act(chatbotId, sessionId, {
      type: 'say',
      content: 'files',
      attachments: [
        ref('logo.svg', 'image/svg+xml', `${service.url}${FILES_PATH}/logo`),
        ref('page.html', 'text/html', `${service.url}${FILES_PATH}/page`),
        ref('trap.png', 'image/png', 'javascript:alert(1)'),
        ref('data.png', 'image/png', 'data:image/png;base64,AAAA'),
      ],
    });
    await waitFor(() => all(el, '[part~=message-agent] [part=attachment-file]').length === 4, 'four cards');
    const cards = all(el, '[part~=message-agent] [part=attachment-file]');
    expect(cards.map((card) => text(card.querySelector('.name')))).to.deep.equal(['logo.svg', 'page.html', 'trap.png', 'data.png']);
    expect(cards.map((card) => card.localName)).to.deep.equal(['a', 'a', 'span', 'span']);
    expect(all(el, '[part~=message-agent] img')).to.deep.equal([]);
    expect(all(el, 'a[href^="javascript:"], a[href^="data:"], [src^="javascript:"], [src^="data:"]')).to.deep.equal([]);
    expect(el.shadowRoot!.querySelector('svg, iframe, object, embed')).to.equal(null);
  });

  it('resolves a relative file URL against the chat service, not the page', async () => {
    const { el, chatbotId, sessionId } = await liveWithFiles();
    await service.act(chatbotId, sessionId, { type: 'say', content: 'see', attachments: [ref('notes.txt', 'text/plain', `${FILES_PATH}/notes`)] });
    const card = await waitFor(() => $<HTMLAnchorElement>(el, '[part~=message-agent] a[part=attachment-file]'), 'the card');
    expect(card.href).to.equal(`${service.url}${FILES_PATH}/notes`);
  });

  it('shows the files of a kept conversation without a live chat: thumbnails and cards', async () => {
    const chatbotId = `bot-${crypto.randomUUID()}`;
    const at = new Date().toISOString();
    persistTranscript(chatbotId, [
      { id: 'a1', sender: 'admin', content: 'Here you go', html: false, sources: [], createdAt: at, attachments: [ref('scan.jpg', 'image/jpeg', `${service.url}${FILES_PATH}/scan`), ref('terms.pdf', 'application/pdf', `${service.url}${FILES_PATH}/terms`, 900)] },
    ]);
    const { el } = await mount({ chatbotId, persist: 'local' });
    await waitFor(() => $(el, 'a[part=attachment-image]') && $(el, 'a[part=attachment-file]'), 'the kept files');
    expect($(el, '[part=attach]')).to.equal(null);
    expect(text($(el, 'a[part=attachment-file]'))).to.equal('PDF terms.pdf 900 bytes');
    localStorage.removeItem(`webchat-agent:${chatbotId}`);
  });

  it('by keyboard alone: from the attach button back to the chips, each removed in turn, then Send; the live region says each change once', async () => {
    const { el, chatbotId } = await liveWithFiles();
    const region = $(el, '[part=file-notice]')!;
    const said: string[] = [];
    new MutationObserver(() => said.push(region.textContent!)).observe(region, { childList: true, characterData: true, subtree: true });
    choose(el, pdf('a.pdf', 10), pdf('b.pdf', 10), pdf('c.pdf', 10));
    await el.updateComplete;
    $(el, '[part=attach]')!.focus();
    await press('Shift+Tab');
    expect(focused(el)).to.equal('button "Remove c.pdf", part file-chip-remove');
    await press('Enter');
    await el.updateComplete;
    expect(focused(el), 'the focus stays on the chips').to.equal('button "Remove b.pdf", part file-chip-remove');
    await press('Shift+Tab');
    await press('Enter');
    await el.updateComplete;
    expect(chips(el)).to.deep.equal(['b.pdf · 10 bytes']);
    // The same refusal twice is said twice; typing in between says nothing.
    choose(el, new File(['x'], 'tool.exe', { type: 'application/x-msdownload' }));
    await el.updateComplete;
    await typeText(el, 'Here');
    await el.updateComplete;
    choose(el, new File(['x'], 'tool.exe', { type: 'application/x-msdownload' }));
    await el.updateComplete;
    const words = (text: string) => text.replace(/\u00a0/g, '').trim();
    expect(said.map(words).filter(Boolean)).to.deep.equal(['a.pdf added. b.pdf added. c.pdf added.', 'c.pdf removed.', 'a.pdf removed.', 'tool.exe cannot be sent: this kind of file is not accepted.', 'tool.exe cannot be sent: this kind of file is not accepted.']);
    expect(focused(el)).to.equal('textarea "Message", part input');
    await press('Enter');
    const sent = await waitFor(async () => (await sentWithFiles(chatbotId))[0], 'the message with its file');
    expect(sent.content).to.equal('Here');
    expect(sent.attachments.map((file) => file.name)).to.deep.equal(['b.pdf']);
  });

  it('is keyboard operable: Tab reaches the attach button, whose Enter and Space open the picker', async () => {
    const { el } = await liveWithFiles();
    let opened = 0;
    // The picker itself is the browser's: stopped here, counted.
    fileInput(el).addEventListener('click', (event) => {
      opened++;
      event.preventDefault();
    });
    textarea(el).focus();
    await press('Shift+Tab');
    expect(focused(el)).to.equal('button "Attach files", part attach');
    await press('Enter');
    await press('Space');
    expect(opened).to.equal(2);
  });
});
