/**
 * The `webchat-agent` bin as a script uses it: the command line, `ask` with its answer,
 * sources and JSON, and each exit code made to happen against a real server.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../server/app.ts';
import { cleanEnv, runCli } from './cli-support.ts';

let server: RunningServer;
const target = () => ['--base-url', server.url, '--chatbot-id', 'demo'];

before(async () => {
  server = await startServer({ port: 0 });
});
after(() => server.close());

describe('webchat-agent: the command line', () => {
  it('--help and --version print and exit 0', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage:/);
    assert.match(help.stdout, /--base-url URL/);
    assert.match(help.stdout, /Exit codes: 0 done, 2 network or server error, 3 handed over/);
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('a bad option, URL, command or a missing setting is one line and exit 64, never a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['--frobnicate'], /Unknown option '--frobnicate'/],
      [['--base-url', 'not a url', '--chatbot-id', 'demo'], /the base URL is not a URL: "not a url"/],
      [['--base-url', 'ftp://example.com', '--chatbot-id', 'demo'], /must be http or https/],
      [['--chatbot-id', 'demo'], /no base URL: pass --base-url or set WEBCHAT_AGENT_BASE_URL/],
      [['--base-url', 'http://127.0.0.1:1'], /no chatbot id/],
      [['talk', '--base-url', 'http://127.0.0.1:1', '--chatbot-id', 'demo'], /unknown command 'talk'/],
      [['ask', '--base-url', 'http://127.0.0.1:1', '--chatbot-id', 'demo', 'x'.repeat(701)], /longer than 700 characters/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 64, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /^webchat-agent: [^\n]+\nTry 'webchat-agent --help'\.\n$/);
      assert.doesNotMatch(run.stderr, /\bat \S+:\d+/, 'no stack trace');
      assert.equal(run.stdout, '');
    }
  });

  it('reads the base URL and chatbot id from WEBCHAT_AGENT_BASE_URL and WEBCHAT_AGENT_CHATBOT_ID', async () => {
    const env = cleanEnv({ WEBCHAT_AGENT_BASE_URL: server.url, WEBCHAT_AGENT_CHATBOT_ID: 'demo' });
    const run = await runCli(['ask', 'How do I connect to the VPN?'], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Connecting to the VPN: How to connect/);
  });
});

describe('webchat-agent ask', () => {
  it('prints the answer as text with its sources and their URLs, and exits 0', async () => {
    const run = await runCli(['ask', ...target(), 'How do I connect to the VPN?']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Connecting to the VPN: How to connect\n\n 1\. Click the globe icon/);
    assert.match(run.stdout, /^Sources:\n\[1\] Connecting to the VPN: http:\/\/127\.0\.0\.1:\d+\/kb\/vpn$/m);
    assert.doesNotMatch(run.stdout, /<\/?(p|li|ol|strong)>/, 'no raw HTML');
    assert.doesNotMatch(run.stdout, /\x1b/, 'no escape codes when stdout is not a terminal');
    assert.equal(run.stderr, '');
  });

  it('takes the question on stdin', async () => {
    const run = await runCli(['ask', ...target()], { input: 'How do I connect to the VPN?\n' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Connecting to the VPN/);
  });

  it('--json prints reply, sources, mode, status and session id', async () => {
    const run = await runCli(['ask', '--json', ...target(), 'How do I connect to the VPN?']);
    assert.equal(run.code, 0, run.stderr);
    const body = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['mode', 'reply', 'sessionId', 'sources', 'status', 'text']);
    assert.match(String(body.reply), /^<p><strong>Connecting to the VPN/);
    assert.match(String(body.text), /^Connecting to the VPN: How to connect/);
    assert.deepEqual(body.sources, [{ type: 'web', source: `${server.url}/kb/vpn`, title: 'Connecting to the VPN' }]);
    assert.equal(body.mode, 'bot');
    assert.equal(body.status, null);
    assert.match(String(body.sessionId), /^[0-9a-f-]{36}$/);
  });

  it('exits 3 when the bot hands over to a person, with mode and status in the JSON', async () => {
    const text = await runCli(['ask', ...target(), 'I would like to talk to a human']);
    assert.equal(text.code, 3, text.stderr);
    assert.match(text.stdout, /connecting you with a person/);
    assert.match(text.stderr, /handed the conversation over to a person/);
    const json = await runCli(['ask', '--json', ...target(), 'I would like to talk to a human']);
    assert.equal(json.code, 3);
    const body = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(body.mode, 'human');
    assert.equal(body.status, 'waiting');
  });

  it('exits 2 when the server is not there', async () => {
    const gone = await startServer({ port: 0 });
    await gone.close();
    const run = await runCli(['ask', '--base-url', gone.url, '--chatbot-id', 'demo', 'Hello?']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^webchat-agent: The chat service could not be reached[^\n]*\n$/);
    const json = await runCli(['ask', '--json', '--base-url', gone.url, '--chatbot-id', 'demo', 'Hello?']);
    assert.equal(json.code, 2);
    assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'network');
  });

  it('exits 2 when the server answers 500', async () => {
    const broken = createServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'internal', message: 'Something broke' } }));
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
      const run = await runCli(['ask', '--base-url', url, '--chatbot-id', 'demo', 'Hello?']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /\(HTTP 500\)\n$/);
      const json = await runCli(['ask', '--json', '--base-url', url, '--chatbot-id', 'demo', 'Hello?']);
      assert.equal(json.code, 2);
      assert.deepEqual((JSON.parse(json.stdout) as { error: { code: string; status: number } }).error.status, 500);
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });
});
