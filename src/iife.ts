// The one-script build (dist/webchat-agent.iife.js): registers <webchat-agent>; the global
// `WebChatAgent` offers the headless client for pages that script the chat themselves.
import { WebChatAgent } from './components/webchat-agent.ts';

export { createChatClient } from './core/client.ts';

if (!customElements.get('webchat-agent')) customElements.define('webchat-agent', WebChatAgent);
