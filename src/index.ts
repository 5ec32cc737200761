// The package entry: registers <webchat-agent> and re-exports the headless core's API.
import { WebChatAgent } from './components/webchat-agent.ts';

export * from './core/index.ts';
export { WebChatAgent, DEFAULT_BASE_URL } from './components/webchat-agent.ts';
export { defaultStrings, type WebchatStrings } from './components/strings.ts';

if (!customElements.get('webchat-agent')) customElements.define('webchat-agent', WebChatAgent);
