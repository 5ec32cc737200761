/**
 * A part of the client loaded when first needed (live.ts: the socket and what comes with
 * it). Loads are shared: callers during a load wait for the same one, and a part loaded
 * once stays. A failed load is not remembered, so the next call tries again.
 */

/** A part of the chat's code could not be loaded (offline, or the file is missing beside
 * the script): what needed it waits, and the load is tried again. */
export class PartLoadError extends Error {
  readonly code = 'part_unavailable';
  override readonly name = 'PartLoadError';
  constructor(
    readonly part: string,
    cause: unknown,
  ) {
    super(`webchat-agent: the ${part} part could not be loaded (${(cause as Error)?.message ?? cause}).`, { cause });
  }
}

export interface LazyPart<T> {
  /** The part, loading it if needed; rejects with a PartLoadError. */
  load(): Promise<T>;
  /** The part when it is loaded, else undefined. */
  readonly loaded: T | undefined;
}

/** `importer` is handed how many loads failed before: a browser may keep a failed module
 * fetch under its URL for the page's life, so a later try asks for another URL (part-url.ts). */
export function lazyPart<T>(name: string, importer: (attempt: number) => Promise<T>): LazyPart<T> {
  let part: T | undefined;
  let loading: Promise<T> | null = null;
  let failed = 0;
  return {
    get loaded() {
      return part;
    },
    load() {
      loading ??= importer(failed).then(
        (loaded) => (part = loaded),
        (error: unknown) => {
          loading = null;
          failed++;
          throw new PartLoadError(name, error);
        },
      );
      return loading;
    },
  };
}
