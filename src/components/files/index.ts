/**
 * The element's file UI, a part of its own: few visitors send or receive a file, so this
 * loads when one can (a live chat whose server takes files) or when a message has files to
 * show. The ES build imports it as a chunk; the script-tag build loads
 * `webchat-agent.files.js` from beside itself (files-loader.iife.ts). Lit and the core's
 * checks come from the bundle that loads it (lit.ts).
 */
import type { ChatClient } from '../../core/types.ts';
import { renderFiles, uploadAlert } from './attachments.ts';
import { FileChooser, type ChooserHost } from './chooser.ts';
import { inject, type Injected } from './lit.ts';
import { adoptFileStyles } from './styles.ts';
import { ImageViewer } from './viewer.ts';

export interface FilesUI {
  readonly chooser: FileChooser;
  readonly viewer: ImageViewer;
  /** A click in the panel this UI handles (a thumbnail, a Cancel); true when it did. */
  click(event: MouseEvent): boolean;
}

export interface FilesPart {
  renderFiles: typeof renderFiles;
  /** The panel's alert for a failed upload, in the visitor's language (undefined: not one). */
  uploadAlert: typeof uploadAlert;
  /** The UI of one element, whose shadow root receives the styles. */
  attach(host: ChooserHost, client: () => ChatClient | null): FilesUI;
}

export function init(deps: Injected): FilesPart {
  inject(deps);
  return {
    renderFiles,
    uploadAlert,
    attach(host, client) {
      adoptFileStyles(host.renderRoot);
      const chooser = new FileChooser(host, client);
      const viewer = new ImageViewer(host);
      return {
        chooser,
        viewer,
        click(event) {
          const cancel = event.composedPath().find((node): node is HTMLButtonElement => node instanceof HTMLButtonElement && !!node.dataset['cancel']);
          if (cancel) {
            client()?.cancelUpload(cancel.dataset['cancel']!);
            // The row and its button go: the focus goes on to the message box.
            host.renderRoot.querySelector('textarea')?.focus();
            return true;
          }
          return viewer.open(event);
        },
      };
    },
  };
}
