/**
 * The phone layout: below PHONE_BREAKPOINT CSS pixels of viewport width (or always, with
 * `layout="fullscreen"`) the open panel is a full-screen sheet. The host then carries the
 * `sheet` attribute, which the shadow styles (sheetStyles) key on. Three things CSS alone
 * can't do, done here without a style attribute on any element (a strict CSP forbids
 * inline styles; constructable style sheets are not inline):
 * - the sheet follows `visualViewport`, so the on-screen keyboard (which shrinks only the
 *   visual viewport: iOS, Chrome's `resizes-visual`) never covers the header or composer;
 * - the page behind does not scroll: a document-level sheet hides the root's overflow
 *   while a sheet is open;
 * - the breakpoint is watched with matchMedia, so rotating a phone switches the layout.
 */
import { css, type ReactiveController, type ReactiveControllerHost } from '@lit/reactive-element';

/** Viewports narrower than this (CSS pixels) get the sheet. */
export const PHONE_BREAKPOINT = 600;

const PHONE_QUERY = `(max-width: ${PHONE_BREAKPOINT - 0.02}px)`;

/** Constructable style sheets (older WebKit webviews lack them): without, the sheet still
 * shows, sized by `100dvh`, and the page behind may scroll. */
const constructable = typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype && 'adoptedStyleSheets' in Document.prototype;

/** One for the whole document, whatever the number of elements. */
let scrollLock: CSSStyleSheet | null = null;

function lockScroll(tag: string): void {
  if (scrollLock || !constructable) return;
  scrollLock = new CSSStyleSheet();
  // Only while some element shows its sheet: the rule itself stays, inert otherwise.
  scrollLock.replaceSync(`html:has(${tag}[sheet]) { overflow: hidden !important; overscroll-behavior: none; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, scrollLock];
}

export class Sheet implements ReactiveController {
  private readonly query = typeof matchMedia === 'function' ? matchMedia(PHONE_QUERY) : null;
  /** The visual viewport's box, as custom properties of this element's shadow root. */
  private readonly geometry = constructable ? new CSSStyleSheet() : null;
  private viewport: VisualViewport | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Whether the panel shows as a floating one that is open, and whether it is forced full-screen. */
    private readonly panel: () => { open: boolean; forced: boolean },
  ) {
    host.addController(this);
  }

  /** The sheet shows now. */
  get on(): boolean {
    const { open, forced } = this.panel();
    return open && (forced || !!this.query?.matches);
  }

  hostConnected(): void {
    this.query?.addEventListener('change', this.changed);
    const root = this.host.shadowRoot;
    const geometry = this.geometry;
    if (root && geometry && !root.adoptedStyleSheets.includes(geometry)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, geometry];
  }

  hostDisconnected(): void {
    this.query?.removeEventListener('change', this.changed);
    this.follow(false);
    this.host.removeAttribute('sheet');
  }

  hostUpdated(): void {
    const on = this.on;
    this.host.toggleAttribute('sheet', on);
    if (on) lockScroll(this.host.localName);
    this.follow(on);
  }

  private changed = (): void => this.host.requestUpdate();

  /** Read when the sheet opens: the runtime's visual viewport, where there is one. */
  private follow(on: boolean): void {
    const viewport = on ? ((globalThis as { visualViewport?: VisualViewport | null }).visualViewport ?? null) : null;
    if (viewport === this.viewport) return;
    this.viewport?.removeEventListener('resize', this.place);
    this.viewport?.removeEventListener('scroll', this.place);
    this.viewport = viewport;
    viewport?.addEventListener('resize', this.place);
    viewport?.addEventListener('scroll', this.place);
    this.place();
  }

  private place = (): void => {
    const v = this.viewport;
    this.geometry?.replaceSync(v ? `:host { --_vv-top: ${v.offsetTop}px; --_vv-height: ${v.height}px; }` : '');
  };
}

/** The sheet's look: the whole (visual) viewport, no radius or border, room for the
 * safe-area insets (they need `viewport-fit=cover` in the page's viewport meta), inputs of
 * at least 16 px so iOS does not zoom into them. */
export const sheetStyles = css`
  :host([sheet]) .floating {
    inset: var(--_vv-top, 0px) 0 auto 0;
    block-size: var(--_vv-height, 100dvh);
    align-items: stretch;
    gap: 0;
  }
  :host([sheet]) .floating .panel {
    inline-size: 100%;
    block-size: 100%;
    border: 0;
    border-radius: 0;
  }
  :host([sheet]) header {
    display: grid;
    grid-template-columns: 1fr auto;
    align-items: center;
    padding-block-start: max(0.6rem, env(safe-area-inset-top));
    padding-left: max(0.9rem, env(safe-area-inset-left));
    padding-right: max(0.9rem, env(safe-area-inset-right));
  }
  :host([sheet]) .close {
    grid-column: 2;
    grid-row: 1 / span 2;
    inline-size: 44px;
    block-size: 44px;
    padding: 10px;
    border: 0;
  }
  :host([sheet]) .launcher {
    display: none;
  }
  :host([sheet]) .close svg {
    stroke-width: 2.4px;
  }
  :host([sheet]) [role='log'] {
    overscroll-behavior: contain;
    padding-left: max(0.9rem, env(safe-area-inset-left));
    padding-right: max(0.9rem, env(safe-area-inset-right));
  }
  :host([sheet]) form {
    padding-block-end: max(0.6rem, env(safe-area-inset-bottom));
    padding-left: max(0.9rem, env(safe-area-inset-left));
    padding-right: max(0.9rem, env(safe-area-inset-right));
  }
  :host([sheet]) textarea,
  :host([sheet]) button {
    font-size: max(16px, 1em);
  }
`;
