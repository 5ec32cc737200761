// The plain-DOM baseline of a closed launcher: its round button, fixed in the corner.
const launcher = document.createElement('button');
launcher.className = 'launcher';
launcher.setAttribute('aria-label', 'Open chat');
launcher.setAttribute('aria-expanded', 'false');
launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 4h18v13H9l-5 4v-4H3z"/></svg>';
document.body.append(launcher);
