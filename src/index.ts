// The package entry: the headless core's API; importing it also registers <webchat-agent>.
export * from './core/index.ts';
