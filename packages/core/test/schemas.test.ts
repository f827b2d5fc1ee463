import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BatchItemSchema,
  BatchRequestSchema,
  BatchResultSchema,
  ClosureNoticeSchema,
  CustomerSchema,
  DisplaySchema,
  FeedbackSchema,
  IdSchema,
  type Issue,
  LocaleSchema,
  parse,
  ResponseSchema,
  TargetingSchema,
  TimestampSchema,
  uuidv7,
  ValidationError,
} from "../src/index.js";

/** Runs `parse` and returns the issues it threw, or fails the test when it did not throw. */
function issuesOf(schema: Parameters<typeof parse>[0], input: unknown): Issue[] {
  try {
    parse(schema, input, "thing");
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    const err = e as ValidationError;
    expect(err.code).toBe("validation_failed");
    expect(err.name).toBe("ValidationError");
    return [...err.issues];
  }
  throw new Error("expected a ValidationError");
}
const paths = (issues: Issue[]) => issues.map((i) => i.path).sort();

const response = {
  id: uuidv7(Date.parse("2026-11-23T10:00:00Z")),
  surveyId: "onboarding-nps",
  surveyVersion: 1,
  respondent: { anonymousId: "0123456789abcdef0123456789abcdef" },
  answers: { score: 3, why: "slow", plan: ["a", { other: "mine" }] },
  finished: true,
  locale: "fr",
  createdAt: "2026-11-23T10:00:00.000Z",
  idempotencyKey: "k-1",
};

describe("ResponseSchema", () => {
  it("accepts the documented response and defaults the context", () => {
    const r = parse(ResponseSchema, response, "response");
    expect(r.context).toEqual({});
    expect(r.answers).toEqual(response.answers);
  });

  it("accepts a verified respondent with a token", () => {
    const r = parse(ResponseSchema, { ...response, respondent: { id: "u-1", token: "t" } });
    expect(r.respondent).toEqual({ id: "u-1", token: "t" });
  });

  it("lists every bad field with its path, not only the first", () => {
    const issues = issuesOf(ResponseSchema, {
      ...response,
      id: "not-a-uuid",
      surveyVersion: 0,
      finished: "yes",
      createdAt: "2026-11-23 10:00",
      locale: "english language",
    });
    expect(paths(issues)).toEqual(["createdAt", "finished", "id", "locale", "surveyVersion"]);
    for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
  });

  it("refuses unknown fields, a too-short anonymous id and a __proto__ answer key", () => {
    expect(paths(issuesOf(ResponseSchema, { ...response, extra: 1 }))).toEqual(["extra"]);
    expect(
      issuesOf(ResponseSchema, { ...response, respondent: { anonymousId: "short" } }).length,
    ).toBeGreaterThan(0);
    const answers = JSON.parse('{"__proto__": 3}');
    expect(issuesOf(ResponseSchema, { ...response, answers })).toEqual([
      { path: "answers.__proto__", code: "custom", message: "__proto__ is a reserved key" },
    ]);
  });

  it("refuses a missing idempotency key and nested answer garbage", () => {
    const { idempotencyKey: _, ...withoutKey } = response;
    expect(paths(issuesOf(ResponseSchema, withoutKey))).toEqual(["idempotencyKey"]);
    const issues = issuesOf(ResponseSchema, { ...response, answers: { score: { nested: 1 } } });
    expect(issues[0]?.path.startsWith("answers")).toBe(true);
  });
});

describe("FeedbackSchema and CustomerSchema", () => {
  it("accepts a custom channel and applies the tag default", () => {
    const f = parse(FeedbackSchema, { channel: "app-store", text: "Crashes on launch" });
    expect(f.tags).toEqual([]);
    expect(f.channel).toBe("app-store");
  });

  it("names every bad field", () => {
    const issues = issuesOf(FeedbackSchema, {
      channel: "",
      text: "",
      rating: 11,
      customer: { id: "c", email: "not-an-email", value: -5 },
      tags: [""],
    });
    expect(paths(issues)).toEqual([
      "channel",
      "customer.email",
      "customer.value",
      "rating",
      "tags.0",
      "text",
    ]);
  });

  it("takes a respondent and a context exactly as a response does, naming bad fields", () => {
    const base = { channel: "in-app", text: "The export button does nothing" };
    const named = { id: "user-42", token: "t".repeat(43) };
    const anonymous = { anonymousId: "0123456789abcdef0123" };
    const context = { url: "https://shop.example/orders", userAgent: "Chromium" };
    expect(parse(FeedbackSchema, { ...base, respondent: named, context })).toMatchObject({
      respondent: named,
      context,
    });
    expect(parse(FeedbackSchema, { ...base, respondent: anonymous }).respondent).toEqual(anonymous);
    const issues = issuesOf(FeedbackSchema, {
      ...base,
      respondent: { anonymousId: "short" },
      context: { url: "u".repeat(2_001), referrer: "x" },
    });
    expect(paths(issues)).toEqual(["context.referrer", "context.url", "respondent.anonymousId"]);
  });

  it("accepts a customer with value and region", () => {
    expect(parse(CustomerSchema, { id: "c-9", value: 12_000, region: "eu" })).toEqual({
      id: "c-9",
      value: 12_000,
      region: "eu",
    });
  });
});

