// The servers browser tests talk to are started here (see test/support/README.md): the
// fake WebChatAgent service, written in TypeScript and loaded through tsx, on port 0.
// Browser code reads its URL from the virtual module `/__fake-service.js`.
import { tsImport } from 'tsx/esm/api';

export function testServerPlugins() {
  let service;
  return [
    {
      name: 'fake-webchat-service',
      async serverStart() {
        const { startFakeService } = await tsImport('./fake-service.ts', import.meta.url);
        service = await startFakeService();
      },
      async serverStop() {
        await service?.close();
      },
      serve(context) {
        if (context.path === '/__fake-service.js') return `export const serviceUrl = ${JSON.stringify(service.url)};`;
      },
    },
  ];
}
