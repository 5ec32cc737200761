/** A new element with its part (the name a page styles it by) and, if given, its class. */
export function element<K extends keyof HTMLElementTagNameMap>(name: K, part: string, className = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(name);
  if (className) node.className = className;
  node.setAttribute('part', part);
  return node;
}

/** Sets an attribute only when it differs: an update that changes nothing mutates nothing
 * (no mutation record, nothing for the accessibility tree to recompute). */
export function setAttr(node: Element, name: string, value: string): void {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}
