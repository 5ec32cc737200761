// The framework typings generated from the manifest (scripts/framework-types.mjs), type-checked
// the way an app's checker sees them: fixtures that use <webchat-agent> right must pass, and
// each line of the "bad" fixtures marked `// expect TSxxxx: text` must fail with that error,
// and no other line. React's types and the DOM's are the real ones; Preact, Solid, Vue and
// Svelte are the real packages where they are installed, small stand-ins of the same shape
// where not (the example apps check the real frameworks with their own checkers).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { writeFrameworkTypes } from '../../scripts/framework-types.mjs';
import { analyze, root, scratch } from './fixtures/types/analyze.ts';

const fixtures = join(root, 'test/node/fixtures/types');

/** Where a framework's package is installed, if it is. */
const installed = (name: string) => [join(root, 'node_modules', name), join(root, 'examples/node_modules', name)].find((dir) => existsSync(join(dir, 'package.json')));

/** Stand-ins with the shape of what the typings augment, for frameworks not installed. */
const STAND_INS: Record<string, Record<string, string>> = {
  preact: {
    'preact/index.d.ts': `export interface HTMLAttributes<T extends EventTarget = EventTarget> { ref?: { current: T | null } | ((instance: T | null) => void); id?: string; class?: string; [key: \`data-\${string}\`]: unknown }
export namespace JSX { interface IntrinsicElements {} interface Element {} interface ElementChildrenAttribute { children: {} } }`,
    'preact/jsx-runtime/index.d.ts': `import type { JSX } from '../index';
export { JSX };
export declare function jsx(type: unknown, props: unknown, key?: unknown): JSX.Element;
export declare const jsxs: typeof jsx;
export declare const Fragment: unknown;`,
  },
  'solid-js': {
    'solid-js/index.d.ts': `export namespace JSX { interface HTMLAttributes<T> { ref?: T | ((el: T) => void); id?: string; class?: string } interface IntrinsicElements {} interface Element {} }`,
    'solid-js/jsx-runtime/index.d.ts': `import type { JSX } from '../index';
export { JSX };
export declare function jsx(type: unknown, props: unknown): JSX.Element;
export declare const jsxs: typeof jsx;
export declare const Fragment: unknown;`,
  },
  vue: {
    // Vue's DefineComponent resolves props and turns each emit into an `on…` listener prop.
    'vue/index.d.ts': `type EmitsToProps<E> = { [K in keyof E & string as \`on\${Capitalize<K>}\`]?: E[K] };
export interface HTMLAttributes { id?: string; class?: unknown; style?: unknown; title?: string; 'aria-label'?: string }
export type DefineComponent<Props = {}, _B = {}, _D = {}, _C = {}, _M = {}, _X = {}, _Y = {}, E = {}> = new () => { $props: Readonly<Props> & EmitsToProps<E> };
export interface GlobalComponents {}`,
  },
  svelte: {
    'svelte/elements.d.ts': `export interface HTMLAttributes<T extends EventTarget> { id?: string; class?: string; onclick?: (event: MouseEvent & { currentTarget: T }) => void; [key: \`data-\${string}\`]: any }
export interface SvelteHTMLElements { [name: string]: { [name: string]: any } }`,
  },
};

/** Each fixture line's expected error: `// expect TS2322: text`. */
function expectations(text: string) {
  return text.split('\n').flatMap((line, index) => {
    const match = /\/\/ expect TS(\d+): (.+)$/.exec(line);
    return match ? [{ line: index, code: Number(match[1]), text: match[2]!.trim() }] : [];
  });
}

