// Start-up's end: the panel's textbox is in the DOM and the next frame has painted.
(async () => {
  const peer = document.querySelector('deep-chat');
  if (peer) {
    // deep-chat: its textbox is a contenteditable div, in its shadow root once it has rendered.
    peer.style.inlineSize = '400px';
    peer.style.blockSize = '600px';
    for (let i = 0; i < 600 && !peer.shadowRoot?.querySelector('#text-input'); i++) await bench.afterPaint();
    if (!peer.shadowRoot?.querySelector('#text-input')) throw new Error('no textbox rendered');
    window.startupMs = window.readyMs = (await bench.afterPaint()) - window.startupT0;
    return;
  }
  const el = document.querySelector('webchat-agent');
  // The element's textbox: the shell's early one, then the conversation's, beside its log
  // (its chat part, loaded from beside the script).
  const poll = async (selector) => {
    for (let i = 0; el && i < 10_000 && !el.shadowRoot?.querySelector(selector); i++) await new Promise((resolve) => setTimeout(resolve, 0));
  };
  await poll('textarea');
  if (el) await el.updateComplete;
  const root = el ? el.shadowRoot : document;
  if (!root || !root.querySelector('textarea')) throw new Error('no textbox rendered');
  const whole = () => !el || !!root.querySelector('[role=log] ~ form textarea');
  const wholeAtOnce = whole();
  window.startupMs = (await bench.afterPaint()) - window.startupT0;
  // The plain page is whole when painted; the element once its conversation is here.
  if (wholeAtOnce) return void (window.readyMs = window.startupMs);
  await poll('[role=log] ~ form textarea');
  if (!whole()) throw new Error('the conversation never came');
  window.readyMs = (await bench.afterPaint()) - window.startupT0;
})().catch((error) => (window.startupError = String(error)));
