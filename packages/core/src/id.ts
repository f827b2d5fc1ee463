interface WebCrypto {
  getRandomValues(array: Uint8Array): Uint8Array;
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds then random bits, so ids sort by
 * creation time. Uses the Web Crypto API present in browsers and Node 20.
 *
 * @example uuidv7() // "019a5f0e-8c1d-7b3e-9f2a-4c6d8e0a1b2c"
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  (globalThis as unknown as { crypto: WebCrypto }).crypto.getRandomValues(bytes);
  let ms = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
