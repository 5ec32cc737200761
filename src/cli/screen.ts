/**
 * Where output goes while the user may be typing. On a terminal the bottom holds one status
 * line and the prompt; a message is printed above both and they are drawn again, with the
 * half-typed line kept. Elsewhere (a pipe, a file) the output is a plain transcript: status
 * changes become lines and nothing moves the cursor.
 */
import { clearScreenDown, cursorTo, moveCursor, type Interface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';

export interface Screen {
  /** Prints above the status line and the prompt. */
  print(text: string): void;
  status(text: string): void;
  /** The prompt is on screen from now on (after `rl.prompt()`). */
  prompted(on: boolean): void;
  /** Clears the status line and the prompt for good: output after this is plain lines. */
  release(): void;
  /** Redraws after a submitted line: the line's rows are replaced by `echo` (nothing when empty). */
  submitted(line: string, echo: string): void;
}

export function lineScreen(out: NodeJS.WritableStream): Screen {
  let last = '';
  return {
    print: (text) => out.write(`${text}\n`),
    status: (text) => {
      if (text !== last && text !== '') out.write(`-- ${text}\n`);
      last = text;
    },
    prompted: () => {},
    release: () => {},
    submitted: (_line, echo) => {
      if (echo !== '') out.write(`${echo}\n`);
    },
  };
}

export function ttyScreen(out: NodeJS.WriteStream, rl: Interface, paintStatus: (text: string) => string): Screen {
  let statusText = '';
  let statusShown = false;
  let promptShown = false;
  const columns = () => Math.max(20, out.columns || 80);

  /** Back to the top of what this screen owns (status and prompt), and clear it. */
  const clear = (promptRows: number) => {
    moveCursor(out, 0, -(promptRows + (statusShown ? 1 : 0)));
    cursorTo(out, 0);
    clearScreenDown(out);
    statusShown = false;
  };

  const draw = () => {
    if (statusText !== '') {
      // One row, always: a wrapped status would break the arithmetic above.
      const room = columns() - 1;
      const text = statusText.length > room ? `${statusText.slice(0, room - 1)}…` : statusText;
      out.write(`${paintStatus(text)}\n`);
      statusShown = true;
    }
    if (promptShown) {
      // readline climbs its own idea of the line's rows before redrawing: give it them.
      out.write('\n'.repeat(rl.getCursorPos().rows));
      rl.prompt(true);
    }
  };

  const rowsOf = (text: string) => Math.max(1, Math.ceil(stripVTControlCharacters(text).length / columns()));

  return {
    print(text) {
      clear(promptShown ? rl.getCursorPos().rows : 0);
      out.write(`${text}\n`);
      draw();
    },
    status(text) {
      if (text === statusText) return;
      statusText = text;
      clear(promptShown ? rl.getCursorPos().rows : 0);
      draw();
    },
    prompted(on) {
      promptShown = on;
    },
    release() {
      clear(promptShown ? rl.getCursorPos().rows : 0);
      promptShown = false;
      statusText = '';
    },
    submitted(line, echo) {
      // readline has moved below the submitted line: climb over it, and the status above it.
      promptShown = false;
      clear(rowsOf(`${rl.getPrompt()}${line}`));
      if (echo !== '') out.write(`${echo}\n`);
      draw();
    },
  };
}
