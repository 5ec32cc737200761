/** The floating button that opens and closes the panel (layout="launcher"). */
import { css, html } from 'lit';
import type { WebchatStrings } from './strings.ts';

const chatIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>`;
const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>`;

export function renderLauncher(open: boolean, strings: WebchatStrings, toggle: () => void) {
  return html`<button type="button" class="launcher" part="launcher" aria-controls="panel"
    aria-expanded=${String(open)} aria-label=${open ? strings.closeChat : strings.openChat}
    @click=${toggle}>${open ? closeIcon : chatIcon}</button>`;
}

export const launcherStyles = css`
  .launcher {
    inline-size: 56px;
    block-size: 56px;
    padding: 0;
    border-radius: 50%;
    display: grid;
    place-items: center;
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.25);
  }
  .launcher svg {
    inline-size: 26px;
    block-size: 26px;
    fill: currentColor;
    stroke: currentColor;
    stroke-width: 0;
  }
  .launcher[aria-expanded='true'] svg {
    fill: none;
    stroke-width: 2.4;
    stroke-linecap: round;
  }
`;
