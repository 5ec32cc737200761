/**
 * The visitor's side of sending files, per element: the attach button and its hidden file
 * input, dropping files on the panel, pasting an image into the text box, and the chosen
 * files as chips until Send. The server's limits are checked as files are chosen, with the
 * core's own rules, so nothing it would refuse is offered; what is refused is said in a
 * live region. Active only in a live chat whose server advertised files.
 */
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { typeOfName } from '../../core/file-source.ts';
import type { FileLimits } from '../../core/protocol.ts';
import type { ChatClient, ChatState, OutgoingFile } from '../../core/types.ts';
import type { WebchatStrings } from '../strings.ts';
import { sizeLabel } from './format.ts';
import { core, html, nothing } from './lit.ts';

/** Never offered in the picker, whatever a server lists (the core refuses them too). */
const NEVER = new Set(['image/svg+xml', 'text/html', 'application/xhtml+xml']);

const hasFiles = (event: DragEvent): boolean => !!event.dataTransfer?.types.includes('Files');

export interface ChooserHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class FileChooser implements ReactiveController {
  private pending: File[] = [];
  private limits: FileLimits | null = null;
  private state: ChatState | undefined;
  private strings: WebchatStrings | undefined;
  private lang = 'en';
  private notice = '';
  /** Alternates, so the same sentence twice is announced twice. */
  private repeat = false;
  /** Nested dragenter/dragleave pairs while files are over the panel. */
  private dragDepth = 0;
  private sending = false;
  /** A chip was removed: the focus goes to the next one's button, else the text box. */
  private refocus: number | null = null;
  private panel: HTMLElement | null = null;

  constructor(
    private readonly host: ChooserHost,
    private readonly client: () => ChatClient | null,
  ) {
    host.addController(this);
  }

  /** Called at every render: whether files may be chosen now, and in which words. */
  sync(state: ChatState, live: boolean, strings: WebchatStrings, lang: string): boolean {
    this.state = state;
    this.strings = strings;
    this.lang = lang;
    this.limits = live ? state.files : null;
    if (!this.limits && (this.pending.length || this.dragDepth)) {
      // The live chat is over (or its server takes no files): nothing chosen can go any more.
      this.pending = [];
      this.dragDepth = 0;
    }
    return !!this.limits;
  }

  get active(): boolean {
    return !!this.limits;
  }

  get hasPending(): boolean {
    return this.active && this.pending.length > 0;
  }

  hostUpdated(): void {
    const panel = this.host.renderRoot.querySelector<HTMLElement>('#panel');
    if (panel !== this.panel) {
      this.panel?.removeEventListener('dragenter', this.onDragEnter);
      this.panel?.removeEventListener('dragover', this.onDragOver);
      this.panel?.removeEventListener('dragleave', this.onDragLeave);
      this.panel?.removeEventListener('drop', this.onDrop);
      this.panel?.removeEventListener('paste', this.onPaste);
      this.panel = panel;
      panel?.addEventListener('dragenter', this.onDragEnter);
      panel?.addEventListener('dragover', this.onDragOver);
      panel?.addEventListener('dragleave', this.onDragLeave);
      panel?.addEventListener('drop', this.onDrop);
      panel?.addEventListener('paste', this.onPaste);
    }
    if (this.refocus !== null) {
      const buttons = this.host.renderRoot.querySelectorAll<HTMLElement>('[part~=file-chip-remove]');
      (buttons[Math.min(this.refocus, buttons.length - 1)] ?? this.host.renderRoot.querySelector('textarea'))?.focus();
      this.refocus = null;
    }
  }

  /** Takes files from the input, a drop or a paste: those within the limits become chips. */
  add(files: readonly File[]): void {
    const limits = this.limits;
    const s = this.strings;
    if (!limits || !s || !files.length) return;
    const said: string[] = [];
    const taken: File[] = [];
    // What this conversation already sent counts against the session's allowance.
    const sent = (this.state?.messages ?? []).reduce((n, m) => n + (m.sender === 'user' ? (m.upload?.files.length ?? m.attachments?.length ?? 0) : 0), 0);
    for (const file of files) {
      const count = this.pending.length + taken.length;
      if (count >= limits.maxPerMessage) {
        said.push(core.fill(s.tooManyFiles, { count: limits.maxPerMessage }));
        break;
      }
      if (sent + count >= limits.maxPerSession) {
        said.push(core.fill(s.sessionFilesFull, { count: limits.maxPerSession }));
        break;
      }
      const one = describe(file);
      const refusal = core.checkFiles([one], limits);
      if (refusal) {
        said.push(this.refusalText(refusal.serverCode, one, limits));
        continue;
      }
      taken.push(file);
      said.push(core.fill(s.fileAdded, { name: one.name }));
    }
    this.pending = [...this.pending, ...taken];
    this.announce(said.join(' '));
  }

