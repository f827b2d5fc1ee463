interface WebCrypto {
  getRandomValues(array: Uint8Array): Uint8Array;
}

// Random bytes are drawn 4 KiB at a time: one getRandomValues call per 409 ids instead of one
// per id, which made id generation the dominant cost of an enqueue.
let pool: Uint8Array = new Uint8Array(0);
let offset = 0;

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
  // 12 hex digits of time, then 20 of randomness, of which the version and variant replace 6 bits.
  let h = (Math.max(0, Math.floor(now)) % 2 ** 48).toString(16).padStart(12, "0");
  for (const b of pool.subarray(offset, offset + 10)) h += (256 + b).toString(16).slice(1);
  offset += 10;
  const variant = (8 | (Number.parseInt(h[16] as string, 16) & 3)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}
