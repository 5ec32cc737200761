/**
 * The chat: a prompt with line editing and history, the transcript above it, one status
 * line, typing both ways, and the commands. Without a terminal (stdin or stdout a pipe) the
 * same loop reads lines and writes a plain transcript.
 */
import { homedir } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import { WebSocket } from 'ws';
import { createChatClient, isLiveChat } from '../core/index.ts';
import type { ChatClient, ChatEvent, ChatState, StorageAdapter } from '../core/index.ts';
import type { Config } from './args.ts';
import { EXIT } from './exit-codes.ts';
import { fileCommand } from './file-command.ts';
import { formatMessage, stripControls } from './render.ts';
import { lineScreen, ttyScreen, type Screen } from './screen.ts';
import { needsTick, statusText } from './status.ts';
import { saveHistory } from './state.ts';
import type { Style } from './style.ts';

export interface ChatIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  style: Style;
  version: string;
}

export interface ChatOptions {
  config: Config;
  storage: StorageAdapter;
  history: { file: string; lines: string[] };
}

/** Transcript lines shown when a stored conversation is resumed. */
const RESUME_LINES = 20;
/** How long quitting waits for the agent to be told that the chat ended. */
const END_TIMEOUT_MS = 5000;

export const HELP = `Commands:
  /help        this list
  /human       ask for a person from the helpdesk
  /end         end the live chat (the assistant answers again)
  /new         forget this conversation and start a new one
  /file PATH   send a file to the agent in a live chat; words after PATH are its caption
               (quote a PATH with spaces: /file "my screenshot.png" the error)
  /quit        leave (Ctrl-D too; Ctrl-C clears the line, twice quits)
Anything else is sent as a message. Up and Down walk through what you typed before.`;

const isLive = (state: ChatState) => isLiveChat(state.mode, state.status);

function waitForState(client: ChatClient, check: (state: ChatState) => boolean, ms: number): Promise<boolean> {
  if (check(client.state)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), ms);
    const unsubscribe = client.subscribe(() => {
      if (check(client.state)) done(true);
    });
    function done(ok: boolean) {
      clearTimeout(timer);
      unsubscribe();
      resolve(ok);
    }
  });
}

/** One key, raw: the prompt may be closed already (Ctrl-D) and a question needs no editing. */
function readKey(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.once('data', (data) => {
      stdin.setRawMode(wasRaw);
      stdin.pause();
      resolve(String(data));
    });
  });
}

