// Start-up's start: runs right before the script under test, and watches the frames from here.
window.startupT0 = performance.timeOrigin + performance.now();
bench.watchStartup();
