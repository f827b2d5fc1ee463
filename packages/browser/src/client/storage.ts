/**
 * A small JSON key-value view of `localStorage` under one prefix. Its names end in `_`:
 * internal, shortened by the build (docs/size.md).
 */
export interface KeyValue {
  get_<T>(key: string): T | undefined;
  set_(key: string, value: unknown): void;
  remove_(key: string): void;
}

/**
 * `localStorage` under `prefix`, never throwing: storage that is missing, full or blocked
 * (Safari private mode, a sandboxed iframe) degrades to memory for this page, so fatigue and
 * resume are weaker but nothing breaks the host page.
 */
export function keyValue(prefix: string): KeyValue {
  // Memory is read first: it holds what storage refused to take, newer than what storage has.
  const memory = new Map<string, string>();
  const quietly = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch {
      return undefined;
    }
  };
  return {
    get_: (key) =>
      quietly(
        () =>
          JSON.parse(
            (memory.get(prefix + key) ?? globalThis.localStorage.getItem(prefix + key)) as string,
          ) ?? undefined,
      ),
    set_(key, value) {
      const raw = JSON.stringify(value);
      try {
        globalThis.localStorage.setItem(prefix + key, raw);
        memory.delete(prefix + key);
      } catch {
        memory.set(prefix + key, raw);
      }
    },
    remove_(key) {
      memory.delete(prefix + key);
      quietly(() => globalThis.localStorage.removeItem(prefix + key));
    },
  };
}
