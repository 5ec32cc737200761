// Start-up of a closed launcher (what most visitors of a page see): the first frame painted
// with its button (see bench.watchStartup).
bench
  .startupPainted('launcher')
  .then((painted) => (window.startupMs = painted - window.startupT0))
  .catch((error) => (window.startupError = String(error)));
