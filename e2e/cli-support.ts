/**
 * Runs the built `webchat-agent` bin (dist/cli.js, from scripts/build.mjs) as a user would:
 * as a child process with pipes, or in a real pseudo-terminal under tmux.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { WebSocket } from 'ws';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const bin = join(root, 'dist/cli.js');

export const tempStateHome = (): string => mkdtempSync(join(tmpdir(), 'webchat-agent-state-'));

/** The environment a test's bin runs in: no colour variables inherited from the test's own terminal. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(NO_COLOR|FORCE_COLOR|FORCE_HYPERLINK|WEBCHAT_AGENT_.*|XDG_STATE_HOME|TMUX.*)$/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: options.env ?? cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const exec = promisify(execFile);

/**
 * One tmux server per test file (its own socket), one window per run of the bin. The pane
 * stays after the bin exits so the test can read its last screen and its exit code.
 */
export class Tmux {
  readonly socket = `webchat-agent-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  #count = 0;

  async #tmux(...args: string[]): Promise<string> {
    const { stdout } = await exec('tmux', ['-L', this.socket, '-f', '/dev/null', ...args]);
    return stdout;
  }

  /** Starts `node dist/cli.js args` in a new 100×40 terminal; returns its target. */
  async start(args: string[], env: Record<string, string>): Promise<Pane> {
    const name = `w${++this.#count}`;
    const vars = Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`);
    const command = `env -i ${vars.join(' ')} ${shellQuote(process.execPath)} ${shellQuote(bin)} ${args.map(shellQuote).join(' ')}; echo "[exit $?]"`;
    if (this.#count === 1) await this.#tmux('new-session', '-d', '-s', 'cli', '-n', name, '-x', '100', '-y', '40', command);
    else await this.#tmux('new-window', '-d', '-t', 'cli', '-n', name, command);
    await this.#tmux('set-option', '-t', `cli:${name}`, 'remain-on-exit', 'on');
    return new Pane(this.#tmux.bind(this), `cli:${name}`);
  }

  async close(): Promise<void> {
    await this.#tmux('kill-server').catch(() => {});
  }
}

export class Pane {
  constructor(
    private readonly tmux: (...args: string[]) => Promise<string>,
    readonly target: string,
  ) {}

  /** The whole screen and its scrollback, as text; `escapes` keeps colours and attributes. */
  async capture(escapes = false): Promise<string> {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.target, ...(escapes ? ['-e'] : []));
  }

  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', this.target, '-l', text);
  }

  async keys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.target, ...keys);
  }

  /** Waits until the screen matches; returns the screen. */
  async until(pattern: RegExp, what: string, timeoutMs = 15_000): Promise<string> {
    let screen = '';
    try {
      return await waitFor(async () => ((screen = await this.capture()), pattern.test(screen) ? screen : null), what, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- screen ---\n${screen}`);
    }
  }
}

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** The session id the bin stored under `stateHome`: what an agent's console would show. */
export function storedSessionId(stateHome: string): string | undefined {
  const dir = join(stateHome, 'webchat-agent', 'sessions');
  try {
    const [file] = readdirSync(dir);
    return /\\"sessionId\\":\\"([0-9a-f-]{36})\\"/.exec(readFileSync(join(dir, file!), 'utf8'))?.[1];
  } catch {
    return undefined; // not written yet: the core debounces its writes
  }
}

export interface Frame {
  type: string;
  [key: string]: unknown;
}

/** An agent's console socket, joined to the session and taking it over. */
export async function consoleAgent(server: { url: string; agentToken: string }, sessionId: string, name: string) {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/livechat`);
  const frames: Frame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise((resolve) => ws.once('open', resolve));
  const send = (frame: object) => ws.send(JSON.stringify({ chatbotId: 'demo', sessionId, ...frame }));
  send({ type: 'client:join', as: 'admin', token: server.agentToken });
  await waitFor(() => frames.some((f) => f.type === 'livechat:status' && f.ok), 'the agent join');
  send({ type: 'client:takeover', agent: { name } });
  const seen = (check: (frame: Frame) => boolean, what: string) => waitFor(() => frames.find(check), what);
  return { send, seen, frames, close: () => ws.close() };
}
