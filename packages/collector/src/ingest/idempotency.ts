// An item's idempotency key, and what it was first sent with. A retry resends the very item, so a
// key that arrives again with other content is not a retry but a client bug (a key reused for a
// new item): answering it `duplicate` would drop that item silently, so it is refused instead.
import * as crypto from "node:crypto";
import { type IngestContext, type ItemOutcome, ItemRejection } from "./context.js";

/** An item's key and the digest of its type and data, as the batch carried them. */
export interface ItemKey {
  key: string;
  digest: string;
}

/**
 * JSON with every object's keys sorted: the same content, however a client ordered it (exported
 * for its tests).
 */
export function canonical(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonical(value[i]);
    return `${out}]`;
  }
  const o = value as Record<string, unknown>;
  let out = "";
  for (const k of Object.keys(o).sort()) {
    if (o[k] === undefined) continue;
    out += `${out ? "," : ""}${JSON.stringify(k)}:${canonical(o[k])}`;
  }
  return `{${out}}`;
}

/** The key of one batch item, with the SHA-256 of its type and data. */
export function itemKey(type: string, key: string, data: unknown): ItemKey {
  return { key, digest: sha256(canonical([type, data])) };
}

/** SHA-256 in base64url: `crypto.hash` (Node 20.12+) skips a Hash object per item. */
const sha256: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "base64url")
    : (text) => crypto.createHash("sha256").update(text).digest("base64url");

/**
 * Claims `item`'s key for the record the item produces. Answers `undefined` when the key is new
 * (the caller then writes the item), the first outcome as a duplicate when the same item was
 * taken before, and refuses the item when the key was taken by other content. Call it only once
 * the item is known good: a rejected item must leave its key free for a corrected resend.
 */
export async function claimKey(
  ctx: IngestContext,
  item: ItemKey,
  record: { type: string; id: string },
): Promise<ItemOutcome | undefined> {
  const first = await ctx.tx.claimIdempotency(
    ctx.envId,
    item.key,
    { ...record, digest: item.digest },
    ctx.now,
  );
  if (!first) return undefined;
  // Keys claimed before digests were kept (schema step 7) have none: taken as the same item.
  if (first.digest !== undefined && first.digest !== item.digest) {
    throw new ItemRejection(
      "idempotency_conflict",
      `idempotencyKey ${JSON.stringify(item.key)} was used before for another item (${first.type} ${first.id}); a retry must resend the same item, a new item needs a new key`,
      [{ path: "idempotencyKey", code: "conflict", message: "used before for another item" }],
    );
  }
  return { id: first.id, duplicate: true };
}
