// The one-script build (dist/webchat-agent.iife.js): registers <webchat-agent> and exports
// nothing, so every schema and helper the element does not use is left out of the bundle
// (pages that want the headless client use the ES module).
import { defineWebChatAgent } from './element.ts';

defineWebChatAgent();
