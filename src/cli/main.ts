/**
 * `webchat-agent`: the entry point of the bundled bin. Parses the command line, then chats or
 * asks once. Every failure ends as one line on stderr and an exit code; the stack stays
 * hidden unless WEBCHAT_AGENT_DEBUG is set.
 */
import { version } from '../../package.json';
import { parseCommand, USAGE, UsageError } from './args.ts';
import { ask, checkQuestion } from './ask.ts';
import { EXIT } from './exit-codes.ts';
import { chat } from './interactive.ts';
import { fileStorage, historyFile, loadHistory, sessionFile, stateDir } from './state.ts';
import { detectStyle } from './style.ts';

async function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
  let text = '';
  stdin.setEncoding('utf8');
  for await (const chunk of stdin) text += String(chunk);
  return text;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const style = detectStyle(process.stdout, env);
  try {
    const command = parseCommand(argv, env);
    switch (command.kind) {
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return EXIT.ok;
      case 'version':
        process.stdout.write(`${version}\n`);
        return EXIT.ok;
      case 'ask': {
        let question = command.question;
        if (question === null) {
          if (process.stdin.isTTY) throw new UsageError('no question: pass it after ask, or on stdin');
          question = await readStdin(process.stdin);
        }
        checkQuestion(question);
        return await ask(command.config, question, command.json, { stdout: process.stdout, stderr: process.stderr, style });
      }
      case 'chat': {
        const dir = stateDir(env);
        const storage = fileStorage(sessionFile(dir, command.config), command.config);
        if (command.fresh) storage.clear();
        const history = { file: historyFile(dir), lines: loadHistory(historyFile(dir), 1000) };
        return await chat({ config: command.config, storage, history }, { stdin: process.stdin, stdout: process.stdout, style, version });
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`webchat-agent: ${error.message}\nTry 'webchat-agent --help'.\n`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`webchat-agent: ${message}\n`);
    if (env.WEBCHAT_AGENT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT.failure;
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
// Everything is closed by now; should a library still hold the loop, do not hang the shell.
setTimeout(() => process.exit(), 2000).unref();
