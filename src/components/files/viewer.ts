/**
 * An image at full size, in a modal `<dialog>` inside the panel: the platform's own focus
 * trap, Escape and top layer. Opened by activating a thumbnail (a click, or Enter on its
 * link; a click with a modifier still opens the link in a new tab), closed by its button,
 * Escape or a click beside the image; the focus then goes back to the thumbnail.
 */
import type { ReactiveController } from '@lit/reactive-element';
import type { WebchatStrings } from '../strings.ts';
import type { ChooserHost } from './chooser.ts';
import { html, nothing } from './lit.ts';

export class ImageViewer implements ReactiveController {
  private shown: { url: string; name: string; from: HTMLElement } | null = null;
  private opening = false;

  constructor(private readonly host: ChooserHost) {
    host.addController(this);
  }

  /** A click in the panel on a thumbnail opens it here; true when it did. */
  open(event: MouseEvent): boolean {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return false;
    const link = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement && node.part.contains('attachment-image'));
    if (!link) return false;
    event.preventDefault();
    this.shown = { url: link.href, name: link.querySelector('img')?.alt ?? '', from: link };
    this.opening = true;
    this.host.requestUpdate();
    return true;
  }

  hostUpdated(): void {
    // Looked for only when opening: a selector walks the whole log, thousands of rows.
    const dialog = this.opening && this.host.renderRoot.querySelector<HTMLDialogElement>('dialog.viewer');
    if (dialog && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>('button')?.focus();
    }
    this.opening = false;
  }

  private close = (): void => this.host.renderRoot.querySelector<HTMLDialogElement>('dialog.viewer')?.close();

  private onClose = (): void => {
    const from = this.shown?.from;
    this.shown = null;
    this.host.requestUpdate();
    if (from?.isConnected) from.focus();
  };

  /** Escape closes the picture only, not the chat panel around it. */
  private onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') event.stopPropagation();
  };

  /** The dialog's own box, outside the picture and its bar, is the backdrop. */
  private onClick = (event: MouseEvent): void => {
    if (event.target === event.currentTarget) this.close();
  };

  render(strings: WebchatStrings) {
    const shown = this.shown;
    if (!shown) return nothing;
    return html`<dialog class="viewer" part="image-viewer" aria-label=${shown.name} @close=${this.onClose} @keydown=${this.onKeydown} @click=${this.onClick}>
      <div class="viewer-bar"><span dir="auto" title=${shown.name}>${shown.name}</span><a href=${shown.url} target="_blank" rel="noopener noreferrer">${strings.openImage}</a><button type="button" part="image-viewer-close" aria-label=${strings.closeImage} @click=${this.close}>×</button></div>
      <img src=${shown.url} alt=${shown.name}>
    </dialog>`;
  }
}
