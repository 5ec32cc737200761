/**
 * The file UI's styles, adopted into the element's shadow root when the part loads (one
 * constructed sheet for every element): nothing goes into the host page, and a constructed
 * sheet is no inline style for the CSP. Icons are drawn with CSS alone.
 */
const text = `
.panel { position: relative; }
form.with-files { grid-template-columns: auto 1fr auto; }
form.with-files > .chips, form.with-files > .file-notice:not(:empty) { grid-column: 1 / -1; }
.attach { align-self: end; inline-size: 2.4rem; block-size: 2.4rem; padding: 0; display: grid; place-items: center; }
.attach::before { content: ''; inline-size: 0.45rem; block-size: 1rem; border: 2px solid currentColor; border-radius: 1rem; rotate: 40deg; }
.chips, .files { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; max-inline-size: 85%; }
.chips { max-inline-size: none; max-block-size: 6.5rem; overflow-y: auto; }
.chip { display: flex; align-items: center; gap: 0.35rem; max-inline-size: 100%; padding-block: 0.15rem; padding-inline: 0.6rem 0.15rem; border: 1px solid var(--_line); border-radius: 1rem; background: var(--_bb); font-size: 0.85em; }
.chip .name, .card .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-inline-size: 0; }
.chip .size, .card .size { color: var(--_mut); white-space: nowrap; }
.chip button { border: 0; border-radius: 50%; inline-size: 1.6rem; block-size: 1.6rem; padding: 0; line-height: 1; }
.file-notice { margin: 0; font-size: 0.85em; color: var(--_mut); }
.file-notice:empty { display: none; }
.thumb { display: block; line-height: 0; border-radius: calc(var(--_r) / 2); overflow: hidden; border: 1px solid var(--_line); }
.thumb img { display: block; max-inline-size: 12rem; max-block-size: 9rem; inline-size: auto; block-size: auto; min-inline-size: 3rem; min-block-size: 3rem; object-fit: cover; background: var(--_bb); }
.card { display: grid; grid-template-columns: auto minmax(0, 1fr); grid-template-rows: auto auto; column-gap: 0.6rem; align-items: center; max-inline-size: 16rem; padding: 0.45rem 0.7rem; border: 1px solid var(--_line); border-radius: calc(var(--_r) / 2); background: var(--_bg); color: inherit; text-decoration: none; font-size: 0.9em; }
a.card:hover .name { text-decoration: underline; }
.card .icon { grid-row: 1 / 3; position: relative; inline-size: 2rem; block-size: 2.5rem; display: grid; place-items: end center; padding-block-end: 0.3rem; box-sizing: border-box; border: 1px solid var(--_mut); border-radius: 3px 0.7rem 3px 3px; font-size: 0.55rem; font-weight: 700; letter-spacing: 0.02em; color: var(--_ac); overflow: hidden; }
.card .icon::after { content: ''; position: absolute; inset-block-start: -1px; inset-inline-end: -1px; inline-size: 0.7rem; block-size: 0.7rem; background: linear-gradient(to bottom left, var(--_bg) 50%, var(--_line) 50%); }
.upload { display: flex; flex-direction: column; align-items: end; gap: 0.3rem; max-inline-size: 85%; }
.upload .files { max-inline-size: 100%; justify-content: end; }
.upload progress { inline-size: 12rem; max-inline-size: 100%; accent-color: var(--_ac); }
.upload button { font-size: 0.85em; padding: 0.2rem 0.6rem; }
.reason { margin: 0; font-size: 0.85em; color: var(--_err); }
.bubble:empty { display: none; }
.drop { position: absolute; inset: 0.4rem; z-index: 1; display: grid; place-items: center; padding: 1rem; text-align: center; border: 2px dashed var(--_ac); border-radius: var(--_r); background: color-mix(in srgb, var(--_bg) 88%, transparent); color: var(--_ac); font-weight: 600; pointer-events: none; }
.viewer { max-inline-size: 94vw; max-block-size: 94vh; padding: 0; border: 0; border-radius: var(--_r); background: var(--_bg); overflow: hidden; }
.viewer::backdrop { background: rgb(0 0 0 / 0.75); }
.viewer img { display: block; max-inline-size: 94vw; max-block-size: calc(94vh - 3rem); margin: 0 auto; object-fit: contain; }
.viewer-bar { display: flex; align-items: center; gap: 0.5rem; padding: 0.4rem 0.4rem 0.4rem 0.8rem; }
.viewer-bar span { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.viewer-bar a { color: inherit; }
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
