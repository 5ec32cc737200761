// The servers browser tests talk to are started here (see test/support/README.md).
export function testServerPlugins() {
  return [];
}
