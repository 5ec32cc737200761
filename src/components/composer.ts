/**
 * The composer: Enter sends, Shift+Enter is a new line, a counter appears near the
 * 700-character limit. The textarea is uncontrolled; it is cleared only when the host
 * accepts the text, so nothing typed is lost on a refused send.
 */
import type { ReactiveControllerHost } from '@lit/reactive-element';
import { html, nothing, type TemplateResult } from 'lit-html';
import { MAX_MESSAGE_LENGTH } from '../core/index.ts';
import { fill, type WebchatStrings } from './strings.ts';
import { submitOnEnter } from './early-composer.ts';

/** The counter shows from this many characters on. */
export const COUNTER_FROM = MAX_MESSAGE_LENGTH - 100;

export class Composer {
  /** The length the last render showed; typing re-renders the host only near the limit. */
  private length = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Returns true when the text was taken (then the composer clears). */
    private readonly submit: (text: string) => boolean,
    private readonly typing: (on: boolean) => void,
  ) {}

  private setLength(length: number): void {
    if (Math.max(this.length, length) >= COUNTER_FROM) this.host.requestUpdate();
    this.length = length;
  }

  private onInput = (event: Event): void => {
    const value = (event.target as HTMLTextAreaElement).value;
    this.setLength(value.trim().length);
    this.typing(value.length > 0);
  };

  private onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('message') as HTMLTextAreaElement;
    if (!this.submit(input.value)) return;
    input.value = '';
    this.setLength(0);
    this.typing(false);
  };

  /** `files`: the file UI's chips and attach button, in a live chat that takes files. */
  render(strings: WebchatStrings, action: TemplateResult | typeof nothing, files?: { chips: unknown; attach: unknown }) {
    const left = MAX_MESSAGE_LENGTH - this.length;
    const counting = this.length >= COUNTER_FROM;
    return html`<form part="composer" class=${files ? 'with-files' : ''} @submit=${this.onSubmit}>
      ${files ? html`${files.chips}${files.attach}` : nothing}<textarea name="message" part="input" rows="1"
        aria-label=${strings.message} placeholder=${strings.placeholder}
        aria-describedby=${counting ? 'counter' : nothing} aria-invalid=${left < 0}
        @input=${this.onInput} @keydown=${submitOnEnter}></textarea>
      <button type="submit" class="send" part="send">${strings.send}</button>
      <div class="actions">
        ${action}
        ${counting
          ? html`<span id="counter" class="counter ${left < 0 ? 'over' : ''}" part="counter">${fill(
              left < 0 ? strings.charactersOver : strings.charactersLeft,
              { count: Math.abs(left) },
            )}</span>`
          : nothing}
      </div>
    </form>`;
  }
}
