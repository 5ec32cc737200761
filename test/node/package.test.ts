/**
 * The package as an integrator gets it: `npm pack`ed from the built dist/, installed into an
 * empty app in a temp folder (offline: it has no dependencies), then type-checked and
 * bundled the way an app would, with the repo's TypeScript and esbuild by absolute path.
 * The app's folder is outside the repo, so nothing of the repo's node_modules (lit, zod)
 * can be found from it. Needs `npm run build` first, as `npm test` does.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  files: string[];
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

let app = '';
let packed: string[] = [];

/** One tsc run over the app's files (each path → its source), with the strictest library
 * checking: its diagnostics, by file. */
let checked: { status: number | null; output: string } | undefined;
function typecheck(files: Record<string, string>): { status: number | null; output: string } {
  if (checked) return checked;
  for (const [path, source] of Object.entries(files)) writeFileSync(join(app, path), source);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [], strict: true, noEmit: true, skipLibCheck: false },
      files: Object.keys(files),
    }),
  );
  const run = spawnSync(process.execPath, [tsc, '-p', '.', '--pretty', 'false'], { cwd: app, encoding: 'utf8' });
  return (checked = { status: run.status, output: run.stdout + run.stderr });
}

/** A file that uses the public API as documented. */
const RIGHT = `
  import { WebChatAgent, createChatClient, type ChatState } from 'webchat-agent';
  import { defineWebChatAgent, WebChatAgent as Unregistered } from 'webchat-agent/element';
  import { ChatResponse, memoryStorage, type ChatClient, type ChatMessage } from 'webchat-agent/core';

  const el = document.createElement('webchat-agent');
  const same: WebChatAgent = el;
  const alsoSame: Unregistered = same;
  el.chatbotId = 'demo';
  el.addEventListener('webchat-message', (e) => {
    const message: ChatMessage = e.detail.message;
    console.log(message.content.toUpperCase());
  });
  el.addEventListener('webchat-unread', (e) => console.log(e.detail.count + 1));
  el.addEventListener('webchat-link', (e) => e.detail.url.startsWith('https:') && e.preventDefault());
  const state: ChatState = el.state;
  const client: ChatClient = createChatClient({ baseUrl: 'https://chat.example', chatbotId: 'demo', storage: memoryStorage() });
  const parsed = ChatResponse.safeParse({});
  const tag: typeof WebChatAgent | undefined = defineWebChatAgent('acme-chat');
  console.log(alsoSame, state.messages.length, client.state.mode, parsed.success, tag);
`;

/** A file with a misspelt event detail and a wrong-typed property. */
const WRONG = `
  import 'webchat-agent';
  const el = document.createElement('webchat-agent');
  el.addEventListener('webchat-message', (e) => e.detail.mesage);
  el.chatbotId = 42;
`;

const APP = { 'right.ts': RIGHT, 'wrong.ts': WRONG };

describe('the packed package, installed in an app', () => {
  before(() => {
    assert.ok(existsSync(join(root, 'dist/types/index.d.ts')), 'dist/ is not fully built: run `npm run build` first');
    app = mkdtempSync(join(tmpdir(), 'webchat-agent-app-'));
    // dist/ is built already: --ignore-scripts skips prepack's second build.
    const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', app], { cwd: root, encoding: 'utf8' })) as [{ filename: string; files: { path: string }[] }];
    packed = info.files.map((file) => file.path);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'an-app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${info.filename}`], { cwd: app, stdio: 'pipe' });
  });
  after(() => rmSync(app, { recursive: true, force: true }));

  it('ships dist/, the manifest and the notices, and no src/; prepack builds it', () => {
    assert.deepEqual(packed.filter((path) => path.startsWith('src/')), []);
    for (const path of ['dist/webchat-agent.js', 'dist/element.js', 'dist/core.js', 'dist/node/webchat-agent.js', 'dist/types/index.d.ts', 'dist/cli.js', 'custom-elements.json', 'THIRD_PARTY_NOTICES.md']) {
      assert.ok(packed.includes(path), `${path} is in the package`);
    }
    assert.equal(manifest.scripts['prepack'], 'node scripts/build.mjs');
  });

  it('installs alone: no dependency comes with it (lit, zod and DOMPurify are inside the bundles)', () => {
    assert.deepEqual(manifest.dependencies ?? {}, {});
    assert.deepEqual(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.')), ['webchat-agent']);
  });

  it('every export points at a file in the package, `./package.json` and `./element` included', () => {
    for (const entry of ['.', './element', './core', './iife', './custom-elements.json', './package.json']) assert.ok(entry in manifest.exports, `exports has ${entry}`);
    const targets = Object.entries(manifest.exports).flatMap(([entry, target]) =>
      typeof target === 'string' ? [[entry, target]] : Object.values(target).map((path) => [entry, path]),
    );
    // The framework typings are T's script's output, made from the manifest: checked where they are made.
    for (const [entry, target] of targets.filter(([, target]) => !target!.startsWith('./dist/frameworks/'))) {
      assert.ok(existsSync(join(app, 'node_modules/webchat-agent', target!)), `${entry}: ${target} is installed`);
    }
  });

  it('its types type-check in the app with neither lit nor zod installed (skipLibCheck off)', () => {
    const { output } = typecheck(APP);
    const problems = output.split('\n').filter((line) => !line.startsWith('wrong.ts') && !line.startsWith('  ') && line.trim());
    assert.deepEqual(problems, [], output);
  });

  it("the same check catches a wrong use of the element's types", () => {
    const { status, output } = typecheck(APP);
    assert.notEqual(status, 0);
    assert.match(output, /wrong\.ts\(4,\d+\): error TS2551: Property 'mesage' does not exist/);
    assert.match(output, /wrong\.ts\(5,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });

  it('an app that imports both `webchat-agent` and `webchat-agent/core` bundles the core, lit and zod once', async () => {
    writeFileSync(
      join(app, 'app.js'),
      `import { WebChatAgent } from 'webchat-agent';
       import { createChatClient, ChatConfigurationError } from 'webchat-agent/core';
       console.log(WebChatAgent, createChatClient, ChatConfigurationError);`,
    );
    const result = await build({ entryPoints: [join(app, 'app.js')], absWorkingDir: app, bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
    const code = result.outputFiles[0]!.text;
    const count = (text: string) => code.split(text).length - 1;
    // Strings each copy of them carries once: the core's error class name, lit-html's Trusted
    // Types policy, a zod/mini schema class.
    assert.equal(count('"ChatConfigurationError"'), 1, 'the core once');
    assert.equal(count('createPolicy("lit-html"'), 1, 'lit once');
    assert.equal(count('"ZodMiniObject"'), 1, 'zod once');
  });

  it('its bin still runs from the install', () => {
    const out = execFileSync(join(app, 'node_modules/.bin/webchat-agent'), ['--version'], { encoding: 'utf8' });
    assert.equal(out.trim(), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });
});
