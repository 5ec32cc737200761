// Start-up's start: runs right before the script under test.
window.startupT0 = performance.timeOrigin + performance.now();
