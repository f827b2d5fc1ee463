/** The part of the Web Storage API the storage queue uses. */
export type StorageLike = Pick<Storage, "length" | "key" | "getItem" | "setItem" | "removeItem">;

/**
 * A `Storage` in memory, for the queue's last fallback: the localStorage store runs over it,
 * so the browser bundles carry one queue implementation for both (docs/size.md). Nothing in it
 * survives the page, and it never refuses a write.
 */
export function memoryStorage(): StorageLike {
  const map = new Map<string, string>();
  // The store lists every key once per read: a list kept until the next write makes that
  // linear, not quadratic, in the number of waiting items.
  let keys: string[] | undefined;
  return {
    get length() {
      return map.size;
    },
    key(i) {
      keys ??= [...map.keys()];
      return keys[i] ?? null;
    },
    getItem: (key) => map.get(key) ?? null,
    setItem(key, value) {
      if (!map.has(key)) keys = undefined;
      map.set(key, value);
    },
    removeItem(key) {
      if (map.delete(key)) keys = undefined;
    },
  };
}
