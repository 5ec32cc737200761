/**
 * What the file UI takes from the bundle that loads it: Lit's `html` and `nothing`, and the
 * core's own checks. Handed over at `init` (index.ts) instead of imported, so the script-tag
 * build's `webchat-agent.files.js` carries no second Lit (whose templates would not even be
 * the main bundle's kind) and no second copy of the core's rules.
 */
import type { html as litHtml, nothing as litNothing } from 'lit-html';
import type { checkFiles as coreCheckFiles } from '../../core/file-checks.ts';
import type { isValidMessageText as coreIsValidMessageText } from '../../core/protocol.ts';
import type { fill as stringsFill } from '../strings.ts';

export interface Injected {
  html: typeof litHtml;
  nothing: typeof litNothing;
  checkFiles: typeof coreCheckFiles;
  isValidMessageText: typeof coreIsValidMessageText;
  fill: typeof stringsFill;
}

export let html: Injected['html'];
export let nothing: Injected['nothing'];
export let core: Pick<Injected, 'checkFiles' | 'isValidMessageText' | 'fill'>;

export function inject(given: Injected): void {
  ({ html, nothing } = given);
  core = given;
}
