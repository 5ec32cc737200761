/**
 * The example apps (examples/react, vue, angular, svelte) as an integrator meets them: one
 * `npm ci` of their workspace, the repository's `npm pack` installed into it, then for each
 * app its own checker on the app, the same checker on its deliberate mistakes (it must
 * reject each one, where it is), its own build, and the built app in Chromium against the
 * reference server: a bot round trip, the app hearing the element's event, and the app
 * calling the element's methods through its ref. Each step's time is printed at the end.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  diagnostics,
  examplesDir,
  installTarball,
  installWorkspace,
  lineOf,
  packPackage,
  run,
  serveStatic,
  workspaces,
  type Finished,
} from './examples-support.ts';
import { launchChromium, startApp, type RunningApp } from './support.ts';

const TIMEOUT = 15_000;

interface Mistake {
  /** Text found on exactly one line of the mistakes file: the line the checker must flag. */
  snippet: string;
  /** What the checker's message must say about it. */
  message: RegExp;
}

interface Example {
  name: string;
  checker: string;
  builder: string;
  /** The built app's folder, relative to the app. */
  output: string;
  /** The file of deliberate mistakes, relative to the app; only `check:type-errors` includes it. */
  mistakesFile: string;
  mistakes: Mistake[];
}

/** A number where the `persist` attribute's union of strings belongs. */
const persistNumber = /'(?:number|42)' is not assignable to type '[^']*"session"[^']*'/;
/** A string outside the `layout` attribute's union. */
const layoutOutside = /'"sidebar"' is not assignable to type '[^']*"inline"[^']*'/;

const EXAMPLES: Example[] = [
  {
    name: 'react',
    checker: 'tsc',
    builder: 'vite',
    output: 'dist',
    mistakesFile: 'type-errors/Mistakes.tsx',
    mistakes: [
      // TypeScript never checks a hyphenated JSX attribute's name: the misspelt one is camel case.
      { snippet: 'layuot="inline"', message: /'layuot' does not exist/ },
      { snippet: 'persist={42}', message: persistNumber },
      { snippet: 'layout="sidebar"', message: layoutOutside },
      { snippet: 'chat.current?.shwo()', message: /'shwo' does not exist on type 'WebChatAgent'/ },
    ],
  },
  {
    name: 'vue',
    checker: 'vue-tsc',
    builder: 'vite',
    output: 'dist',
    mistakesFile: 'type-errors/Mistakes.vue',
    mistakes: [
      { snippet: 'chatbot-idd="demo"', message: /'(?:chatbotIdd|chatbot-idd)' does not exist/ },
      { snippet: ':persist="42"', message: persistNumber },
      { snippet: 'layout="sidebar"', message: layoutOutside },
    ],
  },
  {
    name: 'angular',
    checker: 'ngc',
    builder: 'ng build',
    output: 'dist/browser',
    mistakesFile: 'type-errors/mistakes.ts',
    mistakes: [
      // CUSTOM_ELEMENTS_SCHEMA leaves attributes and property bindings on a custom element
      // unchecked: strictTemplates checks the element's class and its events' $event.
      { snippet: "chat.chatbotIdd = 'demo'", message: /'chatbotIdd' does not exist on type 'WebChatAgent'/ },
      { snippet: 'chat.persist = 42', message: persistNumber },
      { snippet: '$event.detail.mesage', message: /'mesage' does not exist/ },
    ],
  },
  {
    name: 'svelte',
    checker: 'svelte-check',
    builder: 'vite',
    output: 'dist',
    mistakesFile: 'type-errors/Mistakes.svelte',
    mistakes: [
      { snippet: 'chatbot-idd="demo"', message: /'"chatbot-idd"' does not exist/ },
      { snippet: 'persist={42}', message: persistNumber },
      { snippet: 'layout="sidebar"', message: layoutOutside },
    ],
  },
];

const timings: string[] = [];
const time = (step: string, ms: number) => timings.push(`${step.padEnd(44)} ${(ms / 1000).toFixed(1).padStart(6)} s`);

function npmRun(example: Example, script: string): Promise<Finished> {
  // Angular's CLI asks about analytics on a terminal; no prompt in a test.
  return run('npm', ['run', '--silent', script, ...(example.checker === 'svelte-check' && script === 'check:type-errors' ? ['--', '--output', 'machine'] : [])], join(examplesDir, example.name), { NG_CLI_ANALYTICS: 'false' });
}

let server: RunningApp;
let browser: Browser;

describe('example apps: the packed package in React, Vue, Angular and Svelte', { timeout: 900_000 }, () => {
  before(async () => {
    const pack = await packPackage();
    time('npm pack', pack.ms);
    const workspace = await installWorkspace();
    time(workspace.skipped ? 'npm ci (skipped: installed from this lock)' : 'npm ci (examples/)', workspace.ms);
    time('tarball into examples/node_modules', (await installTarball(pack.tarball)).ms);
    server = await startApp();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    console.log(`\nexample apps, time per step:\n${timings.join('\n')}`);
  });

  it('covers every app of the examples workspace', () => {
    assert.deepEqual(EXAMPLES.map(({ name }) => name).sort(), workspaces().sort());
  });

  for (const example of EXAMPLES) {
    const appDir = join(examplesDir, example.name);

    describe(example.name, () => {
      it(`type-checks with ${example.checker}`, async () => {
        const check = await npmRun(example, 'check');
        time(`${example.name}: ${example.checker}`, check.ms);
        assert.equal(check.code, 0, check.output);
      });

      it(`${example.checker} rejects the deliberate mistakes in ${example.mistakesFile}`, async () => {
        const check = await npmRun(example, 'check:type-errors');
        time(`${example.name}: ${example.checker} on the mistakes`, check.ms);
        assert.notEqual(check.code, 0, `the check passed:\n${check.output}`);
        const found = diagnostics(check.output);
        const lines = example.mistakes.map(({ snippet }) => lineOf(join(appDir, example.mistakesFile), snippet));
        example.mistakes.forEach(({ snippet, message }, index) => {
          const here = found.filter((error) => error.file.endsWith(example.mistakesFile) && error.line === lines[index]);
          assert.ok(here.some((error) => message.test(error.message)), `${snippet} (line ${lines[index]}): expected an error matching ${message}, got:\n${check.output}`);
        });
        // Nothing else fails: the app itself and the correct lines of the file pass.
        const elsewhere = found.filter((error) => !(error.file.endsWith(example.mistakesFile) && lines.includes(error.line)));
        assert.deepEqual(elsewhere, []);
      });

      it(`builds with ${example.builder}`, async () => {
        const build = await npmRun(example, 'build');
        time(`${example.name}: ${example.builder}`, build.ms);
        assert.equal(build.code, 0, build.output);
        assert.ok(existsSync(join(appDir, example.output, 'index.html')), `no ${example.output}/index.html`);
      });

      it('in Chromium: a bot round trip, the event in the app, methods through the ref', async () => {
        const started = Date.now();
        const site = await serveStatic(join(appDir, example.output));
        const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
        const page: Page = await context.newPage();
        const problems: string[] = [];
        page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
        page.on('response', (response) => {
          if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
        });
        page.on('console', (message) => {
          if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
        });
        try {
          await page.goto(`${site.url}/?base-url=${encodeURIComponent(server.url)}`);
          const status = page.getByRole('status', { name: 'Messages' });
          await status.getByText('0 messages, the last from nobody yet').waitFor({ timeout: TIMEOUT });
          await page.getByRole('button', { name: 'Open chat' }).waitFor({ timeout: TIMEOUT });
          const input = page.getByRole('textbox', { name: 'Message' });
          assert.equal(await input.isVisible(), false, 'the panel is open before show()');

          // show() through the ref opens the launcher's panel.
          await page.getByRole('button', { name: 'Open the help chat' }).click();
          await input.waitFor({ timeout: TIMEOUT });

          // A round trip typed into the element; the app hears both messages.
          await input.fill('How do I reset my password?');
          await input.press('Enter');
          const botReplies = page.locator('[part~="message-bot"]');
          await botReplies.first().getByText(/passwordreset\.northwind\.example/).waitFor({ timeout: TIMEOUT });
          await status.getByText('2 messages, the last from bot').waitFor({ timeout: TIMEOUT });

          // send() through the ref: the question shows as the visitor's, the bot answers it.
          await page.getByRole('button', { name: 'Ask about the VPN' }).click();
          await page.locator('[part~="message-user"]').getByText('How do I connect to the VPN?').waitFor({ timeout: TIMEOUT });
          await botReplies.nth(1).getByText(/vpn\.northwind\.example/).waitFor({ timeout: TIMEOUT });
          await status.getByText('4 messages, the last from bot').waitFor({ timeout: TIMEOUT });
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
          await site.close();
          time(`${example.name}: Chromium round trip`, Date.now() - started);
        }
      });
    });
  }
});
