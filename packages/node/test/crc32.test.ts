import * as zlib from "node:zlib";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32, crc32Js } from "../src/outbox/crc32.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("crc32", () => {
  it("matches the standard check values", () => {
    for (const f of [crc32, crc32Js]) {
      expect(f(bytes("123456789"))).toBe(0xcbf43926);
      expect(f(new Uint8Array(0))).toBe(0);
      expect(f(bytes("The quick brown fox jumps over the lazy dog"))).toBe(0x414fa339);
    }
  });

  it("the JavaScript fallback agrees with the native one on any input (property)", () => {
    const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
    const reference = typeof native === "function" ? native : crc32;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (data) => {
        expect(crc32Js(data)).toBe(reference(data));
      }),
    );
  });
});