describe("batch wire contract", () => {
  it("accepts each item type and refuses an unknown one with its path", () => {
    for (const type of ["response", "feedback", "ack-seen", "closure-seen", "customer"]) {
      expect(parse(BatchItemSchema, { type, idempotencyKey: "k", data: {} }).type).toBe(type);
    }
    const issues = issuesOf(BatchRequestSchema, {
      items: [
        { type: "response", idempotencyKey: "a", data: {} },
        { type: "bogus", idempotencyKey: "", data: [] },
      ],
    });
    expect(paths(issues)).toEqual(["items.1.data", "items.1.idempotencyKey", "items.1.type"]);
  });

  it("refuses an empty batch and one over 1,000 items", () => {
    expect(paths(issuesOf(BatchRequestSchema, { items: [] }))).toEqual(["items"]);
    const item = { type: "feedback", idempotencyKey: "k", data: {} };
    expect(paths(issuesOf(BatchRequestSchema, { items: Array(1_001).fill(item) }))).toEqual([
      "items",
    ]);
  });

  it("reads the documented answer shape", () => {
    const body = {
      accepted: [{ index: 0, id: "r-1", duplicate: false }],
      rejected: [{ index: 1, code: "invalid", message: "bad", issues: [] }],
    };
    expect(parse(BatchResultSchema, body)).toEqual(body);
    expect(
      paths(issuesOf(BatchResultSchema, { accepted: [{ index: "0" }], rejected: [] })),
    ).toEqual(["accepted.0.duplicate", "accepted.0.id", "accepted.0.index"]);
  });
});

describe("ClosureNoticeSchema", () => {
  it("accepts a notice and refuses one without a message", () => {
    const notice = {
      id: "n-1",
      loopId: "l-1",
      youSaid: "Exports are slow",
      message: "We made exports 10× faster.",
      createdAt: "2026-11-24T09:00:00Z",
    };
    expect(parse(ClosureNoticeSchema, notice)).toEqual(notice);
    expect(paths(issuesOf(ClosureNoticeSchema, { ...notice, message: "" }))).toEqual(["message"]);
  });
});

describe("TargetingSchema and DisplaySchema", () => {
  it("applies defaults", () => {
    expect(parse(TargetingSchema, {})).toEqual({ url: [], events: [], delayMs: 0, sampleRate: 1 });
    expect(parse(DisplaySchema, { mode: "once" })).toEqual({ mode: "once", modal: false });
  });

  it("names bad rules, rates and delays", () => {
    const issues = issuesOf(TargetingSchema, {
      url: [{ match: "fuzzy", value: "/app" }],
      events: [{ name: "upgraded", where: [{ property: "plan", op: "like" }] }],
      delayMs: -1,
      sampleRate: 1.5,
    });
    expect(paths(issues)).toEqual(["delayMs", "events.0.where.0.op", "sampleRate", "url.0.match"]);
    expect(paths(issuesOf(DisplaySchema, { mode: "sometimes", recontactDays: 1.5 }))).toEqual([
      "mode",
      "recontactDays",
    ]);
  });
});

describe("common field schemas", () => {
  it("IdSchema takes letters, digits and _ . : - only, and never __proto__", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/), (id) => {
        fc.pre(id !== "__proto__");
        expect(parse(IdSchema, id)).toBe(id);
      }),
    );
    for (const bad of ["", "a b", "x".repeat(129), "__proto__", "é", "a/b"]) {
      expect(issuesOf(IdSchema, bad)).toHaveLength(1);
    }
  });

  it("TimestampSchema wants an offset and a real instant", () => {
    expect(parse(TimestampSchema, "2026-11-23T10:00Z")).toBe("2026-11-23T10:00Z");
    expect(parse(TimestampSchema, "2026-11-23T10:00:00.123+02:00")).toBe(
      "2026-11-23T10:00:00.123+02:00",
    );
    for (const bad of ["2026-11-23T10:00:00", "2026-13-45T10:00:00Z", "yesterday", ""]) {
      expect(issuesOf(TimestampSchema, bad)).toHaveLength(1);
    }
  });

  it("TimestampSchema accepts every real instant as ISO text", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1970-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }),
        (d) => {
          expect(parse(TimestampSchema, d.toISOString())).toBe(d.toISOString());
        },
      ),
    );
  });

  it("LocaleSchema takes language tags", () => {
    for (const ok of ["en", "fr", "pt-BR", "zh-Hant-TW"]) expect(parse(LocaleSchema, ok)).toBe(ok);
    for (const bad of ["e", "english", "en_US", ""])
      expect(issuesOf(LocaleSchema, bad)).toHaveLength(1);
  });
});

describe("validation messages say what is allowed", () => {
  const messages = (schema: Parameters<typeof parse>[0], input: unknown) => {
    try {
      parse(schema, input, "x");
    } catch (e) {
      return Object.fromEntries((e as ValidationError).issues.map((i) => [i.path, i.message]));
    }
    return {};
  };

  it("names bounds with their unit, types, missing fields and the answer forms; never a bare 'Invalid input'", () => {
    const r = messages(ResponseSchema, {
      id: "x",
      surveyId: "onboarding",
      answers: { q: {} },
      finished: "yes",
      respondent: { anonymousId: "short" },
    });
    expect(r).toMatchObject({
      id: "must be a valid uuid",
      surveyVersion: "is required",
      "respondent.anonymousId": "must be at least 16 characters",
      "answers.q": expect.stringContaining("a list of option ids"),
      finished: "must be true or false",
    });
    const f = messages(FeedbackSchema, {
      channel: "support",
      text: "x",
      rating: 99,
      customer: { id: 3 },
    });
    expect(f).toMatchObject({ rating: "must be at most 10", "customer.id": "must be text" });
    for (const m of [...Object.values(r), ...Object.values(f)]) expect(m).not.toBe("Invalid input");
  });
});
