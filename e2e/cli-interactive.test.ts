/**
 * The `webchat-agent` chat as a person uses it: the built bin in a real pseudo-terminal
 * (tmux), against the reference server, with the agent played by a console socket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../server/app.ts';
import { cleanEnv, consoleAgent, runCli, storedSessionId, tempStateHome, Tmux, waitFor } from './cli-support.ts';

let server: RunningServer;
const tmux = new Tmux();
const stateHome = tempStateHome();
const target = () => ['--base-url', server.url, '--chatbot-id', 'demo'];
const env = (extra: Record<string, string> = {}) => cleanEnv({ TERM: 'xterm-256color', XDG_STATE_HOME: stateHome, ...extra });

before(async () => {
  server = await startServer({ port: 0, agentToken: 'agent-secret' });
});
after(async () => {
  await tmux.close();
  await server.close();
});

const COLOUR = /\x1b\[[0-9;]*m/;

describe('webchat-agent in a terminal', () => {
  it('chats: banner, /help, a bot answer with sources, /human, an agent both ways, Ctrl-C then Ctrl-D ending the chat', async () => {
    const pane = await tmux.start(target(), env());
    await pane.until(/^webchat-agent \d+\.\d+\.\d+ · demo at http:\/\/127\.0\.0\.1:\d+ · type \/help for commands, Ctrl-D to quit$/m, 'the banner');

    await pane.type('/help');
    await pane.keys('Enter');
    await pane.until(/^Commands:\n {2}\/help {8}this list\n {2}\/human/m, 'the help');

    await pane.type('How do I connect to the VPN?');
    await pane.keys('Enter');
    const answer = await pane.until(/^ {2}\[1\] Connecting to the VPN: http:\/\/127\.0\.0\.1:\d+\/kb\/vpn$/m, 'the sources');
    assert.match(answer, /^you: How do I connect to the VPN\?\nassistant: Connecting to the VPN: How to connect\n\n {3}1\. Click the globe icon/m);
    assert.doesNotMatch(answer, /<\/?(p|li|ol|strong)>/, 'no raw HTML');
    assert.match(await pane.capture(true), COLOUR, 'colours on a terminal');

    await pane.type('/human');
    await pane.keys('Enter');
    await pane.until(/^Waiting for an agent…$/m, 'the waiting status');

    const sessionId = await waitFor(() => storedSessionId(stateHome), 'the stored session');
    const dana = await consoleAgent(server, sessionId, 'Dana');
    await pane.until(/^Live chat with Dana$/m, 'the live status');

    dana.send({ type: 'client:typing', sender: 'admin', isTyping: true });
    await pane.until(/^Live chat with Dana · Dana is typing…$/m, "the agent's typing");
    dana.send({ type: 'client:message', sender: 'admin', content: 'Hello, Dana from the helpdesk here', clientMessageId: 'a-1' });
    await pane.until(/^Dana: Hello, Dana from the helpdesk here$/m, "the agent's message");

    await pane.type('My token expired');
    await dana.seen((f) => f.type === 'livechat:typing' && f.isTyping === true, "the visitor's typing");
    await pane.keys('Enter');
    await dana.seen((f) => f.type === 'livechat:message' && f.content === 'My token expired', "the visitor's message");
    await pane.until(/^you: My token expired$/m, 'the echo');

    await pane.type('half a thought');
    await pane.until(/^› half a thought$/m, 'the typed line');
    await pane.keys('C-c');
    const cleared = await pane.until(/^\(Ctrl-C again or Ctrl-D to quit\)$/m, 'the Ctrl-C hint');
    assert.doesNotMatch(cleared, /^› half a thought$/m, 'the line is cleared');
    await pane.keys('C-d');
    await pane.until(/^End the chat with Dana\? \[Y\]es, end it \/ \[n\]o, leave it open: $/m, 'the question');
    await pane.type('y');
    await dana.seen((f) => f.type === 'livechat:ended', 'the end, on the agent side');
    await pane.until(/^\[exit 0\]$/m, 'a clean exit');
    dana.close();
  });

  it('resumes the stored session on the next run, with the history on Up; NO_COLOR turns the colours off', async () => {
    const pane = await tmux.start(target(), env({ NO_COLOR: '1' }));
    const screen = await pane.until(/^Resumed your last conversation; \/new starts afresh\.$/m, 'the resume');
    assert.match(screen, /^Dana: Hello, Dana from the helpdesk here$/m);
    assert.match(screen, /^you: My token expired$/m);
    assert.match(screen, /^-- The chat with Dana has ended\. The assistant is back\.$/m);

    await pane.keys('Up');
    await pane.until(/^› My token expired$/m, 'the last line from the history');
    assert.doesNotMatch(await pane.capture(), /\^\[\[A/);
    assert.doesNotMatch(await pane.capture(true), COLOUR, 'no colours with NO_COLOR');

    await pane.keys('C-u');
    await pane.type('/quit');
    await pane.keys('Enter');
    await pane.until(/^\[exit 0\]$/m, 'a clean exit');
  });

  it('--new starts afresh', async () => {
    const pane = await tmux.start(['--new', ...target()], env());
    await pane.until(/type \/help for commands/, 'the banner');
    await pane.keys('C-d');
    const screen = await pane.until(/^\[exit 0\]$/m, 'a clean exit');
    assert.doesNotMatch(screen, /Resumed/);
  });
});

describe('webchat-agent with no terminal', () => {
  it('reads lines and writes a plain transcript: no escape codes, status changes as lines', async () => {
    const run = await runCli(target(), { env: cleanEnv({ XDG_STATE_HOME: tempStateHome(), TERM: 'xterm-256color' }), input: 'How do I connect to the VPN?\n/human\n' });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /\x1b/);
    assert.match(run.stdout, /^you: How do I connect to the VPN\?\nassistant: Connecting to the VPN: How to connect$/m);
    assert.match(run.stdout, /^ {2}\[1\] Connecting to the VPN: http:\/\/127\.0\.0\.1:\d+\/kb\/vpn$/m);
    assert.match(run.stdout, /^-- Waiting for an agent…$/m);
    assert.match(run.stdout, /^-- the live chat stays open: run webchat-agent again to go on$/m);
  });
});
