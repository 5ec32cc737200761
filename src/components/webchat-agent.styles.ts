/**
 * The element's frame: theme tokens, the floating and inline layouts, the panel, buttons
 * and focus. Colors follow `prefers-color-scheme` through `light-dark()` unless the
 * `theme` attribute pins a scheme; every side is a logical property, so RTL just works.
 */
import { css } from 'lit';

export const hostStyles = css`
  :host {
    --_accent: var(--webchat-accent, #2563eb);
    --_on-accent: var(--webchat-accent-text, #fff);
    --_surface: var(--webchat-surface, light-dark(#fff, #1d1f23));
    --_text: var(--webchat-text, light-dark(#1f2328, #e8eaed));
    --_muted: var(--webchat-muted, light-dark(#5b6270, #a4abb6));
    --_bubble: var(--webchat-bubble, light-dark(#eef1f4, #2c2f35));
    --_border: var(--webchat-border, light-dark(#d3d8de, #3b3f46));
    --_danger: var(--webchat-danger, light-dark(#b42318, #ff8a80));
    --_link: var(--webchat-link, light-dark(#1d4ed8, #9bbcff));
    --_radius: var(--webchat-radius, 12px);
    --_offset: var(--webchat-offset, 20px);
    color-scheme: light dark;
    display: block;
    font: var(--webchat-font, inherit);
    color: var(--_text);
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  .floating {
    position: fixed;
    inset-block-end: var(--_offset);
    inset-inline-end: var(--_offset);
    z-index: var(--webchat-z-index, 2147483000);
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 12px;
  }
  .inline {
    block-size: 100%;
    min-block-size: 20rem;
    display: flex;
  }
  .panel {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-block-size: 0;
    overflow: hidden;
    background: var(--_surface);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .floating .panel {
    inline-size: var(--webchat-panel-width, 370px);
    block-size: var(--webchat-panel-height, 560px);
    max-inline-size: calc(100vw - 2 * var(--_offset));
    max-block-size: calc(100dvh - 2 * var(--_offset) - 68px);
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.2);
    animation: rise 0.18s ease-out;
  }
  @keyframes rise {
    from {
      opacity: 0;
      transform: translateY(8px);
    }
  }
  header {
    padding: 0.7rem 0.9rem;
    border-block-end: 1px solid var(--_border);
  }
  .title {
    margin: 0;
    font-size: 1em;
    font-weight: 600;
  }
  button {
    font: inherit;
    cursor: pointer;
    padding: 0.4rem 0.8rem;
    border: 1px solid var(--_muted);
    border-radius: 8px;
    background: var(--_surface);
    color: var(--_text);
  }
  .send,
  .launcher,
  .new-messages {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: transparent;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    .floating .panel {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
`;
