/**
 * The shell's own DOM, kept by hand: the layout's box, the panel's section and the floating
 * launcher. Lit renders only the panel's contents into the section, and not at all while the
 * panel is hidden and the conversation's code is not here: a closed launcher, what most
 * visitors of a page see, paints without a template (Lit's first render, its code compiled
 * on first use, was most of that start-up).
 */
import { element, setAttr } from './dom.ts';
import { CHAT_PATH, CLOSE_PATH } from './launcher.ts';
import { fill, plural, type WebchatStrings } from './strings.ts';

export interface Frame {
  box: HTMLDivElement;
  panel: HTMLElement;
  /** In the box only in a floating layout. */
  launcher: HTMLButtonElement;
  /** What the launcher shows now (its icon and badge): an update that changes neither
   * leaves its nodes alone. */
  shows?: string;
}

/** The box and its panel section, in `root`, and the launcher for the box. Escape is heard
 * on the box, so it closes the panel from the launcher too (while the panel's contents load,
 * the focus is there). */
export function createFrame(root: ShadowRoot, onKeydown: (event: KeyboardEvent) => void, onClick: (event: MouseEvent) => void, toggle: () => void): Frame {
  const box = document.createElement('div');
  box.addEventListener('keydown', onKeydown);
  const panel = element('section', 'panel', 'panel');
  panel.id = 'panel';
  // Until the first update says otherwise.
  panel.hidden = true;
  panel.addEventListener('click', onClick);
  box.append(panel);
  root.append(box);
  const launcher = element('button', 'launcher', 'launcher');
  launcher.setAttribute('aria-controls', 'panel');
  launcher.addEventListener('click', toggle);
  return { box, panel, launcher };
}

/** `unread`: the count to show on the closed launcher; its name says it too, since the
 * badge itself is hidden from assistive technology (one announcement, not two). */
export function syncLauncher(frame: Frame, open: boolean, strings: WebchatStrings, unread = 0, lang?: string): void {
  const { launcher } = frame;
  const badge = !open && unread > 0 ? (unread > 99 ? '99+' : String(unread)) : '';
  setAttr(launcher, 'aria-expanded', String(open));
  setAttr(launcher, 'aria-label', open ? strings.closeChat : badge ? fill(strings.openChatUnread, { unread: plural(strings, 'unread', unread, lang) }) : strings.openChat);
  const shows = open + badge;
  if (frame.shows === shows) return;
  frame.shows = shows;
  // No markup from a string: a page's Trusted Types policy would refuse it.
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.append(document.createElementNS(svg.namespaceURI, 'path'));
  svg.firstElementChild!.setAttribute('d', open ? CLOSE_PATH : CHAT_PATH);
  launcher.replaceChildren(svg);
  if (!badge) return;
  const count = launcher.appendChild(element('span', 'badge', 'badge'));
  count.setAttribute('aria-hidden', 'true');
  count.textContent = badge;
}
