/**
 * Schemas built on first use. Building zod schemas is most of what evaluating the core costs
 * (tens of milliseconds in a phone's start-up, most of them for schemas a page never parses
 * with), so a module-level schema is a stand-in that builds the real one when it is first
 * touched: parsed with, composed into another schema, or inspected.
 *
 * The stand-in forwards every read to the built schema, so it is used as the schema itself:
 * zod recognises schemas by their `_zod` internals (`instanceof` reads `_zod.traits`), and a
 * schema composed of stand-ins reads their internals only when it is itself built or run.
 */

const builders = new WeakMap<object, () => object>();

export function lazySchema<T extends object>(build: () => T): T {
  let schema: T | undefined;
  const real = (): T => (schema ??= build());
  // The target only satisfies the Proxy invariants (an empty, extensible object); nothing
  // is stored on it. Reads go to the built schema with itself as receiver: zod's prototype
  // members bind to the receiver, and they must bind to the schema, not to the stand-in.
  const proxy = new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // A Proxy may not report a property its target lacks as non-configurable (`_zod` is).
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  builders.set(proxy, real);
  return proxy;
}

/** The built schema behind a stand-in (building it now), or the schema itself. Schemas built
 * from other schemas take the built ones: a parse then runs through no stand-in but the
 * outermost, which matters where it repeats (thousands of stored messages on a reload). */
export function built<T extends object>(schema: T): T {
  const real = builders.get(schema);
  return real ? (real() as T) : schema;
}

/** A module's own piece of its schemas (a bounded text, a count), made on first call and
 * shared from then on, as one module-level schema was. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
