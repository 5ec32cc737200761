// Start-up's end: the panel's textbox is in the DOM and the next frame has painted.
(async () => {
  const el = document.querySelector('webchat-agent');
  if (el) await el.updateComplete;
  const root = el ? el.shadowRoot : document;
  if (!root || !root.querySelector('textarea')) throw new Error('no textbox rendered');
  window.startupMs = (await bench.afterPaint()) - window.startupT0;
})().catch((error) => (window.startupError = String(error)));
