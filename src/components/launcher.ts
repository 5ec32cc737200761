/** The floating button's styles, and its icons' shapes (its DOM is the shell's: frame.ts). */
import { css } from '@lit/reactive-element';
import { html } from 'lit-html';

export const CHAT_PATH = 'M3 4h18v13H9l-5 4v-4H3z';
export const CLOSE_PATH = 'M6 6l12 12M18 6L6 18';
/** The panel header's close button's icon (chat-view.ts): the open launcher's. */
export const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${CLOSE_PATH}"/></svg>`;

export const launcherStyles = css`
  .launcher {
    position: relative;
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
  .badge {
    position: absolute;
    inset-block-start: -4px;
    inset-inline-end: -4px;
    min-inline-size: 20px;
    block-size: 20px;
    padding-inline: 5px;
    box-sizing: border-box;
    border-radius: 10px;
    background: var(--webchat-badge, #d92d20);
    color: var(--webchat-badge-text, #fff);
    font-size: 12px;
    font-weight: 700;
    line-height: 20px;
    text-align: center;
  }
  [aria-expanded='true'] svg {
    stroke-width: 2.4px;
  }
`;
