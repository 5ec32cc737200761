/**
 * The file UI's styles, adopted into the element's shadow root when the part loads (one
 * constructed sheet for every element): nothing goes into the host page, and a constructed
 * sheet is no inline style for the CSP. Icons are drawn with CSS alone. A thumbnail is a
 * tile of one size whatever the picture: its row has its final size before the image loads
 * (no file says its dimensions), so nothing in the log moves when it comes; the picture fits
 * inside, never cropped nor enlarged.
 */
const text = `
:host { --_act: light-dark(var(--_ac), color-mix(in oklab, var(--_ac) 50%, #fff)); }
.panel { position: relative; }
form.with-files { grid-template-columns: auto 1fr auto; }
form.with-files > .chips, form.with-files > .file-notice:not(:empty) { grid-column: 1 / -1; }
.attach { align-self: end; inline-size: 2.4rem; block-size: 2.4rem; padding: 0; display: grid; place-items: center; }
.clip { position: relative; inline-size: 0.6rem; block-size: 1.15rem; rotate: 40deg; }
.clip::before, .clip::after { content: ''; position: absolute; box-sizing: border-box; border: 2px solid currentColor; }
.clip::before { inset: 0; border-radius: 0.3rem; }
.clip::after { inset-inline: calc(0.3rem - 3px); inset-block: 0.3rem 0.25rem; border-block-start: 0; border-radius: 0 0 0.2rem 0.2rem; }
.chips, .files { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; max-inline-size: 85%; }
.chips { max-inline-size: none; max-block-size: 6.5rem; overflow-y: auto; padding: 2px; margin: -2px; }
.chip { display: flex; align-items: center; gap: 0.35rem; min-inline-size: 0; max-inline-size: 100%; box-sizing: border-box; padding-block: 0.15rem; padding-inline: 0.65rem 0.15rem; border: 1px solid var(--_line); border-radius: 1rem; background: var(--_bb); font-size: 0.85em; }
.name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-inline-size: 0; }
.chip .name { flex: 0 1 auto; }
.size { color: var(--_mut); white-space: nowrap; flex: none; }
.chip button { flex: none; display: grid; place-items: center; border: 0; border-radius: 50%; inline-size: 1.6rem; block-size: 1.6rem; padding: 0; line-height: 1; font-size: 1.1em; }
.chip button:hover { background: var(--_line); }
.file-notice { margin: 0; font-size: 0.85em; color: var(--_mut); overflow-wrap: anywhere; }
.file-notice:empty { display: none; }
.thumb { display: block; inline-size: fit-content; max-inline-size: 100%; line-height: 0; border-radius: calc(var(--_r) / 2); overflow: hidden; border: 1px solid var(--_line); background: var(--_bb); }
.thumb img { display: block; inline-size: 12rem; block-size: 9rem; max-inline-size: 100%; object-fit: scale-down; }
.thumb:hover img { opacity: 0.9; }
.card { display: grid; grid-template-columns: auto minmax(0, 1fr); grid-template-rows: auto auto; column-gap: 0.6rem; align-items: center; box-sizing: border-box; min-inline-size: 10rem; max-inline-size: 16rem; padding: 0.45rem 0.7rem; border: 1px solid var(--_line); border-radius: calc(var(--_r) / 2); background: var(--_bg); color: inherit; text-decoration: none; font-size: 0.9em; }
.files > li { min-inline-size: 0; max-inline-size: 100%; }
a.card:hover { border-color: var(--_mut); }
a.card:hover .name { text-decoration: underline; }
.card .icon { grid-row: 1 / 3; position: relative; inline-size: 2rem; block-size: 2.5rem; display: grid; place-items: end center; padding-block-end: 0.3rem; box-sizing: border-box; border: 1px solid var(--_mut); border-radius: 3px; border-start-end-radius: 0.7rem; font-size: 0.55rem; font-weight: 700; letter-spacing: 0.02em; color: var(--_act); overflow: hidden; }
.card .icon::after { content: ''; position: absolute; inset-block-start: -1px; inset-inline-end: -1px; inline-size: 0.7rem; block-size: 0.7rem; background: linear-gradient(to bottom left, var(--_bg) 50%, var(--_line) 50%); }
.card .icon:dir(rtl)::after { background: linear-gradient(to bottom right, var(--_bg) 50%, var(--_line) 50%); }
.upload { display: grid; grid-template-columns: minmax(0, 1fr) auto; align-items: center; gap: 0.35rem 0.5rem; justify-items: end; max-inline-size: 85%; }
.upload .files { grid-column: 1 / -1; max-inline-size: 100%; justify-content: end; }
.upload .card { min-inline-size: 0; }
.upload progress { appearance: none; inline-size: 12rem; max-inline-size: 100%; block-size: 0.4rem; border: 0; border-radius: 0.2rem; background: var(--_bb); color: var(--_ac); overflow: hidden; }
.upload progress::-webkit-progress-bar { background: var(--_bb); border-radius: 0.2rem; }
.upload progress::-webkit-progress-value { background: var(--_ac); border-radius: 0.2rem; transition: inline-size 0.2s; }
.upload progress::-moz-progress-bar { background: var(--_ac); border-radius: 0.2rem; }
.upload button { font-size: 0.85em; padding: 0.2rem 0.6rem; }
.reason { margin: 0; font-size: 0.85em; color: var(--_err); text-align: end; }
.bubble:empty { display: none; }
.drop { position: absolute; inset: 0.4rem; z-index: 1; display: grid; place-items: center; padding: 1rem; text-align: center; border: 2px dashed var(--_act); border-radius: var(--_r); background: color-mix(in srgb, var(--_ac) 7%, var(--_bg)); color: var(--_act); font-size: 1.05em; font-weight: 600; pointer-events: none; }
.viewer { max-inline-size: 94vw; max-block-size: 94vh; padding: 0; border: 0; border-radius: var(--_r); background: var(--_bg); color: inherit; overflow: hidden; }
.viewer::backdrop { background: rgb(0 0 0 / 0.75); }
.viewer img { display: block; max-inline-size: 94vw; max-block-size: calc(94vh - 3rem); margin: 0 auto; object-fit: contain; }
.viewer-bar { display: flex; align-items: center; gap: 0.75rem; padding-block: 0.4rem; padding-inline: 0.8rem 0.4rem; }
.viewer-bar span { flex: 1; min-inline-size: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.viewer-bar a { color: inherit; white-space: nowrap; }
.viewer-bar button { border: 0; inline-size: 2.25rem; block-size: 2.25rem; padding: 0; font-size: 1.25em; line-height: 1; }
:host([sheet]) .attach, :host([sheet]) .viewer-bar button { inline-size: 44px; block-size: 44px; }
:host([sheet]) .chip { padding-block: 0; }
:host([sheet]) .chip button { inline-size: 44px; block-size: 44px; margin-block: -4px; }
:host([sheet]) .upload button { min-block-size: 44px; padding-inline: 0.9rem; }
:host([sheet]) .chips { max-block-size: 7.5rem; }
@media (pointer: coarse) {
  .attach, .viewer-bar button { min-inline-size: 44px; min-block-size: 44px; }
  .chip button { inline-size: 44px; block-size: 44px; margin-block: -4px; }
  .upload button { min-block-size: 44px; }
}
`;

let sheet: CSSStyleSheet | undefined;

/** Adds the file UI's sheet to a shadow root (once per root). */
export function adoptFileStyles(root: Node): void {
  if (!(root instanceof ShadowRoot) || !('adoptedStyleSheets' in root)) return;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