  private refusalText(code: string | undefined, file: OutgoingFile, limits: FileLimits): string {
    const s = this.strings!;
    const name = file.name;
    if (code === 'file_too_large') return core.fill(s.fileTooLarge, { name, size: sizeLabel(limits.maxBytes, this.lang) });
    if (code === 'empty_file') return core.fill(s.fileEmpty, { name });
    return core.fill(s.fileRefused, { name });
  }

  private remove(index: number): void {
    const [gone] = this.pending.splice(index, 1);
    this.pending = [...this.pending];
    this.refocus = index;
    if (gone) this.announce(core.fill(this.strings!.fileRemoved, { name: describe(gone).name }));
  }

  private announce(text: string): void {
    this.repeat = !this.repeat;
    this.notice = text && (this.repeat ? text : `${text}\u00a0`);
    this.host.requestUpdate();
  }

  /**
   * The composer's Send with chips: the text is their caption. Taken (true: the composer
   * clears) when the core will accept it; should the core still refuse it (another tab
   * holds the chat, a file became unreadable), the chips and the caption come back.
   */
  submit(text: string): boolean {
    const client = this.client();
    const caption = text.trim();
    if (!client || this.sending || (caption && !core.isValidMessageText(caption))) return false;
    const files = this.pending;
    const before = new Set(client.state.messages.map((m) => m.id));
    this.pending = [];
    this.sending = true;
    this.notice = '';
    this.host.requestUpdate();
    void client.sendFile(files, { caption }).then(() => {
      this.sending = false;
      if (!client.state.messages.some((m) => !before.has(m.id) && m.sender === 'user')) {
        this.pending = [...files, ...this.pending];
        const box = this.host.renderRoot.querySelector('textarea');
        if (box && !box.value) box.value = text;
      }
      this.host.requestUpdate();
    });
    return true;
  }

  private choose = (): void => this.host.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();

  private onChosen = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.add([...(input.files ?? [])]);
    // The same file chosen again must fire `change` again.
    input.value = '';
  };

  private onDragEnter = (event: DragEvent): void => {
    if (!this.active || !hasFiles(event)) return;
    event.preventDefault();
    if (this.dragDepth++ === 0) this.host.requestUpdate();
  };

  private onDragOver = (event: DragEvent): void => {
    if (!this.active || !hasFiles(event)) return;
    // Without this the browser would open the file in place of the page.
    event.preventDefault();
    event.dataTransfer!.dropEffect = 'copy';
  };

  private onDragLeave = (): void => {
    if (this.dragDepth > 0 && --this.dragDepth === 0) this.host.requestUpdate();
  };

  private onDrop = (event: DragEvent): void => {
    if (!this.active || !hasFiles(event)) return;
    event.preventDefault();
    this.dragDepth = 0;
    this.add([...event.dataTransfer!.files]);
    this.host.requestUpdate();
  };

  /** Only images are taken from a paste (a screenshot); text pastes as text. */
  private onPaste = (event: ClipboardEvent): void => {
    if (!this.active) return;
    const images = [...(event.clipboardData?.files ?? [])].filter((file) => file.type.startsWith('image/'));
    if (!images.length) return;
    event.preventDefault();
    this.add(images);
  };

  /** The attach button with its input, for the composer's row. */
  renderAttach() {
    const limits = this.limits;
    if (!limits) return nothing;
    const accept = limits.types.filter((type) => !NEVER.has(type)).join(',');
    return html`<button type="button" class="attach" part="attach" aria-label=${this.strings!.attachFile} title=${this.strings!.attachFile} @click=${this.choose}><span class="clip" aria-hidden="true"></span></button><input type="file" multiple hidden tabindex="-1" accept=${accept || nothing} @change=${this.onChosen}>`;
  }

  /** The chosen files above the text box, and the live region that tells what happened. */
  renderChips() {
    const s = this.strings;
    if (!this.limits || !s) return nothing;
    return html`${this.pending.length
      ? html`<ul class="chips" part="file-chips" aria-label=${s.pendingFiles}>${this.pending.map((file, i) => {
          const { name, size } = describe(file);
          return html`<li class="chip" part="file-chip"><span class="name" dir="auto" title=${name}>${name}</span> <span class="size">${sizeLabel(size, this.lang)}</span><button type="button" part="file-chip-remove" aria-label=${core.fill(s.removeFile, { name })} @click=${() => this.remove(i)}>×</button></li>`;
        })}</ul>`
      : nothing}<p class="file-notice" part="file-notice" aria-live="polite">${this.notice}</p>`;
  }

  /** The drop target over the panel while files are dragged over it. */
  renderDropZone() {
    return this.limits && this.dragDepth > 0 ? html`<div class="drop" part="drop-zone">${this.strings!.dropFiles}</div>` : nothing;
  }
}

/** What the core checks of a file: a pasted screenshot has a type but a made-up name. */
function describe(file: File): OutgoingFile {
  const name = file.name || 'file';
  return { name, type: file.type || typeOfName(name), size: file.size };
}