export async function chat(options: ChatOptions, io: ChatIo): Promise<number> {
  const { stdin, stdout, style } = io;
  const terminal = stdin.isTTY === true && stdout.isTTY === true;
  const client = createChatClient({ ...options.config, WebSocket, storage: options.storage });

  const rl: Interface = createInterface({
    input: stdin,
    output: terminal ? stdout : undefined,
    terminal,
    history: options.history.lines,
    historySize: 1000,
    removeHistoryDuplicates: true,
    prompt: style.paint('bold', '› '),
  });
  if (terminal) rl.on('history', (lines: string[]) => saveHistory(options.history.file, lines));
  const screen: Screen = terminal ? ttyScreen(stdout, rl, (text) => style.paint('yellow', text)) : lineScreen(stdout);
  const note = (text: string) => screen.print(style.paint('dim', text));
  const files = fileCommand(
    client,
    { print: (text) => screen.print(text), error: (text) => screen.print(style.paint('red', `! ${text}`)) },
    { style, terminal, home: homedir() },
  );

  screen.print(
    `${style.paint('bold', 'webchat-agent')} ${io.version} · ${options.config.chatbotId} at ${options.config.baseUrl} · type /help for commands${terminal ? ', Ctrl-D to quit' : ''}`,
  );

  await client.start();
  const resumed = client.state.messages;
  if (resumed.length > 0) {
    if (resumed.length > RESUME_LINES) note(`… ${resumed.length - RESUME_LINES} earlier messages`);
    for (const message of resumed.slice(-RESUME_LINES)) screen.print(formatMessage(message, style));
    note('Resumed your last conversation; /new starts afresh.');
  }

  let tick: NodeJS.Timeout | undefined;
  const refreshStatus = () => {
    // A transcript has no use for who is typing: it would be a line per reply.
    // A terminal shows an upload's progress in place; a transcript has its own lines for it.
    const uploading = terminal ? files.status() : '';
    screen.status([statusText(client.state, Date.now(), { typing: terminal }), uploading].filter(Boolean).join(' · '));
    if (needsTick(client.state) && !tick) {
      tick = setInterval(refreshStatus, 1000);
    } else if (!needsTick(client.state) && tick) {
      clearInterval(tick);
      tick = undefined;
    }
  };

  let lastError = '';
  const onEvent = (event: ChatEvent) => {
    if (event.type === 'message') {
      // The visitor's own lines are echoed when typed; the rest arrive here once each.
      if (event.message.sender !== 'user') screen.print(formatMessage(event.message, style));
    } else if (event.type === 'error') {
      if (files.owns(event.error)) return;
      const text = `! ${stripControls(event.error.message)}`;
      // A reconnect loop reports the same failure each time: once is enough.
      if (text !== lastError) screen.print(style.paint('red', text));
      lastError = text;
    } else {
      if (event.state.error === null) lastError = '';
      files.update();
      refreshStatus();
    }
  };
  const unsubscribe = client.subscribe(onEvent);
  refreshStatus();

  let quitting: Promise<number> | null = null;
  let queue = Promise.resolve();
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const quit = (): Promise<number> => {
    if (quitting) return quitting;
    // Set before anything runs: rl.close() below emits 'close', which comes back here.
    let resolveQuit!: (code: number) => void;
    quitting = new Promise<number>((resolve) => (resolveQuit = resolve));
    void (async () => {
      stdin.off('keypress', onKeypress);
      if (tick) clearInterval(tick);
      unsubscribe();
      screen.release();
      rl.close();
      if (files.pending() > 0) stdout.write(style.paint('red', '! leaving before the file was sent: it was not sent') + '\n');
      if (isLive(client.state)) {
        const name = stripControls(client.state.agent?.name ?? '').trim();
        let end = false;
        if (terminal) {
          stdout.write(`End the chat${name ? ` with ${name}` : ''}? [Y]es, end it / [n]o, leave it open: `);
          const key = await readKey(stdin);
          end = /^[yYeE\r\n]/.test(key);
          stdout.write(end ? 'ending it\n' : 'leaving it open\n');
        } else {
          stdout.write('-- the live chat stays open: run webchat-agent again to go on\n');
        }
        if (end) {
          client.endLiveChat();
          const told = await waitForState(client, (s) => !isLive(s), END_TIMEOUT_MS);
          if (!told) stdout.write(style.paint('red', '! could not reach the service to end the chat') + '\n');
        }
      }
      client.dispose();
      finish(EXIT.ok);
      resolveQuit(EXIT.ok);
    })();
    return quitting;
  };

  let interrupted = false;
  rl.on('SIGINT', () => {
    if (interrupted) return void quit();
    interrupted = true;
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    note('(Ctrl-C again or Ctrl-D to quit)');
  });
  // Lines still queued (a pipe's last ones, a send in flight) are handled before leaving.
  rl.on('close', () => void queue.then(quit));

  function onKeypress(_text: string, key: { name?: string; ctrl?: boolean } | undefined) {
    if (!(key?.ctrl && key.name === 'c')) interrupted = false;
    if (key?.name === 'return' || key?.name === 'enter') return;
    // Typing is news for an agent only; the core sends it only in live chat.
    if (rl.line.trim() !== '' && !rl.line.startsWith('/')) client.setTyping(true);
  }
  if (terminal) stdin.on('keypress', onKeypress);

  const endLive = async () => {
    if (!isLive(client.state)) return note('There is no live chat to end.');
    client.endLiveChat();
    if (!(await waitForState(client, (s) => !isLive(s), END_TIMEOUT_MS))) screen.print(style.paint('red', '! the chat could not be ended yet: try /end again'));
  };

  const commands: Record<string, (arg: string) => unknown> = {
    help: () => screen.print(HELP),
    human: async () => {
      if (isLive(client.state)) return note('You are already in a live chat.');
      await client.requestHuman();
    },
    end: endLive,
    new: async () => {
      if (isLive(client.state)) await endLive();
      client.reset();
      note('A new conversation: the previous one is forgotten.');
    },
    // On a terminal the prompt is free while a file uploads; a transcript keeps its order.
    file: (arg) => files.run(arg, { settled: !terminal }),
    quit: () => quit(),
    exit: () => quit(),
  };

  const handle = async (text: string) => {
    const command = /^\/(\w+)(?:\s+(.*))?$/.exec(text);
    if (!command) return client.send(text);
    const run = commands[command[1]!.toLowerCase()];
    if (run) await run(command[2]?.trim() ?? '');
    else note(`Unknown command /${command[1]}: /help lists them.`);
  };

  rl.on('line', (line) => {
    const text = line.trim();
    const echo = text === '' ? '' : text.startsWith('/') ? style.paint('dim', `› ${stripControls(text)}`) : `${style.paint(['bold', 'green'], 'you:')} ${stripControls(text)}`;
    if (terminal) screen.submitted(line, echo);
    if (text !== '') {
      // In order, one at a time, while the prompt is already back for the next line. A
      // transcript (no terminal) echoes each line in its turn, so answers follow their question.
      queue = queue.then(() => {
        if (!terminal) screen.submitted(line, echo);
        return handle(text);
      });
    }
    if (!quitting) {
      screen.prompted(true);
      rl.prompt(true);
    }
  });

  screen.prompted(true);
  rl.prompt();
  return finished;
}
