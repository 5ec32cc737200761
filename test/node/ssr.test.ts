/**
 * A server renders the page around the tag (Next.js, Nuxt, SvelteKit, Angular SSR): there
 * is no DOM there, and importing the package must not throw. Each case runs in a Node of its
 * own (the registry is per process) and imports the BUILT package by its name, so Node
 * resolves it through package.json's `exports` (a package may import itself by name) with
 * the `node` condition a server uses. Needs `npm run build` first, as `npm test` does.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs an ES module in a fresh Node (no DOM, no tsx) from the package's folder; its JSON result. */
function inNode(code: string): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '--eval', code], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

describe('importing the package where there is no DOM', () => {
  before(() => assert.ok(existsSync(`${root}dist/node/webchat-agent.js`), 'dist/ is not built: run `npm run build` first'));

  it('a server without a DOM has none (the premise: this is what SSR meets)', () => {
    assert.deepEqual(inNode(`console.log(JSON.stringify([typeof HTMLElement, typeof document, typeof customElements]))`), ['undefined', 'undefined', 'undefined']);
  });

  it("`webchat-agent` imports, exports the element and the core, and registers the tag in Lit's server registry", () => {
    const result = inNode(`
      const m = await import('webchat-agent');
      console.log(JSON.stringify({
        element: typeof m.WebChatAgent,
        define: typeof m.defineWebChatAgent,
        client: typeof m.createChatClient,
        registered: globalThis.customElements?.get('webchat-agent') === m.WebChatAgent,
        attributes: m.WebChatAgent.observedAttributes.includes('chatbot-id'),
      }));`);
    assert.deepEqual(result, { element: 'function', define: 'function', client: 'function', registered: true, attributes: true });
  });

  it('`webchat-agent/element` imports and registers nothing; defineWebChatAgent then registers under the tag asked for', () => {
    const result = inNode(`
      const { WebChatAgent, defineWebChatAgent } = await import('webchat-agent/element');
      const before = globalThis.customElements?.get('webchat-agent') ?? null;
      const defined = defineWebChatAgent('acme-chat');
      console.log(JSON.stringify({ before, acme: customElements.get('acme-chat') === WebChatAgent, returned: defined === WebChatAgent, tag: customElements.get('webchat-agent') ?? null }));`);
    assert.deepEqual(result, { before: null, acme: true, returned: true, tag: null });
  });

  it('`webchat-agent/core` imports, and is the same core as the one `webchat-agent` exports', () => {
    const result = inNode(`
      const core = await import('webchat-agent/core');
      const full = await import('webchat-agent');
      let thrown = null;
      try { full.createChatClient({ chatbotId: '' }); } catch (error) { thrown = error instanceof core.ChatConfigurationError; }
      console.log(JSON.stringify({ same: core.createChatClient === full.createChatClient, thrown }));`);
    assert.deepEqual(result, { same: true, thrown: true });
  });

  it("React's renderToString renders a tree with <webchat-agent chatbot-id=\"demo\"> after the import", () => {
    const html = inNode(`
      await import('webchat-agent');
      const { createElement: h } = await import('react');
      const { renderToString } = await import('react-dom/server');
      const tree = h('main', null, h('h1', null, 'Help'), h('webchat-agent', { 'chatbot-id': 'demo', layout: 'inline' }));
      console.log(JSON.stringify(renderToString(tree)));`);
    assert.equal(html, '<main><h1>Help</h1><webchat-agent chatbot-id="demo" layout="inline"></webchat-agent></main>');
  });
});
