// The signature comparison goes through crypto.timingSafeEqual on equal-length buffers, for a
// near miss at either end alike: asserted on the calls, not by measuring time.
import * as crypto from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
} from "../src/webhook-signing/index.js";

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const spy = vi.mocked(crypto.timingSafeEqual);

const SECRET = generateWebhookSecret();
const T = 1_767_225_600;
const NOW = new Date(T * 1000);
const BODY = JSON.stringify({ type: "loop.closed", timestamp: "2026-01-01T00:00:00Z", data: {} });
const HEADERS = signWebhook({ id: "msg_1", timestamp: T, body: BODY, secret: SECRET });
const SIGNATURE = HEADERS["webhook-signature"].slice("v1,".length);

/** The signature with one byte of its HMAC changed, re-encoded. */
function withByteFlipped(index: number): string {
  const bytes = Buffer.from(SIGNATURE, "base64");
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString("base64");
}

function codeFor(signature: string): string | undefined {
  try {
    verifyWebhook(BODY, { ...HEADERS, "webhook-signature": `v1,${signature}` }, SECRET, {
      now: NOW,
    });
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(WebhookVerificationError);
    return (e as WebhookVerificationError).code;
  }
}

beforeEach(() => {
  spy.mockClear();
});

describe("signature comparison", () => {
  it("accepts the valid signature through timingSafeEqual", () => {
    expect(codeFor(SIGNATURE)).toBeUndefined();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.results[0]?.value).toBe(true);
  });

  it.each([
    ["first", 0],
    ["last", 31],
  ])(
    "refuses a signature differing only in its %s byte, via timingSafeEqual on equal lengths",
    (_, index) => {
      const near = withByteFlipped(index);
      expect(near).not.toBe(SIGNATURE);
      expect(near).toHaveLength(SIGNATURE.length);
      expect(codeFor(near)).toBe("invalid_signature");
      expect(spy).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0] as [Uint8Array, Uint8Array];
      expect(a.byteLength).toBe(b.byteLength);
      expect(a.byteLength).toBe(SIGNATURE.length);
      expect(spy.mock.results[0]?.value).toBe(false);
    },
  );

  it("gives the same code for a first-byte and a last-byte near miss", () => {
    expect(codeFor(withByteFlipped(0))).toBe(codeFor(withByteFlipped(31)));
  });

  it("compares every v1 candidate in constant time, not stopping at the first mismatch", () => {
    const list = [withByteFlipped(0), withByteFlipped(31), SIGNATURE].map((s) => `v1,${s}`);
    const headers = { ...HEADERS, "webhook-signature": list.join(" ") };
    expect(verifyWebhook(BODY, headers, SECRET, { now: NOW })).toEqual(JSON.parse(BODY));
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it("refuses a signature of another length without calling timingSafeEqual (which would throw)", () => {
    expect(codeFor(SIGNATURE.slice(0, -2))).toBe("invalid_signature");
    expect(codeFor(`${SIGNATURE}AAAA`)).toBe("invalid_signature");
    expect(spy).not.toHaveBeenCalled();
  });
});
