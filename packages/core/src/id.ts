interface WebCrypto {
  getRandomValues(array: Uint8Array): Uint8Array;
}

// Random bytes are drawn 4 KiB at a time: one getRandomValues call per 409 ids instead of one
// per id, which made id generation the dominant cost of an enqueue.
let pool: Uint8Array = new Uint8Array(0);
let offset = 0;
// Each byte's two hex digits, looked up rather than formatted per id.
const HEX = Array.from({ length: 256 }, (_, b) => (b + 256).toString(16).slice(1));
const VARIANT = "89ab";

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds then random bits, so ids sort by
 * creation time. Uses the Web Crypto API present in browsers and Node 20.
 *
 * @example uuidv7() // "019a5f0e-8c1d-7b3e-9f2a-4c6d8e0a1b2c"
 */
export function uuidv7(now: number = Date.now()): string {
  if (offset + 10 > pool.length) {
    pool = (globalThis as unknown as { crypto: WebCrypto }).crypto.getRandomValues(
      new Uint8Array(4096),
    );
    offset = 0;
  }
  const r = pool;
  const o = offset;
  offset += 10;
  // 12 hex digits of time, then 20 of randomness (10 bytes), of which the version (7) replaces
  // the first nibble of byte 0 and the variant (10xx) the top two bits of byte 2.
  const t = (Math.max(0, Math.floor(now)) % 2 ** 48).toString(16).padStart(12, "0");
  const hex = (i: number) => HEX[r[o + i] as number] as string;
  return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(0)[1]}${hex(1)}-${VARIANT[((r[o + 2] as number) >> 4) & 3]}${hex(2)[1]}${hex(3)}-${hex(4)}${hex(5)}${hex(6)}${hex(7)}${hex(8)}${hex(9)}`;
}
