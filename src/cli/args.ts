/**
 * The command line: Node's own parser, strict, so a typo is refused rather than sent to the
 * bot. Every mistake becomes one `UsageError` line; no stack trace reaches the user.
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Config {
  baseUrl: string;
  chatbotId: string;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'chat'; config: Config; fresh: boolean }
  /** `question` is null when it is to be read from stdin. */
  | { kind: 'ask'; config: Config; question: string | null; json: boolean };

export const USAGE = `Usage:
  webchat-agent [options]                 chat in the terminal (resumes the last conversation)
  webchat-agent ask [options] [QUESTION]  ask once and print the answer (QUESTION or stdin)

Options:
  --base-url URL     the chat service, e.g. https://app.webchatagent.com
                     (or WEBCHAT_AGENT_BASE_URL)
  --chatbot-id ID    the chatbot to talk to (or WEBCHAT_AGENT_CHATBOT_ID)
  --new              start a new conversation instead of resuming the stored one
  --json             ask: print the response as JSON
  -h, --help         show this help
  -v, --version      show the version

In a chat, type /help for the commands.

Exit codes: 0 done, 2 network or server error, 3 handed over to a person (ask),
64 wrong usage.`;

const OPTIONS = {
  'base-url': { type: 'string' },
  'chatbot-id': { type: 'string' },
  new: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages are clear but long: keep the first sentence, which names the option.
    const message = error instanceof Error ? error.message.split(/\. (?=[A-Z])/)[0]!.replace(/\.$/, '') : String(error);
    throw new UsageError(message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [first, ...rest] = positionals;
  const isAsk = first === 'ask';
  if (first !== undefined && !isAsk) throw new UsageError(`unknown command '${first}' (the only command is 'ask'; a chat needs none)`);
  if (!isAsk && values.json) throw new UsageError('--json goes with ask');
  if (isAsk && values.new) throw new UsageError('--new goes with a chat: ask always starts a new conversation');

  const config = readConfig(values['base-url'] ?? env.WEBCHAT_AGENT_BASE_URL, values['chatbot-id'] ?? env.WEBCHAT_AGENT_CHATBOT_ID);
  if (isAsk) {
    const question = rest.join(' ').trim();
    return { kind: 'ask', config, question: question === '' ? null : question, json: values.json ?? false };
  }
  return { kind: 'chat', config, fresh: values.new ?? false };
}

function readConfig(baseUrl: string | undefined, chatbotId: string | undefined): Config {
  if (!baseUrl) throw new UsageError('no base URL: pass --base-url or set WEBCHAT_AGENT_BASE_URL');
  if (!chatbotId?.trim()) throw new UsageError('no chatbot id: pass --chatbot-id or set WEBCHAT_AGENT_CHATBOT_ID');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UsageError(`the base URL is not a URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`the base URL must be http or https: ${JSON.stringify(baseUrl)}`);
  if (url.search || url.hash) throw new UsageError(`the base URL takes no query or fragment: ${JSON.stringify(baseUrl)}`);
  // One spelling per service, so the stored session is found again whatever the user typed.
  return { baseUrl: url.href.replace(/\/+$/, ''), chatbotId: chatbotId.trim() };
}
