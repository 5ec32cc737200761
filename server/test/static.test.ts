import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { liveChatUrl } from '../../src/core/protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../static.ts';
import { request, useServer } from './support.ts';

const projectDemo = fileURLToPath(new URL('../../demo/', import.meta.url));

describe('pages and files', () => {
  // A root of its own, so the test does not depend on a build having run.
  const root = mkdtempSync(join(tmpdir(), 'static-'));
  cpSync(projectDemo, join(root, 'demo'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'webchat-agent.js'), 'export {};\n');
  // The agent console's bundle lives in its own folder, which `vite build` does not empty.
  mkdirSync(join(root, 'build', 'console'), { recursive: true });
  writeFileSync(join(root, 'build', 'console', 'agent.js'), '// the console\n');
  writeFileSync(join(root, 'secret.txt'), 'not for the web');
  const server = useServer({ staticRoot: root });

  test('the demo page is served with the strict CSP and this server as the widget base URL', async () => {
    const page = await request(server(), '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'");
    assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.match(page.body, /<script type="module" src="\/dist\/webchat-agent\.js"><\/script>/);
    assert.ok(page.body.includes(`<webchat-agent chatbot-id="demo" base-url="${server().url}" monitor>`));
    assert.doesNotMatch(page.body, /<style|style=|<script>/, 'no inline style or script');
  });

  test('the agent console, its stylesheet and the bundles are served; knowledge pages too', async () => {
    const consolePage = await request(server(), '/agent.html');
    assert.equal(consolePage.status, 200);
    assert.equal(consolePage.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.match(consolePage.body, /<script type="module" src="\/console\/agent\.js"><\/script>/);
    assert.equal((await request(server(), '/agent.css')).headers.get('content-type'), 'text/css; charset=utf-8');
    const bundle = await request(server(), '/dist/webchat-agent.js');
    assert.equal(bundle.status, 200);
    assert.equal(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const index = await request(server(), '/kb/');
    assert.match(index.body, /href="\/kb\/vpn"/);
    assert.equal((await request(server(), '/kb/vpn')).headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  });

  test("the agent console's bundle is served from build/console, not from dist/", async () => {
    const bundle = await request(server(), '/console/agent.js');
    assert.equal(bundle.status, 200);
    assert.equal(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(bundle.body, '// the console\n');
    assert.equal((await request(server(), '/dist/agent.js')).status, 404);
  });

  test('nothing outside demo/, dist/ and build/console/ is reachable', async () => {
    for (const path of ['/dist/..%2fsecret.txt', '/console/..%2f..%2fsecret.txt', '/console/../../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/kb/nope', '/knowledge/vpn.md', '/%6bnowledge/vpn.md', '//knowledge/vpn.md', '/./knowledge/vpn.md', '/%E0%A4%A']) {
      const res = await request(server(), path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(String(res.body), /not for the web/);
    }
  });
});

describe('socket origins', () => {
  const server = useServer({ allowedOrigins: ['https://intranet.example'] });

  function upgradeStatus(origin: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(liveChatUrl(server().url), { origin });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', (error) => (String(error).includes('Unexpected server response') ? undefined : reject(error)));
    });
  }

  test('a page of a listed origin may open the live-chat socket; any other gets 403', async () => {
    assert.equal(await upgradeStatus('https://intranet.example'), 101);
    assert.equal(await upgradeStatus('https://evil.example'), 403);
  });
});
