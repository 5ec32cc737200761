// What the chat part (chat-view.ts) uses of the main bundle. The script-tag build of the part
// leaves these modules out and imports these names from the main bundle's `provide` instead
// (vite.config.ts, `sharedWithMain`): so the part carries no second Lit (whose templates would
// not even be the main bundle's kind) and no second copy of the shell's helpers. A name
// missing here fails the part's build.
export { css } from '@lit/reactive-element';
export { html, nothing, render } from 'lit-html';
export { fill, plural } from './strings.ts';
export { closeIcon } from './launcher.ts';
export { element, setAttr } from './dom.ts';
export { submitOnEnter } from './early-composer.ts';
export { panelStyles } from './webchat-agent.styles.ts';
export { emit } from './emit.ts';
export { panelWasOpen } from './panel-memory.ts';
export { conversationKey, visitorField, visitorScope } from '../core/visitor.ts';
export { localStorageAdapter, memoryStorage, sessionStorageAdapter } from '../core/storage.ts';
export { lazyPart, PartLoadError } from '../core/parts.ts';
export { partUrl } from '../core/part-url.ts';
