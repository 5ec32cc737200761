// The package entry: registers <webchat-agent> and re-exports the headless core's API.
// (src/iife.ts registers it the same way for the one-script build.)
import { WebChatAgent } from './components/webchat-agent.ts';

export * from './core/index.ts';
export { WebChatAgent, DEFAULT_BASE_URL } from './components/webchat-agent.ts';
export { defaultStrings, type WebchatStrings } from './components/strings.ts';

if (!customElements.get('webchat-agent')) customElements.define('webchat-agent', WebChatAgent);
