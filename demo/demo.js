// The demo page's only script: `?layout=inline` puts the chat inside the page instead of
// the corner launcher, and a notice shows when the element bundle is not built yet.
const chat = document.querySelector('webchat-agent');
const params = new URLSearchParams(location.search);

if (chat && params.get('layout') === 'inline') {
  const slot = document.getElementById('chat-inline');
  chat.setAttribute('layout', 'inline');
  slot.append(chat);
  slot.hidden = false;
}

// Module scripts run in order: the element's bundle, when it loaded, has registered it by now.
if (!customElements.get('webchat-agent')) document.getElementById('widget-missing').hidden = false;
