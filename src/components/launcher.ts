/** The floating button that opens and closes the panel (layout="launcher"). */
import { css, html } from 'lit';
import type { WebchatStrings } from './strings.ts';

const chatIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 4h18v13H9l-5 4v-4H3z"/></svg>`;
const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>`;

export function renderLauncher(open: boolean, strings: WebchatStrings, toggle: () => void) {
  return html`<button class="launcher" part="launcher" aria-controls="panel"
    aria-expanded=${open} aria-label=${open ? strings.closeChat : strings.openChat}
    @click=${toggle}>${open ? closeIcon : chatIcon}</button>`;
}

export const launcherStyles = css`
  .launcher {
    inline-size: 56px;
    block-size: 56px;
    border-radius: 50%;
    padding: 14px;
  }
  svg {
    inline-size: 100%;
    block-size: 100%;
    fill: currentColor;
    stroke: currentColor;
    stroke-width: 0;
  }
  [aria-expanded='true'] svg {
    stroke-width: 2.4px;
  }
`;
