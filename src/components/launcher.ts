/** The floating button that opens and closes the panel (layout="launcher"). */
import { css, html, nothing } from 'lit';
import { fill, plural, type WebchatStrings } from './strings.ts';

const chatIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 4h18v13H9l-5 4v-4H3z"/></svg>`;
export const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>`;

/** `unread`: the count to show on the closed launcher; its name says it too, since the
 * badge itself is hidden from assistive technology (one announcement, not two). */
export function renderLauncher(open: boolean, strings: WebchatStrings, toggle: () => void, unread = 0, lang?: string) {
  const badge = !open && unread > 0;
  const label = open ? strings.closeChat : badge ? fill(strings.openChatUnread, { unread: plural(strings, 'unread', unread, lang) }) : strings.openChat;
  return html`<button class="launcher" part="launcher" aria-controls="panel"
    aria-expanded=${open} aria-label=${label}
    @click=${toggle}>${open ? closeIcon : chatIcon}${badge ? html`<span class="badge" part="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>` : nothing}</button>`;
}

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
