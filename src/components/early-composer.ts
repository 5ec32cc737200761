/**
 * The panel the shell paints while the conversation's code loads (the script-tag build): at
 * once for a new conversation, the view taking over after that first frame; for a kept one
 * only if the code is still away after a first frame (webchat-agent.ts, update). The log's
 * place and a composer, so the visitor can type at once. When the view arrives its own
 * composer takes over what was typed, the caret, the focus, and a send asked for meanwhile
 * (sent then, through the view's own submit); a composition under way (an IME's) ends here
 * first (webchat-agent.ts, chatView). Nothing typed here is lost: if the code fails
 * to load, the text stays, beside the shell's alert and its Retry.
 */
import { html, type TemplateResult } from 'lit-html';
import type { WebchatStrings } from './strings.ts';

/** What the visitor left in the early composer. */
export interface Draft {
  text: string;
  start: number;
  end: number;
  focused: boolean;
  /** They pressed Enter or Send before the conversation was here. */
  send: boolean;
}

/** Enter sends, Shift+Enter is a new line (the composer's keys, here and in composer.ts). */
export function submitOnEnter(event: KeyboardEvent): void {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    (event.target as HTMLTextAreaElement).form!.requestSubmit();
  }
}

/** The log's place and the composer, as the view lays them out; the row of actions below the
 * textbox holds its height (its button comes with the view) so nothing moves at the takeover. */
export function earlyPanel(s: WebchatStrings, alert: TemplateResult | null, onSubmit: (event: SubmitEvent) => void, onInput: () => void): TemplateResult {
  return html`<div class="log" part="log"></div>${alert}<form part="composer" @submit=${onSubmit}><textarea name="message" part="input" rows="1"
    aria-label=${s.message} placeholder=${s.placeholder} @keydown=${submitOnEnter} @input=${onInput}></textarea><button type="submit" class="send" part="send">${s.send}</button><div class="actions"><button type="button" class="hold" tabindex="-1" aria-hidden="true">${s.talkToHuman}</button></div></form>`;
}

/** What the early composer holds, read before the view's render replaces it. The focus
 * anywhere in the early panel (its Send, the Retry) goes to the view's textbox: the button
 * it was on goes away. */
export function takeDraft(panel: HTMLElement, root: ShadowRoot, send: boolean): Draft | null {
  const input = panel.querySelector('textarea');
  const focused = !!root.activeElement && panel.contains(root.activeElement);
  if (!input || (!input.value && !focused)) return null;
  return { text: input.value, start: input.selectionStart, end: input.selectionEnd, focused, send };
}

/** Into the view's composer. The input event lets it count the text (its counter near the
 * limit) and say the visitor is typing, as if typed there. */
export function giveDraft(panel: HTMLElement, draft: Draft): void {
  const input = panel.querySelector('textarea');
  if (!input) return;
  if (draft.text) {
    input.value = draft.text;
    input.dispatchEvent(new Event('input'));
  }
  if (draft.focused) {
    // Where the page is scrolled now: the visitor may have scrolled on while typing.
    input.focus({ preventScroll: true });
    input.setSelectionRange(draft.start, draft.end);
  }
  if (draft.send) input.form?.requestSubmit();
}
