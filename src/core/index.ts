// The headless core's public surface: no DOM, runs in browsers, webviews and Node.
export * from './protocol.ts';
export type * from './types.ts';
export { ChatConfigurationError, createChatClient } from './client.ts';
export { localStorageAdapter, memoryStorage, sessionStorageAdapter } from './storage.ts';
export { browserTabs, type LeaderRole, type TabChannel, type TabCoordinator } from './tabs.ts';
