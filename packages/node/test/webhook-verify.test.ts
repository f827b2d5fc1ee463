import { createHmac } from "node:crypto";
import { CloseloopError, ValidationError } from "@closeloop/core";
import { describe, expect, it } from "vitest";
import {
  generateWebhookSecret,
  parseWebhookSecret,
  signWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  WebhookSecretError,
  WebhookVerificationError,
  type WebhookVerificationErrorCode,
} from "../src/webhook-signing/index.js";

const SECRET = generateWebhookSecret();
const ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const NOW = new Date(T * 1000);
const PAYLOAD = {
  type: "customer.at_risk",
  timestamp: "2026-01-01T00:00:00.000Z",
  data: {
    customerId: "cus_1",
    reason: "score_drop",
    at: "2026-01-01T00:00:00.000Z",
    from: 9,
    to: 2,
  },
};
const BODY = JSON.stringify(PAYLOAD);

type HeaderRecord = Record<string, string | string[] | undefined>;

function signed(over: { id?: string; timestamp?: number; body?: string; secret?: string } = {}) {
  return {
    ...signWebhook({
      id: over.id ?? ID,
      timestamp: over.timestamp ?? T,
      body: over.body ?? BODY,
      secret: over.secret ?? SECRET,
    }),
  } as HeaderRecord;
}

/** The error verifyWebhook throws, or a failure if it returns. */
function failure(
  body: string | Uint8Array,
  headers: Parameters<typeof verifyWebhook>[1],
  secret: string | string[] = SECRET,
  options: VerifyWebhookOptions = { now: NOW },
): WebhookVerificationError {
  try {
    verifyWebhook(body, headers, secret, options);
  } catch (e) {
    expect(e).toBeInstanceOf(WebhookVerificationError);
    return e as WebhookVerificationError;
  }
  throw new Error("verifyWebhook accepted it");
}

function codeOf(...args: Parameters<typeof failure>): WebhookVerificationErrorCode {
  return failure(...args).code;
}

/** A v1 signature made by hand with node:crypto, independently of signWebhook. */
function handSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  return createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
}

