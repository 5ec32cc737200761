/** The element's public events: they bubble and cross shadow roots, like native UI events. */
export function emit(target: EventTarget, type: string, detail?: unknown): void {
  target.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
}
