import type { PeekLimit, StoredItem } from "@closeloop/core";

/**
 * Gathers a `peek` answer in queue order: `add` takes an item while it fits `limit` (at most
 * `maxItems`, and `maxBytes` unless the first item alone is larger) and says false once full.
 */
export function batch({ maxItems, maxBytes }: PeekLimit) {
  const items: StoredItem[] = [];
  let bytes = 0;
  return {
    items,
    add(s: StoredItem): boolean {
      if (items.length >= maxItems || (items.length > 0 && bytes + s.bytes > maxBytes))
        return false;
      items.push(s);
      bytes += s.bytes;
      return true;
    },
  };
}
