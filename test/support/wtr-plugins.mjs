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

/** The cookie a test page sets to make the file UI's part fail to load (files-fallback.test.ts). */
export const FILES_PART_COOKIE = 'wtr-files-part';

/**
 * Answers 503 for the element's lazy file UI (`src/components/files/index.ts`, and the
 * built `dist/webchat-agent.files.js` with any query) while the
 * requesting page carries the cookie `wtr-files-part=fail`, as when the part cannot be
 * fetched (offline, missing beside the script). The cookie is the page's to set and clear:
 * every other test file loads the part as usual.
 */
const FILES_PART_PATHS = new Set(['/src/components/files/index.ts', '/dist/webchat-agent.files.js']);

export async function filesPartSwitch(ctx, next) {
  if (!FILES_PART_PATHS.has(ctx.path)) return next();
  if (ctx.cookies.get(FILES_PART_COOKIE) === 'fail') {
    ctx.status = 503;
    ctx.body = 'unavailable';
  } else {
    await next();
  }
}

/**
 * `executeServerCommand('disable-page-cache')`: the calling test page fetches everything from
 * the server from then on (DevTools' "Disable cache"), not from what earlier test files'
 * pages left in the browser's caches; filesPartSwitch then decides every load of the part.
 */
export function pageCachePlugin() {
  return {
    name: 'page-cache',
    async executeCommand({ command, session }) {
      if (command !== 'disable-page-cache') return undefined;
      await session.browser.getPage(session.id).setCacheEnabled(false);
      return true;
    },
  };
}
