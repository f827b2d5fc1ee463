// The closure notice's "You told us …": what the respondent wrote, quoted when their loop opened
// (open-text answers, else an "other" choice, else a feedback item's text), folded and cut to 280
// characters; on a SQLite file and on PostgreSQL (required under CI=true), over loopback HTTP.
import type { Survey } from "@closeloop/core";
import { respondentToken } from "@closeloop/node";
import * as fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { QUOTE_MAX, quote, responseQuote } from "../src/ingest/quote.js";
import type { CollectorStore } from "../src/store/types.js";
import {
  batch,
  feedbackPolicy,
  type Running,
  response,
  startCollector,
  survey,
} from "./collector-harness.js";
import { dropSchemas, pgStores, postgresFor } from "./pg-helper.js";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe("quote", () => {
  it("folds whitespace and keeps short text whole", () => {
    expect(quote("  Exports\n time  out\t")).toBe("Exports time out");
    expect(quote(" \n ")).toBeUndefined();
  });

  it("cuts long text at a word boundary with an ellipsis", () => {
    const long = "word ".repeat(100);
    const q = quote(long) as string;
    expect(q.endsWith("word…")).toBe(true);
    expect(Array.from(q).length).toBeLessThanOrEqual(QUOTE_MAX);
  });

  it("is never longer than the bound, never splits a character, and starts as the text does (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 700 }), (text) => {
        const q = quote(text);
        const folded = text.replace(/\s+/g, " ").trim();
        if (folded === "") {
          expect(q).toBeUndefined();
          return;
        }
        const chars = Array.from(q as string);
        expect(chars.length).toBeLessThanOrEqual(QUOTE_MAX);
        expect(q).not.toMatch(LONE_SURROGATE);
        if (chars.length < Array.from(folded).length) {
          expect(q?.endsWith("…")).toBe(true);
          expect(folded.startsWith((q as string).slice(0, -1))).toBe(true);
        } else expect(q).toBe(folded);
      }),
    );
  });
});

describe("responseQuote", () => {
  const questions = [
    { id: "score", type: "nps", text: { en: "?" } },
    {
      id: "area",
      type: "single_choice",
      text: { en: "?" },
      options: [{ id: "speed", text: { en: "Speed" } }],
      other: { text: { en: "Other" } },
    },
    { id: "why", type: "open_text", text: { en: "?" } },
    { id: "more", type: "open_text", text: { en: "?" } },
  ] as unknown as Survey["questions"];

  it("joins open-text answers in question order", () => {
    expect(responseQuote(questions, { score: 2, more: "Twice.", why: "It crashed." })).toBe(
      "It crashed. Twice.",
    );
  });

  it("falls back to an 'other' choice, and is undefined with no text", () => {
    expect(responseQuote(questions, { score: 2, area: { other: "Billing" } })).toBe("Billing");
    expect(responseQuote(questions, { score: 2, area: "speed" })).toBeUndefined();
  });
});

const unreachable = await postgresFor("closure-quote PostgreSQL cases");
afterAll(dropSchemas);

const stores: [string, (() => Promise<CollectorStore>) | undefined][] = [
  ["sqlite", undefined],
  [
    "postgres",
    unreachable === undefined ? async () => (await pgStores(1))[0] as CollectorStore : undefined,
  ],
];

/** Resolves the loop opened by `sourceId` with a message and returns the notices its respondent gets. */
async function resolveAndFetch(c: Running, sourceId: string, closuresQuery: string) {
  const loops = (await c.call("GET", "/v1/loops?limit=500", c.sk)).body.loops;
  const loop = loops.find((l: { source: { id: string } }) => l.source.id === sourceId);
  const move = (body: unknown) => c.call("POST", `/v1/loops/${loop.id}/transitions`, c.sk, body);
  expect((await move({ to: "acknowledged", actor: "agent:ana" })).status).toBe(200);
  expect((await move({ to: "assigned", actor: "agent:ana", owner: "team" })).status).toBe(200);
  const moved = await move({
    to: "resolved",
    actor: "agent:ana",
    message: "We fixed it.",
  });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  const r = await c.call("GET", `/v1/closures?${closuresQuery}`, c.pk);
  expect(r.status).toBe(200);
  return r.body.closures.filter((n: { loopId: string }) => n.loopId === loop.id);
}

describe.each(stores)("the closure notice quotes the customer on %s", (name, open) => {
  const skip = name === "postgres" && open === undefined;

  it.skipIf(skip)(
    "quotes a response's text, a feedback item's text cut short, and nothing when there was none",
    async () => {
      const c = await startCollector(open ? { store: await open() } : {});
      try {
        expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(
          201,
        );
        expect((await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy())).status).toBe(
          200,
        );

        const said = response(
          { score: 1, why: "Exports\n\ntime   out" },
          { anonymousId: "anon-quote-said-0001" },
        );
        const silent = response({ score: 1 }, { anonymousId: "anon-quote-none-0001" });
        const long = `${"Our invoices are wrong again ".repeat(20)}end`;
        const feedback = {
          id: "fb-quote-1",
          channel: "support",
          text: long,
          customer: { id: "cust-q" },
        };
        const sent = await c.call(
          "POST",
          "/v1/batch",
          c.sk,
          batch(
            { type: "response", data: said },
            { type: "response", data: silent },
            { type: "feedback", data: feedback },
          ),
        );
        expect(sent.body.accepted).toHaveLength(3);

        const [fromResponse] = await resolveAndFetch(
          c,
          said.id,
          "anonymousId=anon-quote-said-0001",
        );
        expect(fromResponse).toMatchObject({
          message: "We fixed it.",
          youSaid: "Exports time out",
        });

        const [fromSilent] = await resolveAndFetch(
          c,
          silent.id,
          "anonymousId=anon-quote-none-0001",
        );
        expect(fromSilent.message).toBe("We fixed it.");
        expect(fromSilent).not.toHaveProperty("youSaid");

        const token = respondentToken(c.sk, "cust-q");
        const [fromFeedback] = await resolveAndFetch(
          c,
          "fb-quote-1",
          `respondent=cust-q&token=${token}`,
        );
        expect(fromFeedback.youSaid.length).toBeLessThanOrEqual(QUOTE_MAX);
        const kept = fromFeedback.youSaid.slice(0, -1);
        expect(fromFeedback.youSaid.endsWith("…")).toBe(true);
        expect(long.startsWith(kept)).toBe(true);
        expect(long[kept.length]).toBe(" "); // cut between words
      } finally {
        await c.close();
      }
    },
  );
});
