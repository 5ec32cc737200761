// The custom-elements manifest an integrator's tools read (IDEs, Storybook, the framework
// typings): what it says about <webchat-agent>, checked against the package's exports, the
// element's own sources, and the README's tables.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BRIDGED_EVENTS } from '../../src/components/bridge.ts';
import { analyze, root, scratch, type Declaration, type Manifest } from './fixtures/types/analyze.ts';

const read = (path: string) => readFileSync(join(root, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as { exports: Record<string, string | Record<string, string>> };

/** The file a browser or bundler gets for an `exports` subpath. */
function published(subpath: string): string {
  const target = pkg.exports[subpath];
  assert.ok(target, `package.json exports ${subpath}`);
  const file = typeof target === 'string' ? target : (target['browser'] ?? target['import'] ?? target['default']);
  assert.ok(file, `a browser file for ${subpath}`);
  return file.replace(/^\.\//, '');
}

/** `'a' | 'b'` → ['a', 'b']; anything else → null. */
function values(type: string): string[] | null {
  const members = type.split('|').map((t) => t.trim());
  return members.every((m) => /^'[^']*'$/.test(m)) ? members.map((m) => m.slice(1, -1)) : null;
}

/** The rows of the first Markdown table after `heading` whose header starts with `first`. */
function readmeTable(heading: string, first: string): string[][] {
  const readme = read('README.md');
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `the README has "${heading}"`);
  const lines = readme.slice(start).split('\n');
  const header = lines.findIndex((line) => line.startsWith(`| ${first} |`));
  assert.ok(header > 0, `a table headed "${first}" under "${heading}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
  }
  return rows;
}
const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('custom-elements.json', () => {
  let dir: string;
  let manifest: Manifest;
  let element: Declaration;

  before(() => {
    dir = scratch('manifest');
    manifest = analyze(dir);
    const definitions = manifest.modules.flatMap((module) => (module.exports ?? []).filter((entry) => entry.kind === 'custom-element-definition').map((entry) => ({ module, entry })));
    assert.equal(definitions.length, 1, 'one custom-element-definition');
    const { entry } = definitions[0]!;
    const home = manifest.modules.find((module) => module.path === entry.declaration.module);
    element = home!.declarations!.find((d) => d.name === entry.declaration.name)!;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the published modules only: the main entry and the element entry, by their files in the package', () => {
    assert.deepEqual(manifest.modules.map((module) => module.path), [published('.'), published('./element')]);
    for (const module of manifest.modules) {
      for (const entry of module.exports ?? []) {
        assert.ok(entry.declaration.module, `${module.path}: ${entry.name} says where it comes from`);
        assert.ok(!entry.declaration.module.startsWith('src/'), `${module.path}: ${entry.name} from ${entry.declaration.module}`);
        if (entry.name === '*') continue;
        const target = manifest.modules.find((m) => m.path === entry.declaration.module);
        assert.ok(target?.declarations?.some((d) => d.name === entry.declaration.name), `${entry.name} is declared in ${entry.declaration.module}`);
      }
    }
    // Every module the manifest names anywhere is a file an integrator can import.
    const named = [...JSON.stringify(manifest).matchAll(/"module":"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(named)].sort(), [published('./core'), published('./element')].sort());
  });

  it('has the custom-element-definition of <webchat-agent> in the module that registers it, for the class the element entry exports', () => {
    const main = manifest.modules.find((module) => module.path === published('.'))!;
    assert.deepEqual(main.exports!.find((entry) => entry.kind === 'custom-element-definition'), {
      kind: 'custom-element-definition',
      name: 'webchat-agent',
      declaration: { name: 'WebChatAgent', module: published('./element') },
    });
    const entry = manifest.modules.find((module) => module.path === published('./element'))!;
    assert.deepEqual(entry.exports!.find((e) => e.name === 'WebChatAgent')?.declaration, { name: 'WebChatAgent', module: published('./element') });
    assert.ok(entry.exports!.some((e) => e.name === 'defineWebChatAgent'));
    assert.equal(element.tagName, 'webchat-agent');
    assert.equal(element.customElement, true);
  });

  it('types every attribute, value sets as their unions', () => {
    const types = Object.fromEntries(element.attributes!.map((a) => [a.name, a.type?.text]));
    assert.deepEqual(types, {
      'chatbot-id': 'string',
      'base-url': 'string',
      layout: "'launcher' | 'inline' | 'fullscreen'",
      persist: "'local' | 'session' | 'none'",
      lang: 'string',
      greeting: 'string',
      suggestions: 'readonly string[]',
      translate: 'boolean',
      open: 'boolean',
      theme: "'light' | 'dark'",
      'link-target': "'_blank' | '_self' | 'bridge'",
      bridge: "'auto' | 'off'",
      monitor: 'boolean',
    });
    assert.equal(element.attributes!.find((a) => a.name === 'base-url')!.default, "'https://app.webchatagent.com'");
  });

  it('has the public properties and methods with their types, and nothing private', () => {
    const members = Object.fromEntries(element.members!.map((m) => [m.name, m]));
    for (const member of element.members!) assert.ok(!member.privacy || member.privacy === 'public', `${member.name} is public`);
    assert.equal(members['state']!.type!.text, 'ChatState');
    assert.equal(members['state']!.readonly, true);
    assert.equal(members['strings']!.type!.text, 'Partial<WebchatStrings>');
    assert.equal(members['linkTarget']!.type!.text, "'_blank' | '_self' | 'bridge' | undefined");
    const methods = element.members!.filter((m) => m.kind === 'method').map((m) => `${m.name}(${(m.parameters ?? []).map((p) => `${p.name}: ${p.type?.text}`).join(', ')}): ${m.return?.type?.text}`);
    assert.deepEqual(methods.sort(), ['endLiveChat(): void', 'hide(): void', 'requestHuman(): Promise<void>', 'reset(): void', 'send(text: string): Promise<void>', 'show(): void']);
  });

  it('has every event the element fires, each with its CustomEvent type, as events.ts declares them', () => {
    const events = Object.fromEntries(element.events!.map((e) => [e.name, e.type?.text]));
    assert.deepEqual(Object.keys(events).sort(), [...BRIDGED_EVENTS].sort());
    const declared = Object.fromEntries([...read('src/components/events.ts').matchAll(/^ {2}'(webchat-[a-z]+)': (CustomEvent<\w+>);$/gm)].map((m) => [m[1], m[2]]));
    assert.deepEqual(events, declared);
    for (const type of Object.values(events)) {
      const detail = /^CustomEvent<(\w+)>$/.exec(type ?? '')?.[1];
      assert.ok(detail === 'null' || new RegExp(`export (interface|type) ${detail}\\b`).test(read('src/components/events.ts')), `${type}'s detail is exported by events.ts`);
    }
  });

  it('has every part the templates render, message-user, -bot, -agent and -system included', () => {
    const rendered = new Set<string>();
    const dir = join(root, 'src/components');
    // Lazy parts live in folders of their own (files/: the file UI).
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const [, names] of source.matchAll(/\bpart="([^"]+)"/g)) for (const name of names!.split(/\s+/)) rendered.add(name);
      for (const [, expression] of source.matchAll(/\bpart=\$\{([^}]+)\}/g)) for (const name of code(expression!.replace(/'/g, '`'))) rendered.add(name);
      // Built as DOM: element(tag, part, …) in message.ts (the rows) and frame.ts (the shell's frame).
      for (const [, names] of source.matchAll(/\belement\('\w+', [`']([^`']+)[`']/g)) for (const name of names!.split(/\s+/)) rendered.add(name);
    }
    // `message-${kind}`, one per sender kind.
    const kinds = /const kinds = \{([^}]+)\}/.exec(read('src/components/message.ts'))![1]!;
    rendered.delete('message-${kind}');
    for (const [, kind] of kinds.matchAll(/: '(\w+)'/g)) rendered.add(`message-${kind}`);
    const parts = element.cssParts!.map((p) => p.name);
    assert.deepEqual([...parts].sort(), [...rendered].sort());
    for (const part of ['message-user', 'message-bot', 'message-agent', 'message-system']) assert.ok(parts.includes(part), part);
    for (const part of element.cssParts!) assert.ok(part.description, `${part.name} is described`);
  });

  describe('the README says what the manifest says', () => {
    it('attributes: the same names, each with the values the manifest allows', () => {
      const rows = readmeTable('### Attributes', 'attribute');
      assert.deepEqual(rows.map((row) => code(row[0]!)[0]), element.attributes!.map((a) => a.name));
      for (const row of rows) {
        const attribute = element.attributes!.find((a) => a.name === code(row[0]!)[0])!;
        const allowed = values(attribute.type!.text);
        assert.deepEqual(allowed ? code(row[1]!) : row[1], allowed ?? attribute.type!.text, `the values of ${attribute.name}`);
      }
    });

    it('properties and methods: the public ones that no attribute stands for', () => {
      const rows = readmeTable('### Properties, methods, events', 'property or method');
      const listed = rows.map((row) => code(row[0]!)[0]!.replace(/\(.*\)$/, ''));
      const fields = new Set(element.attributes!.map((a) => a.fieldName));
      assert.deepEqual(listed.sort(), element.members!.filter((m) => !fields.has(m.name)).map((m) => m.name).sort());
    });

    it('events: the same names', () => {
      const rows = readmeTable('### Properties, methods, events', 'event');
      assert.deepEqual(rows.map((row) => code(row[0]!)[0]).sort(), element.events!.map((e) => e.name).sort());
    });

    it('parts and custom properties: the same names', () => {
      assert.deepEqual(readmeTable('### Theming', 'part').map((row) => code(row[0]!)[0]), element.cssParts!.map((p) => p.name));
      assert.deepEqual(readmeTable('### Theming', 'custom property').map((row) => code(row[0]!)[0]), element.cssProperties!.map((p) => p.name));
    });
  });
});
