/**
 * What the output stream can show: colours (through util.styleText) and OSC 8 hyperlinks.
 * Decided once from the environment, so every module paints the same way.
 */
import { styleText } from 'node:util';

type Format = Parameters<typeof styleText>[0];
type Env = Readonly<Record<string, string | undefined>>;

export interface Style {
  readonly color: boolean;
  readonly hyperlinks: boolean;
  paint(format: Format, text: string): string;
}

/** https://no-color.org and the FORCE_COLOR convention: NO_COLOR wins, then FORCE_COLOR, then the stream. */
export function colorEnabled(stream: { isTTY?: boolean }, env: Env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/**
 * No terminal answers "do you support OSC 8?", so this is the known list; unknown terminals
 * get the URL in the text, which works everywhere. FORCE_HYPERLINK overrides either way.
 */
export function hyperlinksEnabled(stream: { isTTY?: boolean }, env: Env): boolean {
  if (env.FORCE_HYPERLINK !== undefined) return env.FORCE_HYPERLINK !== '0' && env.FORCE_HYPERLINK !== 'false';
  if (stream.isTTY !== true || env.TERM === 'dumb') return false;
  if (['iTerm.app', 'WezTerm', 'vscode', 'ghostty'].includes(env.TERM_PROGRAM ?? '')) return true;
  if (env.WT_SESSION || env.KONSOLE_VERSION || env.TERM === 'xterm-kitty' || env.TERM === 'xterm-ghostty') return true;
  return Number(env.VTE_VERSION ?? 0) >= 5000;
}

export function createStyle(color: boolean, hyperlinks: boolean): Style {
  return {
    color,
    hyperlinks,
    // validateStream: false because this module has already decided for the stream and the
    // environment; styleText's own check would look at process.stdout, not ours.
    paint: (format, text) => (color && text !== '' ? styleText(format, text, { validateStream: false }) : text),
  };
}

export function detectStyle(stream: { isTTY?: boolean }, env: Env): Style {
  return createStyle(colorEnabled(stream, env), hyperlinksEnabled(stream, env));
}

/** OSC 8: the terminal shows `text` and opens `url` on click. */
export const hyperlink = (url: string, text: string): string => `\x1b]8;;${url}\x1b\\${text}\x1b]8;;\x1b\\`;
