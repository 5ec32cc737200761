// The intranet knows who is signed in, and tells the chat: the agent console then shows the
// employee instead of an anonymous visitor. Runs before the element's bundle, so the element
// starts with the identity (no anonymous conversation first). A real host would add
// `hash: HMAC-SHA256(secret, id)` from its own backend, for a server that verifies identities.
const chat = document.querySelector('webchat-agent');
if (chat) {
  chat.visitor = {
    id: 'e-1001',
    name: 'Alex Meyer',
    email: 'alex.meyer@northwind.example',
    attributes: { department: 'Finance', office: 'Berlin' },
  };
}
