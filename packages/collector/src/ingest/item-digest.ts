import type { StoreTx } from "../store/types.js";
import { ItemRejection } from "./context.js";

/**
 * What an idempotency key is bound to: a 64-bit hash (16 hex digits) of the item's type and its
 * data as JSON, keys in the order sent — a retry resends the very item its outbox kept
 * (docs/collector.md, `POST /v1/batch`). Two 32-bit multiply-xor lanes over the text rather than
 * SHA-256: this runs for every item of every batch, and `createHash("sha256")` per item cost
 * about twice as much as this. It guards against a key reused by mistake, not an adversary:
 * whoever holds a key can send any item anyway.
 */
export function itemDigest(type: string, data: unknown): string {
  const text = `${type}\n${JSON.stringify(data)}`;
  let a = 0x811c9dc5;
  let b = 0x9e3779b9 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/**
 * `tx` for one item: its idempotency claim records `digest`, and a key first used for other
 * content rejects the item (`idempotency_key_reused`) instead of answering the first item's id as
 * if this one had been stored. A record without a digest (kept before digests were) matches.
 */
export function bindingKeyTo(tx: StoreTx, digest: string): StoreTx {
  return {
    ...tx,
    async claimIdempotency(envId, key, record, at) {
      const first = await tx.claimIdempotency(envId, key, { ...record, digest }, at);
      if (first?.digest !== undefined && first.digest !== digest) {
        throw new ItemRejection(
          "idempotency_key_reused",
          "This idempotencyKey was first sent with other content: a new item needs a new key",
          [{ path: "idempotencyKey", code: "idempotency_key_reused", message: "already used" }],
        );
      }
      return first;
    },
  };
}
