// The package entry: registers <webchat-agent> where there is a custom element registry, and
// re-exports the headless core's API with the element's. (`webchat-agent/element` is the
// same class without the registration; src/iife.ts registers it for the one-script build.)
import { defineWebChatAgent } from './element.ts';

export * from './core/index.ts';
export * from './element.ts';

defineWebChatAgent();
