/**
 * Files from the `webchat-agent` chat: the built bin in a real pseudo-terminal (tmux) and
 * through pipes, against the reference server, with the agent played by a console socket.
 * What arrives is checked where it arrives: at the agent, in the server's files folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FILES_PATH, SESSION_HEADER } from '../src/core/protocol.ts';
import { startServer, type RunningServer } from '../server/app.ts';
import { pdfBytes, pngBytes } from '../test/fixtures/sample-files.ts';
import { cleanEnv, consoleAgent, runCli, storedSessionId, tempStateHome, Tmux, waitFor, type Frame } from './cli-support.ts';

const MAX_BYTES = 2048;
let server: RunningServer;
const tmux = new Tmux();
const filesDir = mkdtempSync(join(tmpdir(), 'cli-files-server-'));
/** The user's home: `~` in a path is this folder. */
const home = mkdtempSync(join(tmpdir(), 'cli-files-home-'));
const target = () => ['--base-url', server.url, '--chatbot-id', 'demo'];

/** The bytes the server keeps: one `.bin` per stored file, under the files folder. */
const storedFiles = () => (readdirSync(filesDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.bin'));

before(async () => {
  server = await startServer({ port: 0, agentToken: 'agent-secret', files: { dir: filesDir, maxBytes: MAX_BYTES } });
  mkdirSync(join(home, 'Screenshots'));
  writeFileSync(join(home, 'Screenshots', 'login error.png'), pngBytes());
  const big = new Uint8Array(MAX_BYTES + 1);
  big.set(pngBytes());
  writeFileSync(join(home, 'big.png'), big);
});
after(async () => {
  await tmux.close();
  await server.close();
});

const isMessage = (content: string) => (f: Frame) => f.type === 'livechat:message' && f.content === content;

describe('webchat-agent sends and shows files', () => {
  it('in a terminal: a quoted ~ path with a caption reaches the agent; a too large file is refused before upload; the agent\'s PDF shows as a line', async () => {
    const stateHome = tempStateHome();
    const pane = await tmux.start(target(), cleanEnv({ TERM: 'xterm-256color', XDG_STATE_HOME: stateHome, HOME: home }));
    await pane.until(/type \/help for commands/, 'the banner');

    await pane.type('/file ~/Screenshots/login\\ error.png');
    await pane.keys('Enter');
    await pane.until(/^! Files go to a person in a live chat: ask for one with \/human first\. Nothing was sent\.$/m, 'the bot-mode refusal');

    await pane.type('/human');
    await pane.keys('Enter');
    const sessionId = await waitFor(() => storedSessionId(stateHome), 'the stored session');
    const dana = await consoleAgent(server, sessionId, 'Dana');
    await pane.until(/^Live chat with Dana$/m, 'the live status');

    await pane.type('/file "~/Screenshots/login error.png" the error I get');
    await pane.keys('Enter');
    const shot = await dana.seen(isMessage('the error I get'), 'the file message at the agent');
    const [ref] = shot.attachments as { name: string; type: string; size: number; url: string }[];
    assert.deepEqual({ name: ref!.name, type: ref!.type, size: ref!.size }, { name: 'login error.png', type: 'image/png', size: pngBytes().length });
    assert.equal(shot.sender, 'user');
    // The agent opens what the visitor sent: the same bytes.
    const fetched = await fetch(ref!.url, { headers: { authorization: `Bearer ${server.agentToken}` } });
    assert.deepEqual(new Uint8Array(await fetched.arrayBuffer()), pngBytes());
    const sent = await pane.until(/^ {2}login error\.png \(\d+ bytes\) http:\/\/127\.0\.0\.1:\d+\/api\/chat\/files\/\S+$/m, 'the sent file in the transcript');
    assert.match(sent, new RegExp(`^you: the error I get\\n {2}login error\\.png \\(${pngBytes().length} bytes\\) `, 'm'));
    assert.equal(storedFiles().length, 1);

    await pane.type('/file ~/big.png does this go?');
    await pane.keys('Enter');
    await pane.until(/^! big\.png is larger than 2 KB\. Nothing was sent\.$/m, 'the size refusal');
    await pane.type('/file nowhere.png');
    await pane.keys('Enter');
    await pane.until(/^! No such file: nowhere\.png\. Nothing was sent\.$/m, 'the missing file');
    // A message sent after them is the next the agent gets: no upload, no message went before it.
    await pane.type('still there?');
    await pane.keys('Enter');
    await dana.seen(isMessage('still there?'), 'the next message');
    const mine = dana.frames.filter((f) => f.type === 'livechat:message' && f.sender === 'user').map((f) => f.content);
    assert.deepEqual(mine.slice(mine.indexOf('the error I get')), ['the error I get', 'still there?']);
    assert.equal(storedFiles().length, 1, 'the too large file never reached the server');

    const upload = await fetch(`${server.url}${FILES_PATH}?chatbotId=demo&name=procedure.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.agentToken}`, [SESSION_HEADER]: sessionId, 'content-type': 'application/pdf' },
      body: pdfBytes(),
    });
    assert.equal(upload.status, 201);
    const pdf = (await upload.json()) as { url: string };
    dana.send({ type: 'client:message', sender: 'admin', content: 'Here is the procedure', attachments: [pdf], clientMessageId: 'doc' });
    const screen = await pane.until(/^Dana: Here is the procedure\n {2}procedure\.pdf \(\d+ bytes\) \S+$/m, "the agent's file");
    assert.ok(screen.includes(pdf.url), `the URL in full: ${pdf.url}`);

    await pane.type('/quit');
    await pane.keys('Enter');
    await pane.until(/^End the chat with Dana\?/m, 'the question');
    await pane.type('y');
    await pane.until(/^\[exit 0\]$/m, 'a clean exit');
    dana.close();
  });

  it('through pipes: the upload waits for the live chat, reports its progress as lines and sends the message before leaving', async () => {
    const stateHome = tempStateHome();
    const input = `/human\n/file '${join(home, 'Screenshots', 'login error.png')}'\n`;
    const run = await runCli(target(), { env: cleanEnv({ XDG_STATE_HOME: stateHome, HOME: home }), input });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /\x1b/);
    assert.match(run.stdout, /^-- sending login error\.png… 0%$/m);
    assert.match(run.stdout, new RegExp(`^you: login error\\.png \\(${pngBytes().length} bytes\\) http://127\\.0\\.0\\.1:\\d+/api/chat/files/\\S+$`, 'm'));
    assert.doesNotMatch(run.stdout, /^!/m);
    const sessionId = storedSessionId(stateHome)!;
    const history = await fetch(`${server.url}/api/chat/history?chatbotId=demo`, { headers: { [SESSION_HEADER]: sessionId } });
    const { messages } = (await history.json()) as { messages: { sender: string; attachments?: { name: string }[] }[] };
    assert.deepEqual(messages.filter((m) => m.attachments).map((m) => [m.sender, m.attachments!.map((a) => a.name)]), [['user', ['login error.png']]]);
  });
});
