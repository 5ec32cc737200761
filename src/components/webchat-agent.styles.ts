/**
 * The element's frame: theme tokens, the floating and inline layouts, the panel, buttons
 * and focus. Colors follow `prefers-color-scheme` through `light-dark()` unless the
 * `theme` attribute pins a scheme; every side is a logical property, so RTL just works.
 */
import { css } from '@lit/reactive-element';

export const hostStyles = css`
  :host {
    --_ac: var(--webchat-accent, #2563eb);
    --_fg: var(--webchat-text, light-dark(#1f2328, #e8eaed));
    --_on: var(--webchat-accent-text, #fff);
    --_bg: var(--webchat-surface, light-dark(#fff, #1d1f23));
    --_mut: var(--webchat-muted, light-dark(#5b6270, #a4abb6));
    --_bb: var(--webchat-bubble, light-dark(#eef1f4, #2c2f35));
    --_line: var(--webchat-border, light-dark(#d3d8de, #3b3f46));
    --_err: var(--webchat-danger, light-dark(#b42318, #ff8a80));
    --_r: var(--webchat-radius, 12px);
    --_gap: var(--webchat-offset, 20px);
    color-scheme: light dark;
    display: block;
  }
  /* The page's inherited text styles stop here: a portal's justified serif or a template's
     centred body must not reach the bubbles. Only the custom properties come through
     (direction too, for right-to-left pages). The font is the system's UI font at the
     page's size unless --webchat-font says otherwise. */
  .floating,
  .inline {
    font: var(--webchat-font, 1em/normal system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans', Arial, sans-serif);
    font-synthesis: weight style small-caps;
    text-align: start;
    text-align-last: auto;
    text-indent: 0;
    text-transform: none;
    text-shadow: none;
    text-rendering: auto;
    text-underline-position: auto;
    text-emphasis: none;
    text-wrap: wrap;
    letter-spacing: normal;
    word-spacing: normal;
    white-space: normal;
    word-break: normal;
    overflow-wrap: normal;
    line-break: auto;
    hyphens: manual;
    tab-size: 8;
    quotes: auto;
    list-style: disc outside;
    visibility: visible;
    cursor: auto;
    -webkit-text-stroke: 0;
    -webkit-text-fill-color: currentcolor;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  [hidden] {
    display: none !important;
  }
  /* The shell's own: the error shows before the panel's contents too (their code failed to load). */
  .error {
    margin: 0;
    padding: 0 0.9rem 0.3rem;
    font-size: 0.8em;
    color: var(--_err);
  }
  .retry-chat {
    margin: 0.3rem 0.9rem;
    align-self: start;
  }
  /* On a phone (or layout="fullscreen") a panel opened before its contents' code is here has
     the sheet's box already (sheet.ts comes with that code): no jump when the sheet takes over. */
  @media (max-width: 599.98px) {
    .floating:has(> .panel.pending:not([hidden])) {
      inset: 0;
      align-items: stretch;
    }
    .floating > .panel.pending {
      inline-size: 100%;
      block-size: 100dvh;
      border: 0;
      border-radius: 0;
    }
    /* The sheet's own: a phone zooms into a smaller textbox, and keeps clear of its edges. */
    .floating > .pending :is(textarea, button) {
      font-size: max(16px, 1em);
    }
    .floating > .pending form {
      padding-block-end: max(0.6rem, env(safe-area-inset-bottom));
    }
  }
  :host([layout='fullscreen']) .floating:has(> .panel.pending:not([hidden])) {
    inset: 0;
    align-items: stretch;
  }
  :host([layout='fullscreen']) .floating > .panel.pending {
    inline-size: 100%;
    block-size: 100dvh;
    border: 0;
    border-radius: 0;
  }
  .floating {
    position: fixed;
    inset-block-end: var(--_gap);
    inset-inline-end: var(--_gap);
    z-index: var(--webchat-z-index, 9999);
    display: flex;
    flex-direction: column;
    align-items: end;
    gap: 12px;
  }
  /* Inline, the chat takes its parent's height (it needs a definite one: see the README)
     and the log scrolls inside it, rather than the page growing with the conversation. */
  :host([layout='inline']) {
    block-size: 100%;
  }
  .inline {
    display: flex;
    block-size: 100%;
    min-block-size: 20rem;
  }
  .inline .panel {
    min-block-size: 0;
  }
  .panel {
    box-sizing: border-box;
    display: flex;
    flex-direction: column;
    flex: 1;
    overflow: hidden;
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_line);
    border-radius: var(--_r);
  }
  .floating .panel {
    flex: none;
    inline-size: min(var(--webchat-panel-width, 370px), 100vw - 2 * var(--_gap));
    block-size: min(var(--webchat-panel-height, 560px), 100dvh - 2 * var(--_gap) - 68px);
  }
  header,
  form {
    padding: 0.6rem 0.9rem;
  }
  button,
  textarea {
    font: inherit;
    color: inherit;
    background: none;
    padding: 0.4rem 0.7rem;
    border: 1px solid var(--_mut);
    border-radius: 8px;
  }
  .send,
  .launcher,
  .new-messages {
    background: var(--_ac);
    color: var(--_on);
    border: 0;
  }
  :focus-visible {
    outline: 2px solid var(--_ac);
    outline-offset: 2px;
  }
`;

/** The log's box and the composer: the shell paints them while the conversation's code loads
 * (early-composer.ts), and the view keeps them (its styles start with these). Adopted only
 * once the panel has contents: a closed launcher parses none of it. */
export const panelStyles = css`
  .log {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    padding: 0.8rem 0.9rem;
    border-block: 1px solid var(--_line);
  }
  form {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.5rem;
  }
  .send {
    align-self: end;
  }
  textarea {
    resize: none;
    field-sizing: content;
    max-block-size: 8rem;
  }
  [aria-invalid='true'] {
    border-color: var(--_err);
  }
  .actions {
    grid-column: 1 / -1;
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
  .hold {
    visibility: hidden;
  }
`;
