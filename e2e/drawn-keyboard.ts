/**
 * For the README's screenshots of the sheet with the keyboard up. Headless Chromium has no
 * on-screen keyboard, and the pinch zoom that e2e/phone.test.ts uses to shrink the visual
 * viewport also magnifies the page, so it can't be pictured. Here the page's
 * `visualViewport` is stood in for before its scripts run (the way a keyboard changes it
 * in iOS and in Chrome's `resizes-visual` mode: shorter, same scale, layout viewport
 * untouched), and a keyboard is drawn into the space it frees, on top of everything.
 * Page scripts are strings: the test's transpiler would add helpers the page lacks.
 */

/** Installs `window.visualViewport` as a stand-in, shortened by `window.setKeyboard(px)`. */
export const STAND_IN_VISUAL_VIEWPORT = `(() => {
  let keyboard = 0;
  const viewport = new EventTarget();
  Object.defineProperties(viewport, {
    width: { get: () => innerWidth },
    height: { get: () => innerHeight - keyboard },
    offsetTop: { get: () => 0 },
    offsetLeft: { get: () => 0 },
    pageTop: { get: () => scrollY },
    pageLeft: { get: () => scrollX },
    scale: { get: () => 1 },
  });
  Object.defineProperty(window, 'visualViewport', { get: () => viewport, configurable: true });
  window.setKeyboard = (px) => {
    keyboard = px;
    viewport.dispatchEvent(new Event('resize'));
  };
})()`;

const ROWS = [['q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p'], ['a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l'], ['⇧', 'z', 'x', 'c', 'v', 'b', 'n', 'm', '⌫'], ['123', 'space', 'return']];

/** Draws a phone keyboard `height` px tall at the bottom of the layout viewport (styles
 * through the CSSOM, which the page's CSP allows, unlike a style attribute or sheet). */
export function drawKeyboard(height: number, dark: boolean): string {
  const colors = dark ? { board: '#2c2c2e', key: '#636366', wide: '#48484a', text: '#ffffff' } : { board: '#d1d3d9', key: '#ffffff', wide: '#abb0ba', text: '#000000' };
  return `(() => {
  document.getElementById('drawn-keyboard')?.remove();
  const board = document.createElement('div');
  board.id = 'drawn-keyboard';
  Object.assign(board.style, { position: 'fixed', left: '0', right: '0', bottom: '0', height: '${height}px', zIndex: '2147483647',
    background: '${colors.board}', display: 'flex', flexDirection: 'column', justifyContent: 'flex-start', gap: '12px',
    padding: '10px 3px 0', boxSizing: 'border-box', font: '22px system-ui, sans-serif', color: '${colors.text}' });
  for (const row of ${JSON.stringify(ROWS)}) {
    const line = document.createElement('div');
    Object.assign(line.style, { display: 'flex', justifyContent: 'center', gap: '6px' });
    for (const label of row) {
      const key = document.createElement('div');
      const space = label === 'space';
      const word = label.length > 1 && !space;
      const modifier = word || label === '⇧' || label === '⌫';
      key.textContent = space ? '' : label;
      Object.assign(key.style, { height: '44px', flex: space ? '1 1 auto' : word ? '0 0 86px' : modifier ? '0 0 44px' : '0 0 33px',
        display: 'flex', alignItems: 'center', justifyContent: 'center', borderRadius: '5px', fontSize: word ? '16px' : '22px',
        background: modifier ? '${colors.wide}' : '${colors.key}', boxShadow: '0 1px 0 rgba(0,0,0,0.35)' });
      line.append(key);
    }
    board.append(line);
  }
  document.body.append(board);
})()`;
}
