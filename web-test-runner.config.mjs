// Browser tests: Web Test Runner in Debian's Chromium, TypeScript transpiled per file by
// esbuild (type-checking is `tsc`'s job), real servers started by the plugins below.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { countsReporter } from './test/support/counts-reporter.mjs';
import { filesPartSwitch, pageCachePlugin, testServerPlugins } from './test/support/wtr-plugins.mjs';
import { cspPagePlugin } from './test/components/csp-plugin.mjs';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

export default {
  files: ['test/**/*.test.ts', '!test/node/**'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath,
        headless: true,
        args: chromiumArgs,
      },
    }),
  ],
  middleware: [filesPartSwitch],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), ...testServerPlugins(), pageCachePlugin(), cspPagePlugin()],
  reporters: [defaultReporter(), countsReporter()],
};