describe("verifyWebhook accepts", () => {
  it("a signed body and returns its parsed payload", () => {
    expect(verifyWebhook(BODY, signed(), SECRET, { now: NOW })).toEqual(PAYLOAD);
  });

  it("a signature computed by hand as HMAC-SHA256(key, id.timestamp.body)", () => {
    const headers = {
      "webhook-id": ID,
      "webhook-timestamp": String(T),
      "webhook-signature": `v1,${handSignature(SECRET, ID, T, BODY)}`,
    };
    expect(verifyWebhook(BODY, headers, SECRET, { now: NOW })).toEqual(PAYLOAD);
  });

  it("the body as a Buffer or a plain Uint8Array", () => {
    const bytes = new TextEncoder().encode(BODY);
    expect(verifyWebhook(bytes, signed(), SECRET, { now: NOW })).toEqual(PAYLOAD);
    expect(verifyWebhook(Buffer.from(BODY), signed(), SECRET, { now: NOW })).toEqual(PAYLOAD);
  });

  it("web Headers", () => {
    const headers = new Headers(signed() as Record<string, string>);
    expect(verifyWebhook(BODY, headers, SECRET, { now: NOW })).toEqual(PAYLOAD);
  });

  it("a record in any letter case, and node's string[] values", () => {
    const h = signed();
    const upper: HeaderRecord = {
      "Webhook-Id": h["webhook-id"],
      "WEBHOOK-TIMESTAMP": h["webhook-timestamp"],
      "webhook-Signature": [h["webhook-signature"] as string],
      "content-type": "application/json",
    };
    expect(verifyWebhook(BODY, upper, SECRET, { now: NOW })).toEqual(PAYLOAD);
  });

  it("a timestamp exactly 300 s old or 300 s ahead (the tolerance is inclusive)", () => {
    expect(verifyWebhook(BODY, signed({ timestamp: T - 300 }), SECRET, { now: NOW })).toEqual(
      PAYLOAD,
    );
    expect(verifyWebhook(BODY, signed({ timestamp: T + 300 }), SECRET, { now: NOW })).toEqual(
      PAYLOAD,
    );
    // Sub-second parts of now do not count: 300.999 s is still 300 whole seconds.
    const late = new Date(NOW.getTime() + 999);
    expect(verifyWebhook(BODY, signed({ timestamp: T - 300 }), SECRET, { now: late })).toEqual(
      PAYLOAD,
    );
  });

  it("several signatures when any one is valid (key rotation), wherever it stands", () => {
    const good = signed()["webhook-signature"] as string;
    const bad1 = signed({ secret: generateWebhookSecret() })["webhook-signature"] as string;
    const bad2 = signed({ secret: generateWebhookSecret() })["webhook-signature"] as string;
    for (const list of [
      [good, bad1, bad2],
      [bad1, good, bad2],
      [bad1, bad2, good],
    ]) {
      const headers = { ...signed(), "webhook-signature": list.join(" ") };
      expect(verifyWebhook(BODY, headers, SECRET, { now: NOW })).toEqual(PAYLOAD);
    }
  });

  it("a repeated webhook-signature header, as node:http and fetch join it", () => {
    const good = signed()["webhook-signature"] as string;
    const bad = signed({ secret: generateWebhookSecret() })["webhook-signature"] as string;
    for (const [first, second] of [
      [bad, good],
      [good, bad],
    ] as const) {
      const web = new Headers({ "webhook-id": ID, "webhook-timestamp": String(T) });
      web.append("webhook-signature", first);
      web.append("webhook-signature", second);
      expect(web.get("webhook-signature")).toBe(`${first}, ${second}`);
      expect(verifyWebhook(BODY, web, SECRET, { now: NOW })).toEqual(PAYLOAD);
      // node:http joins a repeated unknown header the same way.
      const node = { ...signed(), "webhook-signature": `${first}, ${second}` };
      expect(verifyWebhook(BODY, node, SECRET, { now: NOW })).toEqual(PAYLOAD);
    }
    const record = { ...signed(), "webhook-signature": [good, bad] };
    expect(verifyWebhook(BODY, record, SECRET, { now: NOW })).toEqual(PAYLOAD);
  });

  it("signatures of other versions next to a valid v1, ignoring them", () => {
    const good = signed()["webhook-signature"] as string;
    const headers = {
      ...signed(),
      "webhook-signature": `v2,${"A".repeat(44)} v1a,${"B".repeat(88)} garbage ${good}`,
    };
    expect(verifyWebhook(BODY, headers, SECRET, { now: NOW })).toEqual(PAYLOAD);
  });

  it("any of several secrets the receiver holds (its side of a rotation)", () => {
    const old = generateWebhookSecret();
    const headers = signed({ secret: old });
    expect(verifyWebhook(BODY, headers, [SECRET, old], { now: NOW })).toEqual(PAYLOAD);
    expect(codeOf(BODY, headers, [SECRET])).toBe("invalid_signature");
  });

  it("a signature from signWebhook with several secrets, under each of them", () => {
    const other = generateWebhookSecret();
    const headers = signWebhook({ id: ID, timestamp: T, body: BODY, secret: [SECRET, other] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verifyWebhook(BODY, headers, SECRET, { now: NOW })).toEqual(PAYLOAD);
    expect(verifyWebhook(BODY, headers, other, { now: NOW })).toEqual(PAYLOAD);
  });

  it("with the system clock when no now is given", () => {
    const headers = signWebhook({ id: ID, timestamp: new Date(), body: BODY, secret: SECRET });
    expect(verifyWebhook(BODY, headers, SECRET)).toEqual(PAYLOAD);
  });
});

describe("verifyWebhook refuses, with a stable code", () => {
  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])(
    "missing_header when %s is absent, empty or undefined",
    (name) => {
      const without = signed();
      delete without[name];
      const e = failure(BODY, without);
      expect(e.code).toBe("missing_header");
      expect(e.message).toContain(name);
      expect(codeOf(BODY, { ...signed(), [name]: "" })).toBe("missing_header");
      expect(codeOf(BODY, { ...signed(), [name]: undefined })).toBe("missing_header");
      expect(codeOf(BODY, { ...signed(), [name]: [] })).toBe("missing_header");
      const web = new Headers(signed() as Record<string, string>);
      web.delete(name);
      expect(codeOf(BODY, web)).toBe("missing_header");
    },
  );

  it("missing_header naming every missing header", () => {
    const e = failure(BODY, {});
    expect(e.code).toBe("missing_header");
    expect(e.message).toContain("webhook-id, webhook-timestamp, webhook-signature");
  });

  it.each([
    "abc",
    "1.5",
    "-1",
    "+1767225600",
    "01767225600",
    "1e9",
    " 1767225600",
    "99999999999999999",
  ])("invalid_timestamp for webhook-timestamp %j", (value) => {
    expect(codeOf(BODY, { ...signed(), "webhook-timestamp": value })).toBe("invalid_timestamp");
  });

  it("timestamp_too_old 301 s in the past, timestamp_too_new 301 s in the future", () => {
    const old = failure(BODY, signed({ timestamp: T - 301 }));
    expect(old.code).toBe("timestamp_too_old");
    expect(old.message).toContain("301");
    expect(codeOf(BODY, signed({ timestamp: T + 301 }))).toBe("timestamp_too_new");
  });

  it("honours toleranceSeconds", () => {
    const opts = { now: NOW, toleranceSeconds: 10 };
    expect(verifyWebhook(BODY, signed({ timestamp: T - 10 }), SECRET, opts)).toEqual(PAYLOAD);
    expect(codeOf(BODY, signed({ timestamp: T - 11 }), SECRET, opts)).toBe("timestamp_too_old");
    expect(codeOf(BODY, signed({ timestamp: T + 11 }), SECRET, opts)).toBe("timestamp_too_new");
    const zero = { now: NOW, toleranceSeconds: 0 };
    expect(verifyWebhook(BODY, signed(), SECRET, zero)).toEqual(PAYLOAD);
    expect(codeOf(BODY, signed({ timestamp: T - 1 }), SECRET, zero)).toBe("timestamp_too_old");
  });

  it("invalid_signature for a tampered body", () => {
    expect(codeOf(`${BODY} `, signed())).toBe("invalid_signature");
    expect(codeOf(BODY.replace("score_drop", "score_dip"), signed())).toBe("invalid_signature");
    expect(codeOf(JSON.stringify(PAYLOAD, null, 2), signed())).toBe("invalid_signature");
  });

  it("invalid_signature for a tampered id", () => {
    expect(codeOf(BODY, { ...signed(), "webhook-id": `${ID}2` })).toBe("invalid_signature");
  });

  it("invalid_signature for a tampered timestamp, even one within the tolerance", () => {
    expect(codeOf(BODY, { ...signed(), "webhook-timestamp": String(T + 1) })).toBe(
      "invalid_signature",
    );
  });

  it("invalid_signature for a signature made with another secret", () => {
    expect(codeOf(BODY, signed({ secret: generateWebhookSecret() }))).toBe("invalid_signature");
  });

  it("invalid_signature when the only valid signature is labelled v2 (or v1a)", () => {
    const sig = handSignature(SECRET, ID, T, BODY);
    expect(
      verifyWebhook(BODY, { ...signed(), "webhook-signature": `v1,${sig}` }, SECRET, { now: NOW }),
    ).toEqual(PAYLOAD);
    expect(codeOf(BODY, { ...signed(), "webhook-signature": `v2,${sig}` })).toBe(
      "invalid_signature",
    );
    expect(codeOf(BODY, { ...signed(), "webhook-signature": `v1a,${sig}` })).toBe(
      "invalid_signature",
    );
    expect(codeOf(BODY, { ...signed(), "webhook-signature": sig })).toBe("invalid_signature");
  });

  it("invalid_signature for a signature that is not the canonical base64 of the HMAC", () => {
    const sig = handSignature(SECRET, ID, T, BODY);
    for (const variant of [
      sig.replace(/=$/, ""), // unpadded
      sig.replaceAll("+", "-").replaceAll("/", "_"), // base64url
      `${sig}=`,
      Buffer.from(sig, "base64").toString("hex"),
      "",
    ]) {
      if (variant === sig) continue; // base64url of a signature without + or /
      expect(codeOf(BODY, { ...signed(), "webhook-signature": `v1,${variant}` })).toBe(
        "invalid_signature",
      );
    }
  });

  it.each([
    ["no whsec_ prefix", SECRET.slice("whsec_".length)],
    ["another prefix", SECRET.replace("whsec_", "whsek_")],
    ["an upper-case prefix", SECRET.replace("whsec_", "WHSEC_")],
    ["an API key", "sk_live_0123456789abcdef0123456789abcdef"],
    ["not base64", "whsec_not*base64!!"],
    ["unpadded base64", SECRET.replace(/=+$/, "")],
    ["whitespace", `${SECRET}\n`],
    ["a 16-byte key", `whsec_${Buffer.alloc(16, 1).toString("base64")}`],
    ["a 65-byte key", `whsec_${Buffer.alloc(65, 1).toString("base64")}`],
    ["non-canonical base64", `whsec_${"A".repeat(32)}AB==`],
    ["an empty key", "whsec_"],
    ["the empty string", ""],
  ])("invalid_secret for a secret with %s, before looking at the request", (_, secret) => {
    const e = failure(BODY, signed(), secret);
    expect(e.code).toBe("invalid_secret");
    expect(e.cause).toBeInstanceOf(WebhookSecretError);
    if (secret.length > 6) expect(e.message).not.toContain(secret.trim());
    // The secret is configuration: checked first, whatever the request.
    expect(codeOf(BODY, {}, secret)).toBe("invalid_secret");
  });

  it("invalid_secret for an empty list of secrets", () => {
    expect(codeOf(BODY, signed(), [])).toBe("invalid_secret");
  });

  it.each([
    ["not JSON", "not json"],
    ["truncated JSON", BODY.slice(0, -1)],
    ["empty", ""],
    ["a JSON array", "[]"],
    ["JSON null", "null"],
    ["a JSON string", '"loop.closed"'],
    ["an object without type", JSON.stringify({ timestamp: "t", data: {} })],
    ["an object without data", JSON.stringify({ type: "loop.closed", timestamp: "t" })],
    ["an object with a numeric timestamp", JSON.stringify({ type: "x", timestamp: 1, data: {} })],
  ])("invalid_body for a correctly signed body that is %s", (_, body) => {
    expect(codeOf(body, signed({ body }))).toBe("invalid_body");
  });

  it("invalid_body for correctly signed bytes that are not UTF-8", () => {
    const bytes = Buffer.concat([
      Buffer.from('{"type":"x","timestamp":"t","data":{"a":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ]);
    const headers = signWebhook({ id: ID, timestamp: T, body: bytes, secret: SECRET });
    expect(codeOf(bytes, headers)).toBe("invalid_body");
  });

  it("checks the signature before the body: a tampered non-JSON body is invalid_signature", () => {
    expect(codeOf("not json", signed())).toBe("invalid_signature");
  });

  it("throws errors that are CloseloopErrors named after their class", () => {
    const e = failure(BODY, {});
    expect(e).toBeInstanceOf(CloseloopError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("WebhookVerificationError");
  });
});

describe("verifyWebhook refuses a programming error with a ValidationError", () => {
  it("a parsed body instead of the raw one", () => {
    expect(() =>
      verifyWebhook(PAYLOAD as unknown as string, signed(), SECRET, { now: NOW }),
    ).toThrow(ValidationError);
  });

  it("no headers at all", () => {
    expect(() =>
      verifyWebhook(BODY, undefined as unknown as Headers, SECRET, { now: NOW }),
    ).toThrow(ValidationError);
  });

  it("a negative or NaN tolerance, or an invalid now", () => {
    expect(() => verifyWebhook(BODY, signed(), SECRET, { now: NOW, toleranceSeconds: -1 })).toThrow(
      ValidationError,
    );
    expect(() =>
      verifyWebhook(BODY, signed(), SECRET, { now: NOW, toleranceSeconds: Number.NaN }),
    ).toThrow(ValidationError);
    expect(() => verifyWebhook(BODY, signed(), SECRET, { now: new Date(Number.NaN) })).toThrow(
      ValidationError,
    );
  });
});

describe("signWebhook", () => {
  it("returns the three headers with v1 and the hand-computed HMAC", () => {
    expect(signWebhook({ id: ID, timestamp: T, body: BODY, secret: SECRET })).toEqual({
      "webhook-id": ID,
      "webhook-timestamp": String(T),
      "webhook-signature": `v1,${handSignature(SECRET, ID, T, BODY)}`,
    });
  });

  it("matches a fixed test vector", () => {
    // HMAC-SHA256 with the 32-byte key 0x00…0x1f over "msg_1.1700000000.{}", computed
    // independently (openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1f | base64).
    const secret = `whsec_${Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("base64")}`;
    expect(
      signWebhook({ id: "msg_1", timestamp: 1_700_000_000, body: "{}", secret })[
        "webhook-signature"
      ],
    ).toBe("v1,fhksJF5ElKjlPoT/jtefCO5XjQPvhf7Dhf/8R1ad9yU=");
  });

  it("takes a Date as its whole Unix seconds", () => {
    const fromDate = signWebhook({
      id: ID,
      timestamp: new Date(T * 1000 + 999),
      body: BODY,
      secret: SECRET,
    });
    expect(fromDate).toEqual(signWebhook({ id: ID, timestamp: T, body: BODY, secret: SECRET }));
  });

  it("signs bytes and the same text identically", () => {
    const text = '{"type":"x","timestamp":"t","data":{"s":"é 𝄞"}}';
    expect(signWebhook({ id: ID, timestamp: T, body: Buffer.from(text), secret: SECRET })).toEqual(
      signWebhook({ id: ID, timestamp: T, body: text, secret: SECRET }),
    );
  });

  it.each(["", "msg.1", "msg 1", "msg\n1", "méssage"])("refuses the id %j", (id) => {
    expect(() => signWebhook({ id, timestamp: T, body: BODY, secret: SECRET })).toThrow(
      ValidationError,
    );
  });

  it.each([
    ["a fraction", 1.5],
    ["a negative number", -1],
    ["NaN", Number.NaN],
    ["an invalid Date", new Date(Number.NaN)],
    ["a Date before 1970", new Date(-1000)],
  ])("refuses %s as timestamp", (_, timestamp) => {
    expect(() => signWebhook({ id: ID, timestamp, body: BODY, secret: SECRET })).toThrow(
      ValidationError,
    );
  });

  it("refuses a malformed secret with a WebhookSecretError, and no secrets at all", () => {
    expect(() => signWebhook({ id: ID, timestamp: T, body: BODY, secret: "sk_x" })).toThrow(
      WebhookSecretError,
    );
    expect(() => signWebhook({ id: ID, timestamp: T, body: BODY, secret: [] })).toThrow(
      ValidationError,
    );
  });
});

describe("webhook secrets", () => {
  it("generates whsec_ + base64 of 32 random bytes, different every time", () => {
    const made = new Set(Array.from({ length: 100 }, generateWebhookSecret));
    expect(made.size).toBe(100);
    for (const s of made) {
      expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(parseWebhookSecret(s)).toHaveLength(32);
    }
  });

  it("parses to the base64-decoded key bytes", () => {
    const key = Buffer.from(Array.from({ length: 40 }, (_, i) => 255 - i));
    expect(Buffer.from(parseWebhookSecret(`whsec_${key.toString("base64")}`))).toEqual(key);
  });

  it("accepts 24 and 64 bytes, the Standard Webhooks bounds", () => {
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(24, 7).toString("base64")}`)).toHaveLength(24);
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(64, 7).toString("base64")}`)).toHaveLength(64);
  });

  it("throws a WebhookSecretError with code invalid_secret for a malformed one", () => {
    let caught: unknown;
    try {
      parseWebhookSecret("whsec_abc");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WebhookSecretError);
    expect(caught).toBeInstanceOf(CloseloopError);
    expect((caught as WebhookSecretError).code).toBe("invalid_secret");
    expect((caught as WebhookSecretError).name).toBe("WebhookSecretError");
  });
});
