// The terminal command's parts that need no server: bot HTML as terminal text, the colour
// and hyperlink rules, the status line, and the state folder.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCommand, UsageError } from '../../src/cli/args.ts';
import { htmlToTerminal, sourceLine } from '../../src/cli/render.ts';
import { fileStorage, loadHistory, saveHistory, sessionFile, stateDir } from '../../src/cli/state.ts';
import { statusText } from '../../src/cli/status.ts';
import { colorEnabled, createStyle, hyperlinksEnabled } from '../../src/cli/style.ts';
import type { ChatState } from '../../src/core/index.ts';

const plain = createStyle(false, false);
const colour = createStyle(true, false);
const linked = createStyle(true, true);

describe('cli: bot HTML as terminal text', () => {
  const html = '<p><strong>VPN</strong> in <em>three</em> steps</p><ol><li>Run <code>vpn up</code></li><li>See <a href="https://kb.example/vpn">the guide</a></li></ol><ul><li>one</li></ul>';

  it('lays out lists, keeps the URL of a link in the text, and shows no markup', () => {
    assert.equal(htmlToTerminal(html, plain), 'VPN in three steps\n\n 1. Run vpn up\n 2. See the guide (https://kb.example/vpn)\n\n • one');
  });

  it('paints emphasis and code, and makes links OSC 8 hyperlinks where the terminal has them', () => {
    const painted = htmlToTerminal(html, colour);
    assert.match(painted, /\x1b\[1mVPN\x1b\[22m/);
    assert.match(painted, /\x1b\[3mthree\x1b\[23m/);
    assert.match(painted, /\x1b\[36mvpn up\x1b\[39m/);
    assert.match(htmlToTerminal(html, linked), /\x1b\]8;;https:\/\/kb\.example\/vpn\x1b\\\x1b\[4mthe guide\x1b\[24m\x1b\]8;;\x1b\\/);
  });

  it('lets no control character of the reply reach the terminal, raw or as a reference', () => {
    const text = htmlToTerminal('<p>a\x1b[2Jb &#27;]0;title&#x7; c\u009b1m <a href="javascript:alert(1)">x</a> \uE001d</p>', colour);
    assert.equal(text, 'a[2Jb ]0;title c1m x d');
  });

  it('lists a source with its title and URL', () => {
    assert.equal(sourceLine({ type: 'web', source: 'https://kb.example/vpn', title: 'VPN' }, plain), 'VPN: https://kb.example/vpn');
    assert.equal(sourceLine({ type: 'product', source: 42 }, plain), 'product: 42');
  });
});

describe('cli: colours and hyperlinks', () => {
  it('NO_COLOR wins, then FORCE_COLOR, then whether the output is a terminal', () => {
    assert.equal(colorEnabled({ isTTY: true }, {}), true);
    assert.equal(colorEnabled({ isTTY: false }, {}), false);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' }), false);
    assert.equal(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' }), true);
    assert.equal(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' }), false);
    assert.equal(colorEnabled({ isTTY: true }, { TERM: 'dumb' }), false);
    assert.equal(createStyle(false, false).paint('red', 'x'), 'x');
  });

  it('hyperlinks only on terminals known to show them, or when forced', () => {
    assert.equal(hyperlinksEnabled({ isTTY: true }, { TERM: 'xterm-256color' }), false);
    assert.equal(hyperlinksEnabled({ isTTY: true }, { TERM_PROGRAM: 'iTerm.app' }), true);
    assert.equal(hyperlinksEnabled({ isTTY: false }, { TERM_PROGRAM: 'iTerm.app' }), false);
    assert.equal(hyperlinksEnabled({ isTTY: true }, { VTE_VERSION: '7200' }), true);
    assert.equal(hyperlinksEnabled({ isTTY: false }, { FORCE_HYPERLINK: '1' }), true);
  });
});

describe('cli: the status line', () => {
  const state = (changes: Partial<ChatState>): ChatState =>
    ({ sessionId: 's', conversation: 'bot', mode: 'bot', status: null, connection: { state: 'idle' }, messages: [], typing: false, agent: null, error: null, ended: false, ...changes }) as ChatState;

  it('says who the visitor talks to, who is typing, and counts down a reconnect', () => {
    assert.equal(statusText(state({}), 0), '');
    assert.equal(statusText(state({ conversation: 'waiting', mode: 'human', status: 'waiting' }), 0), 'Waiting for an agent…');
    assert.equal(statusText(state({ conversation: 'live', agent: { name: 'Dana' }, typing: true }), 0), 'Live chat with Dana · Dana is typing…');
    assert.equal(
      statusText(state({ conversation: 'live', agent: { name: 'Dana' }, connection: { state: 'reconnecting', attempt: 2, retryAt: 4200 } }), 1000),
      'Live chat with Dana · connection lost, reconnecting in 4s…',
    );
  });
});

describe('cli: configuration and the state folder', () => {
  it('normalises the base URL so one service has one stored session', () => {
    const command = parseCommand(['--base-url', 'HTTP://Example.com:80/chat/', '--chatbot-id', ' demo '], {});
    assert.deepEqual(command, { kind: 'chat', config: { baseUrl: 'http://example.com/chat', chatbotId: 'demo' }, fresh: false });
    assert.throws(() => parseCommand(['ask', '--new'], {}), UsageError);
  });

  it('is $XDG_STATE_HOME/webchat-agent, or ~/.local/state/webchat-agent', () => {
    assert.equal(stateDir({ XDG_STATE_HOME: '/x/state', HOME: '/home/u' }), '/x/state/webchat-agent');
    assert.equal(stateDir({ XDG_STATE_HOME: 'relative', HOME: '/home/u' }), '/home/u/.local/state/webchat-agent');
  });

  it('keeps the core storage in a private file per base URL and chatbot, and history oldest first', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cli-state-')), 'webchat-agent');
    const config = { baseUrl: 'http://a.example', chatbotId: 'demo' };
    const file = sessionFile(dir, config);
    assert.notEqual(file, sessionFile(dir, { ...config, chatbotId: 'other' }));
    const storage = fileStorage(file, config);
    storage.setItem('k', 'v');
    assert.equal(fileStorage(file, config).getItem('k'), 'v');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    storage.removeItem('k');
    assert.equal(fileStorage(file, config).getItem('k'), null);
    saveHistory(join(dir, 'history'), ['newest', 'oldest']);
    assert.equal(readFileSync(join(dir, 'history'), 'utf8'), 'oldest\nnewest\n');
    assert.deepEqual(loadHistory(join(dir, 'history'), 10), ['newest', 'oldest']);
  });
});