describe('framework typings generated from custom-elements.json', () => {
  let dir: string;
  let program: ts.Program;
  let generated: Record<string, string>;
  const standIns: string[] = [];

  before(() => {
    dir = scratch('framework-types');
    analyze(dir);
    // Against the sources' entry, so the test needs no build; the build points them at the
    // package's declarations (package.json `types`).
    const files = writeFrameworkTypes({ manifest: join(dir, 'custom-elements.json'), outDir: join(dir, 'frameworks'), types: join(root, 'src/index.ts') });
    generated = Object.fromEntries(files.map((file) => [file.slice(file.lastIndexOf('/') + 1), file]));

    const paths: Record<string, string[]> = {
      'webchat-agent': [join(root, 'src/index.ts')],
      'webchat-agent/*': [join(dir, 'frameworks/*.d.ts')],
    };
    for (const [name, stand] of Object.entries(STAND_INS)) {
      const real = installed(name);
      if (real) {
        // Installed for the example apps: not on this folder's resolution path.
        paths[name] = [real];
        paths[`${name}/*`] = [`${real}/*`];
        continue;
      }
      standIns.push(name);
      for (const [file, text] of Object.entries(stand)) {
        const path = join(dir, 'stand-ins', file);
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, text);
        const specifier = file.replace(/\/index\.d\.ts$|\.d\.ts$/, '');
        paths[specifier] = [path];
      }
    }
    // Fixtures start with `// @ts-nocheck` for the project's own tsc; here that line is blanked.
    const rootNames: string[] = [];
    for (const name of ['react', 'dom', 'preact', 'solid', 'vue', 'svelte']) {
      for (const kind of ['ok', 'bad']) {
        const file = `${name}-${kind}.${['react', 'preact', 'solid'].includes(name) ? 'tsx' : 'ts'}`;
        const text = readFileSync(join(fixtures, file), 'utf8').replace(/^\/\/ @ts-nocheck.*/, '');
        writeFileSync(join(dir, file), text);
        rootNames.push(join(dir, file));
      }
    }
    program = ts.createProgram({
      rootNames,
      options: {
        strict: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        jsx: ts.JsxEmit.ReactJSX,
        lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
        types: [],
        allowImportingTsExtensions: true,
        noEmit: true,
        paths,
      },
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const diagnostics = (file: string) => {
    const source = program.getSourceFile(join(dir, file));
    assert.ok(source, `${file} is in the program`);
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => ({
      line: d.start === undefined ? -1 : source.getLineAndCharacterOfPosition(d.start).line,
      code: d.code,
      text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
  };
  const format = (list: { line: number; code: number; text: string }[]) => list.map((d) => `line ${d.line + 1}: TS${d.code} ${d.text}`).join('\n');

  it('writes one types-only file per framework, importing the class and the detail types from the package', () => {
    assert.deepEqual(Object.keys(generated).sort(), ['preact.d.ts', 'react.d.ts', 'solid.d.ts', 'svelte.d.ts', 'vue.d.ts']);
    for (const [name, file] of Object.entries(generated)) {
      const text = readFileSync(file, 'utf8');
      assert.match(text, /^import type \{ WebChatAgent, WebchatErrorDetail, WebchatLinkDetail, WebchatMessageDetail, WebchatStateDetail, WebchatUnreadDetail \} from '\.\.\/.*src\/index\.js';$/m, name);
      assert.doesNotMatch(text, /from '(lit|zod|dompurify)/, `${name} needs none of the bundled packages`);
      const source = program.getSourceFile(file);
      assert.ok(source, `${name} is in the program`);
      assert.equal(format(program.getSemanticDiagnostics(source).map((d) => ({ line: 0, code: d.code, text: ts.flattenDiagnosticMessageText(d.messageText, '\n') }))), '', `${name} type-checks`);
    }
    assert.match(readFileSync(generated['react.d.ts']!, 'utf8'), /layout\?: 'launcher' \| 'inline' \| 'fullscreen';/);
    assert.match(readFileSync(generated['react.d.ts']!, 'utf8'), /'onwebchat-message'\?: \(event: CustomEvent<WebchatMessageDetail>\) => void;/);
  });

  for (const name of ['react', 'dom', 'preact', 'solid', 'vue', 'svelte']) {
    const ext = ['react', 'preact', 'solid'].includes(name) ? 'tsx' : 'ts';
    const label = name === 'dom' ? 'the DOM (HTMLElementEventMap, HTMLElementTagNameMap)' : name;
    const pkg = name === 'solid' ? 'solid-js' : name;
    it(`${label}: the right use type-checks${STAND_INS[pkg] && !installed(pkg) ? ' (stand-in types)' : ''}`, () => {
      assert.equal(format(diagnostics(`${name}-ok.${ext}`)), '');
    });

    it(`${label}: a misspelt attribute, a wrong value and a wrong detail are errors, each the one expected`, () => {
      const file = `${name}-bad.${ext}`;
      const expected = expectations(readFileSync(join(fixtures, file), 'utf8'));
      assert.ok(expected.length >= 3, `${file} expects errors`);
      const found = diagnostics(file);
      for (const expectation of expected) {
        assert.ok(
          // TypeScript quotes a quoted property name again: ''chatbot-idd''.
          found.some((d) => d.line === expectation.line && d.code === expectation.code && d.text.replace(/''/g, "'").includes(expectation.text)),
          `line ${expectation.line + 1}: TS${expectation.code} "${expectation.text}" expected; found:\n${format(found)}`,
        );
      }
      const unexpected = found.filter((d) => !expected.some((e) => e.line === d.line));
      assert.equal(format(unexpected), '', 'no other errors');
    });
  }
});
