// Loaded before the bundle by the strict-CSP page with `sanitizer-api=off` (csp-plugin.mjs):
// plays an engine without the HTML Sanitizer API, so the element falls back to DOMPurify.
delete Element.prototype.setHTML;
delete Document.parseHTML;
delete window.Sanitizer;
