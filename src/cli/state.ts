/**
 * The state folder ($XDG_STATE_HOME/webchat-agent, by default ~/.local/state/webchat-agent):
 * the prompt's history, and one file per service and chatbot that backs the core's
 * `storage`, so the next run resumes the conversation. Transcripts are private: the files
 * are the user's alone (0600, folder 0700).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { StorageAdapter } from '../core/index.ts';
import type { Config } from './args.ts';

export function stateDir(env: Readonly<Record<string, string | undefined>>): string {
  // The XDG spec says a relative value is invalid and is to be ignored.
  const base = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'webchat-agent');
}

export function sessionFile(dir: string, config: Config): string {
  const key = createHash('sha256').update(`${config.baseUrl}\n${config.chatbotId}`).digest('hex').slice(0, 32);
  return join(dir, 'sessions', `${key}.json`);
}

export const historyFile = (dir: string): string => join(dir, 'history');

/** Written whole to a temporary file and renamed, so a crash never leaves half a file. */
function writePrivate(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
}

interface SessionFile {
  baseUrl: string;
  chatbotId: string;
  items: Record<string, string>;
}

/**
 * The core's storage in one JSON file. Reads come from memory; each write rewrites the file
 * (the core already debounces its writes). An unreadable file counts as empty: the worst
 * case is a new conversation, never a crash.
 */
export function fileStorage(file: string, config: Config): StorageAdapter & { clear(): void } {
  let items: Record<string, string> = {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SessionFile>;
    if (parsed && typeof parsed.items === 'object' && parsed.items !== null) {
      items = Object.fromEntries(Object.entries(parsed.items).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    }
  } catch {
    // Missing or damaged: start empty.
  }
  const save = () => {
    const body: SessionFile = { baseUrl: config.baseUrl, chatbotId: config.chatbotId, items };
    writePrivate(file, `${JSON.stringify(body)}\n`);
  };
  return {
    getItem: (key) => (Object.hasOwn(items, key) ? items[key]! : null),
    setItem: (key, value) => {
      items[key] = value;
      save();
    },
    removeItem: (key) => {
      if (!Object.hasOwn(items, key)) return;
      delete items[key];
      save();
    },
    clear: () => {
      items = {};
      rmSync(file, { force: true });
    },
  };
}

/** readline keeps history newest first; the file keeps it oldest first, like a shell's. */
export function loadHistory(file: string, max: number): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').slice(-max).reverse();
  } catch {
    return [];
  }
}

export function saveHistory(file: string, newestFirst: readonly string[]): void {
  try {
    writePrivate(file, [...newestFirst].reverse().map((line) => `${line}\n`).join(''));
  } catch {
    // History is a convenience: a read-only home must not stop the chat.
  }
}
