/**
 * The README's "In a native app" against the bridge itself (src/components/bridge.ts): an
 * app developer copies these snippets, so the channel names they register, the events and
 * commands they list, and the JavaScript they inject must be the ones the element uses.
 * Swift, Kotlin and Dart can't be compiled here; the JavaScript each snippet hands its
 * webview is run against the real command function.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { ANDROID_INTERFACE, BRIDGED_EVENTS, COMMAND_FUNCTION, FLUTTER_CHANNEL, IOS_HANDLER, listen, runCommand, unlisten, type CommandTarget } from '../../src/components/bridge.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = /^## In a native app\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';

/** The fenced code blocks of the section, by language. */
const snippets = new Map<string, string>();
for (const [, language, code] of section.matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)) snippets.set(language!, (snippets.get(language!) ?? '') + code);

/** Every command's name the bridge's switch handles. */
const bridgeSource = readFileSync(new URL('../../src/components/bridge.ts', import.meta.url), 'utf8');
const handledCommands = [...bridgeSource.matchAll(/case '(\w+)':/g)].map(([, name]) => name!).sort();

/** The string literals of a snippet that call the command function: the JavaScript it injects. */
function injectedScripts(code: string): string[] {
  return [...code.matchAll(/(["'])((?:(?!\1).)*webchatAgentCommand\((?:(?!\1).)*)\1/g)].map(([, , script]) => script!);
}

/** Runs a snippet's injected JavaScript against the real command function; returns what it did. */
async function runInjected(script: string): Promise<string[]> {
  const calls: string[] = [];
  const record = (name: string) => (...args: unknown[]) => void calls.push(args.length ? `${name} ${JSON.stringify(args)}` : name);
  const target = Object.fromEntries(handledCommands.map((name) => [name, record(name)])) as unknown as CommandTarget;
  listen(target);
  try {
    const page = vm.createContext({ [COMMAND_FUNCTION]: runCommand });
    await vm.runInContext(script, page);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    unlisten(target);
  }
  return calls;
}

describe("README, In a native app: the bridge's own names, events and commands", () => {
  it('has a snippet per platform', () => {
    assert.deepEqual([...snippets.keys()].sort(), ['dart', 'kotlin', 'swift', 'tsx', 'xml']);
  });

  it("each snippet registers the channel under the name the element looks for", () => {
    assert.match(snippets.get('swift')!, new RegExp(`userContentController\\.add\\(self, name: "${IOS_HANDLER}"\\)`));
    assert.match(snippets.get('kotlin')!, new RegExp(`addJavascriptInterface\\(\\w+\\(\\), "${ANDROID_INTERFACE}"\\)`));
    assert.match(snippets.get('kotlin')!, /@JavascriptInterface\s+fun postMessage\(json: String\)/);
    assert.match(snippets.get('dart')!, new RegExp(`addJavaScriptChannel\\('${FLUTTER_CHANNEL}'`));
    assert.match(snippets.get('tsx')!, /<WebView[^>]*onMessage=\{onMessage\}/);
    // Android resizes the activity above the keyboard.
    assert.match(snippets.get('xml')!, /android:windowSoftInputMode="adjustResize"/);
    for (const name of [IOS_HANDLER, ANDROID_INTERFACE, FLUTTER_CHANNEL, 'ReactNativeWebView']) assert.ok(section.includes(`\`${name}`) || section.includes(`window.${name}`), `the channel table names ${name}`);
  });

  it('lists the events the bridge posts, and the commands it takes', () => {
    const listed = /Every public event \(([^)]*)\)/.exec(section)?.[1] ?? '';
    assert.deepEqual([...listed.matchAll(/`(webchat-[a-z]+)`/g)].map(([, name]) => name), [...BRIDGED_EVENTS]);
    const documented = [...new Set([...section.matchAll(/^\| `\{ command: '(\w+)'.*$/gm)].flatMap(([row]) => [...row.matchAll(/command: '(\w+)'/g)].map(([, name]) => name!)))].sort();
    assert.deepEqual(documented, handledCommands);
  });

  it("the JavaScript each snippet injects runs the command it means", async () => {
    for (const language of ['swift', 'kotlin', 'tsx', 'dart']) {
      const scripts = injectedScripts(snippets.get(language)!);
      assert.equal(scripts.length, 1, `${language}: one injected script, found ${JSON.stringify(scripts)}`);
      assert.deepEqual(await runInjected(scripts[0]!), ['show'], `${language}: ${scripts[0]}`);
    }
  });

  it('a misspelt command in an app is refused, not run', async () => {
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      assert.deepEqual(await runInjected("webchatAgentCommand({ command: 'Show' })"), []);
    } finally {
      console.warn = warn;
    }
    assert.match(String(warnings[0]), /unknown bridge command "Show"/);
  });
});
