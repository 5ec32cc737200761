// Start-up's end: the first frame painted with the panel's textbox (see bench.watchStartup).
(async () => {
  // The element's first textbox is the shell's early one, for a new conversation; the
  // conversation's own, beside its log, comes with its chat part (loaded from beside the
  // script). The plain page and deep-chat are whole with their first textbox.
  window.startupMs = (await bench.startupPainted('textbox')) - window.startupT0;
  window.readyMs = (await bench.startupPainted('whole')) - window.startupT0;
})().catch((error) => (window.startupError = String(error)));
