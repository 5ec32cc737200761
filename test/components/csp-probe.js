// Loaded first by the strict-CSP page (csp-plugin.mjs): records every CSP violation, with the
// id of the element it concerns when it has one (a test's own control element).
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const id = event.target instanceof Element && event.target.id ? ` #${event.target.id}` : '';
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}${id}`);
});
