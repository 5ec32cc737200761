// Start-up of a closed launcher (what most visitors of a page see): its button is in the DOM
// and the next frame has painted.
(async () => {
  const el = document.querySelector('webchat-agent');
  if (el) await el.updateComplete;
  const root = el ? el.shadowRoot : document;
  if (!root || !root.querySelector('.launcher')) throw new Error('no launcher rendered');
  window.startupMs = (await bench.afterPaint()) - window.startupT0;
})().catch((error) => (window.startupError = String(error)));
