// Interoperability with an independent implementation of the Standard Webhooks spec: the
// `standardwebhooks` package verifies what `signWebhook` signs and `verifyWebhook` accepts what
// it signs, over random ids, bodies (unicode included), timestamps, skews and secrets.
import fc from "fast-check";
import { WebhookVerificationError as TheirVerificationError, Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  signWebhook,
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
  WebhookVerificationError,
} from "../src/webhook-signing/index.js";

afterEach(() => {
  vi.useRealTimers();
});

const toSecret = (key: Uint8Array) => `whsec_${Buffer.from(key).toString("base64")}`;

/** A Standard Webhooks secret: 24 to 64 random key bytes. */
const secretArb = fc.uint8Array({ minLength: 24, maxLength: 64 }).map(toSecret);

/** Ids `signWebhook` accepts: printable ASCII without space or `.`. */
const ourIdArb = fc.stringMatching(/^[\x21-\x2d\x2f-\x7e]{1,64}$/);

/** Any text, including astral code points, lone surrogates, `.` and spaces. */
const unicodeArb = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom("\ud800", "a\udfffb", "é.ü 𝄞 ✓", "", '\u0000\n\t"\\'),
);

/** A JSON webhook body, serialized compactly or indented (the exact bytes are what is signed). */
const bodyArb = fc
  .record({
    type: fc.constantFrom(...WEBHOOK_EVENT_TYPES),
    timestamp: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    data: fc.record({ text: unicodeArb, extra: fc.jsonValue({ maxDepth: 2 }) }),
    indent: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ indent, ...payload }) => JSON.stringify(payload, null, indent));

/** Unix seconds from 1970 to 2100. */
const secondsArb = fc.integer({ min: 0, max: 4_102_444_800 });
/**
 * How far the receiver's clock is from the timestamp, in ms: every value is within the 300 s
 * tolerance once the clock is floored to whole seconds (−300 000 ms up to +300 999 ms).
 */
const skewArb = fc.integer({ min: -300_000, max: 300_999 });

describe("signWebhook → standardwebhooks' Webhook.verify", () => {
  it("verifies for random ids, bodies, timestamps, skews and secrets", () => {
    fc.assert(
      fc.property(
        ourIdArb,
        bodyArb,
        secondsArb,
        skewArb,
        secretArb,
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 999 })),
        (id, body, seconds, skewMs, secret, asBytes, dateMs) => {
          // As Unix seconds, or as a Date anywhere within that second.
          const timestamp = dateMs === null ? seconds : new Date(seconds * 1000 + dateMs);
          const headers = signWebhook({
            id,
            timestamp,
            body: asBytes ? Buffer.from(body, "utf8") : body,
            secret,
          });
          expect(headers["webhook-timestamp"]).toBe(String(seconds));
          // Their verify reads Date.now(): put the clock where the receiver is.
          vi.useFakeTimers({ toFake: ["Date"] });
          vi.setSystemTime(seconds * 1000 + skewMs);
          const got = new Webhook(secret).verify(body, { ...headers });
          vi.useRealTimers();
          expect(got).toEqual(JSON.parse(body));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("verifies when we sign with several secrets and they hold any one of them", () => {
    fc.assert(
      fc.property(
        ourIdArb,
        bodyArb,
        fc.array(secretArb, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (id, body, secrets, pick) => {
          const now = new Date();
          const headers = signWebhook({ id, timestamp: now, body, secret: secrets });
          expect(headers["webhook-signature"].split(" ")).toHaveLength(secrets.length);
          const theirs = secrets[pick % secrets.length] as string;
          expect(new Webhook(theirs).verify(body, { ...headers })).toEqual(JSON.parse(body));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("is refused by them when the body, id or timestamp was changed after signing", () => {
    fc.assert(
      fc.property(
        ourIdArb,
        bodyArb,
        secretArb,
        fc.constantFrom("body", "id", "timestamp"),
        (id, body, secret, what) => {
          const seconds = Math.floor(Date.now() / 1000);
          const headers = { ...signWebhook({ id, timestamp: seconds, body, secret }) };
          let sent = body;
          if (what === "body") sent = `${body} `;
          if (what === "id") headers["webhook-id"] = `${id}x`;
          if (what === "timestamp") headers["webhook-timestamp"] = String(seconds - 1);
          expect(() => new Webhook(secret).verify(sent, headers)).toThrow(TheirVerificationError);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("standardwebhooks' Webhook.sign → verifyWebhook", () => {
  it("verifies for random ids (any unicode), bodies, timestamps, skews and secrets", () => {
    fc.assert(
      fc.property(
        unicodeArb.filter((s) => s.length > 0),
        bodyArb,
        fc.integer({ min: 0, max: 4_102_444_800_999 }),
        skewArb,
        secretArb,
        fc.boolean(),
        (id, body, ms, skewMs, secret, asBytes) => {
          const date = new Date(ms);
          const payload = asBytes ? Buffer.from(body, "utf8") : body;
          const signature = new Webhook(secret).sign(id, date, payload);
          const headers = {
            "webhook-id": id,
            "webhook-timestamp": String(Math.floor(ms / 1000)),
            "webhook-signature": signature,
          };
          // The receiver's clock within the tolerance of the (whole-second) timestamp.
          const now = new Date(Math.floor(ms / 1000) * 1000 + skewMs);
          expect(verifyWebhook(payload, headers, secret, { now })).toEqual(JSON.parse(body));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("verifies when their header lists signatures by other secrets too, in any order", () => {
    fc.assert(
      fc.property(
        ourIdArb,
        bodyArb,
        secretArb,
        fc.array(secretArb, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        (id, body, secret, others, at) => {
          const now = new Date();
          const signatures = others.map((s) => new Webhook(s).sign(id, now, body));
          signatures.splice(
            at % (signatures.length + 1),
            0,
            new Webhook(secret).sign(id, now, body),
          );
          const headers = {
            "webhook-id": id,
            "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
            "webhook-signature": signatures.join(" "),
          };
          expect(verifyWebhook(body, headers, secret, { now })).toEqual(JSON.parse(body));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses their signature under a different secret", () => {
    fc.assert(
      fc.property(ourIdArb, bodyArb, secretArb, secretArb, (id, body, signer, holder) => {
        fc.pre(signer !== holder);
        const now = new Date();
        const headers = {
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": new Webhook(signer).sign(id, now, body),
        };
        let code: string | undefined;
        try {
          verifyWebhook(body, headers, holder, { now });
        } catch (e) {
          expect(e).toBeInstanceOf(WebhookVerificationError);
          code = (e as WebhookVerificationError).code;
        }
        expect(code).toBe("invalid_signature");
      }),
      { numRuns: 100 },
    );
  });
});

describe("the two implementations sign identically", () => {
  it("produces the same v1 signature for the same id, timestamp, body and secret", () => {
    fc.assert(
      fc.property(ourIdArb, bodyArb, secondsArb, secretArb, (id, body, seconds, secret) => {
        const ours = signWebhook({ id, timestamp: seconds, body, secret })["webhook-signature"];
        expect(ours).toBe(new Webhook(secret).sign(id, new Date(seconds * 1000), body));
      }),
      { numRuns: 300 },
    );
  });
});
