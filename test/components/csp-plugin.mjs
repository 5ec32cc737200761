// Serves /__csp/page.html: a page under the strict Content-Security-Policy the issue names
// (plus `connect-src` for the test's chat service), loading the built IIFE. A probe script
// records every `securitypolicyviolation` so the test can assert there are none. With
// `sanitizer-api=off` the page plays an engine without the HTML Sanitizer API; `lang` is the
// page's language (default `en`).
const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function cspPagePlugin() {
  return {
    name: 'csp-page',
    serve(context) {
      if (context.path !== '/__csp/page.html') return undefined;
      const service = context.URL.searchParams.get('service') ?? '';
      const chatbotId = context.URL.searchParams.get('chatbot') ?? '';
      const lang = context.URL.searchParams.get('lang') ?? 'en';
      const ws = service.replace(/^http/, 'ws');
      const withoutSanitizerApi = context.URL.searchParams.get('sanitizer-api') === 'off'
        ? '\n    <script src="/test/components/csp-no-sanitizer-api.js"></script>'
        : '';
      return {
        type: 'html',
        headers: {
          'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; connect-src 'self' ${service} ${ws}`,
        },
        body: `<!doctype html>
<html lang="${escape(lang)}">
  <head><meta charset="utf-8"><title>Strict CSP</title>
    <script src="/test/components/csp-probe.js"></script>${withoutSanitizerApi}
    <script src="/dist/webchat-agent.iife.js"></script>
  </head>
  <body>
    <webchat-agent chatbot-id="${escape(chatbotId)}" base-url="${escape(service)}" persist="local" open></webchat-agent>
  </body>
</html>`,
      };
    },
  };
}
