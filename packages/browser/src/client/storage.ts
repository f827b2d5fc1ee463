/** A small JSON key-value view of `localStorage` under one prefix. */
export interface KeyValue {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

/**
 * `localStorage` under `prefix`, never throwing: storage that is missing, full or blocked
 * (Safari private mode, a sandboxed iframe) degrades to memory for this page, so fatigue and
 * resume are weaker but nothing breaks the host page.
 */
export function keyValue(prefix: string): KeyValue {
  const memory = new Map<string, string>();
  let ls: Storage | undefined;
  try {
    ls = globalThis.localStorage;
  } catch {}
  // Memory first: it holds what storage refused to take, newer than what storage still has.
  const read = (k: string) => {
    try {
      return memory.get(k) ?? ls?.getItem(k);
    } catch {
      return undefined;
    }
  };
  return {
    get(key) {
      try {
        const raw = read(prefix + key);
        return raw == null ? undefined : JSON.parse(raw);
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      const raw = JSON.stringify(value);
      try {
        if (!ls) throw new Error("no localStorage");
        ls.setItem(prefix + key, raw);
        memory.delete(prefix + key);
      } catch {
        memory.set(prefix + key, raw);
      }
    },
    remove(key) {
      memory.delete(prefix + key);
      try {
        ls?.removeItem(prefix + key);
      } catch {}
    },
  };
}
