// The collector over real loopback HTTP and a real SQLite file: every route, every auth rule,
// bad input of every kind, idempotent replays, the loop moved by browsers and people.
import { type BatchResult, uuidv7 } from "@closeloop/core";
import { respondentToken } from "@closeloop/node";
import * as fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  batch,
  type Fixture,
  feedbackPolicy,
  type Running,
  response,
  startCollector,
  survey,
} from "./collector-harness.js";

let c: Running;
beforeAll(async () => {
  c = await startCollector();
  expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
});
afterAll(async () => {
  await c?.close();
});

const ingest = (items: Parameters<typeof batch>, key = c.pk) =>
  c.call("POST", "/v1/batch", key, batch(...items));

describe("health and routing", () => {
  it("answers /healthz with the store's kind, without a key", async () => {
    expect(await c.call("GET", "/healthz", undefined)).toMatchObject({
      status: 200,
      body: { ok: true, store: "sqlite" },
    });
  });

  it("answers 404 for an unknown route and 405 with Allow for a wrong method", async () => {
    expect((await c.call("GET", "/v2/nothing", c.sk)).body.error.code).toBe("not_found");
    const r = await c.call("DELETE", "/v1/batch", c.sk);
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
  });
});

describe("keys", () => {
  it("refuses a missing, malformed or unknown key with 401", async () => {
    for (const key of [
      undefined,
      "pk_nope_0123456789abcdefgh",
      "sk_nope_0123456789abcdefgh",
      "Basic abc",
    ]) {
      const r = await c.call("GET", "/v1/surveys", key);
      expect(r.status, String(key)).toBe(401);
      expect(["missing_key", "invalid_key"]).toContain(r.body.error.code);
    }
  });

  it("lets a public key ingest, read surveys and closures, and nothing else (403)", async () => {
    const loopId = uuidv7();
    const forbidden: [string, string, unknown?][] = [
      ["GET", "/v1/loops"],
      ["GET", `/v1/loops/${loopId}`],
      ["POST", `/v1/loops/${loopId}/transitions`, { to: "acknowledged", actor: "x" }],
      ["PUT", "/v1/surveys/onboarding-nps", survey()],
      ["PUT", "/v1/feedback-policy", feedbackPolicy()],
    ];
    for (const [method, path, body] of forbidden) {
      const r = await c.call(method, path, c.pk, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe("forbidden");
    }
    expect((await c.call("GET", "/v1/surveys", c.pk)).status).toBe(200);
    expect(
      (await c.call("GET", "/v1/closures?anonymousId=anon-0123456789abcdef", c.pk)).status,
    ).toBe(200);
  });
});

describe("PUT /v1/surveys/:id and GET /v1/surveys", () => {
  it("refuses a partial loop with 422 listing every gap", async () => {
    const partial = survey() as Fixture;
    partial.id = "partial";
    delete partial.loop.routes.detractor;
    partial.loop.routes.passive.acknowledge.message = { en: "Thanks" };
    const r = await c.call("PUT", "/v1/surveys/partial", c.sk, partial);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("partial_loop");
    const paths = r.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toContain("loop.routes.detractor");
    expect(paths.some((p: string) => p.startsWith("loop.routes.passive.acknowledge.message"))).toBe(
      true,
    );
  });

  it("is idempotent for the same version and refuses other content under it (409)", async () => {
    expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(200);
    const changed = { ...survey(), name: "Renamed" };
    const r = await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, changed);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("version_exists");
  });

  it("refuses a body whose id is not the path's", async () => {
    const r = await c.call("PUT", "/v1/surveys/other", c.sk, survey());
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("id_mismatch");
  });

  it("sends the widget's words in other languages with the surveys", async () => {
    const r = await c.call("GET", "/v1/surveys", c.pk);
    expect(Object.keys(r.body.strings).sort()).toEqual(["ar", "fr", "he"]);
    expect(r.body.strings.fr.next).toBe("Suivant");
    expect(r.body.strings.he.next).toBe("הבא");
  });

  it("lists active surveys with an ETag and answers 304 to If-None-Match", async () => {
    const r = await c.call("GET", "/v1/surveys", c.pk);
    expect(r.body.surveys.map((s: { id: string }) => s.id)).toEqual(["onboarding-nps"]);
    const etag = r.headers.get("etag") as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${c.url}/v1/surveys`, {
      headers: { authorization: `Bearer ${c.pk}`, "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });
});

describe("POST /v1/batch", () => {
  it("opens one loop per finished response, on its segment's route", async () => {
    const res = response({ score: 3, why: "Exports time out" });
    const r = await ingest([{ type: "response", data: res }]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      accepted: [{ index: 0, id: res.id, duplicate: false }],
      rejected: [],
    });
    const loops = await c.call("GET", "/v1/loops?survey=onboarding-nps&limit=500", c.sk);
    const mine = loops.body.loops.filter((l: { source: { id: string } }) => l.source.id === res.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ segment: "detractor", state: "received", owner: "support" });
  });

  it("answers a replayed key with duplicate: true and the first id, creating nothing; refuses it with other content", async () => {
    const res = response({ score: 9 });
    const key = uuidv7();
    const first = await ingest([{ type: "response", idempotencyKey: key, data: res }]);
    // The very item again, as a retry sends it (other content under the key is refused:
    // test/idempotency.test.ts).
    const again = await ingest([{ type: "response", idempotencyKey: key, data: res }]);
    expect(again.body.accepted).toEqual([
      { index: 0, id: first.body.accepted[0].id, duplicate: true },
    ]);
    const other = await ingest([
      { type: "response", idempotencyKey: key, data: { ...res, id: uuidv7() } },
    ]);
    expect(other.body.accepted).toEqual([]);
    expect(other.body.rejected).toMatchObject([{ index: 0, code: "idempotency_conflict" }]);
    const loops = await c.call("GET", "/v1/loops?limit=500", c.sk);
    expect(
      loops.body.loops.filter((l: { source: { id: string } }) => l.source.id === res.id),
    ).toHaveLength(1);
  });

  it("merges a partial response and its finished version into one response and one loop", async () => {
    const id = uuidv7();
    await ingest([{ type: "response", data: response({ score: 2 }, { id, finished: false }) }]);
    let loops = await c.call("GET", "/v1/loops?limit=500", c.sk);
    expect(loops.body.loops.some((l: { source: { id: string } }) => l.source.id === id)).toBe(
      false,
    );
    await ingest([
      { type: "response", data: response({ why: "Too slow" }, { id, finished: true }) },
    ]);
    await ingest([
      { type: "response", data: response({ why: "Too slow" }, { id, finished: true }) },
    ]);
    const stored = await c.store.getResponse(
      (await c.store.listEnvironments())[0]?.id as string,
      id,
    );
    expect(stored?.answers).toEqual({ score: 2, why: "Too slow" });
    loops = await c.call("GET", "/v1/loops?limit=500", c.sk);
    expect(
      loops.body.loops.filter((l: { source: { id: string } }) => l.source.id === id),
    ).toHaveLength(1);
  });

  it("rejects only the bad items of a batch, each with its issues", async () => {
    const good = response({ score: 10 });
    const r = await ingest([
      { type: "response", data: good },
      { type: "response", data: { ...response({ score: 11 }) } },
      { type: "response", data: { ...response({ score: 5 }), surveyId: "nope" } },
      { type: "response", data: response({ bogus: 1 }) },
      { type: "response", data: { id: "x" } },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.accepted.map((a: { index: number }) => a.index)).toEqual([0]);
    const rejected = Object.fromEntries(
      r.body.rejected.map((x: { index: number; code: string }) => [x.index, x.code]),
    );
    expect(rejected).toEqual({ 1: "invalid", 2: "unknown_survey", 3: "invalid", 4: "invalid" });
    expect(r.body.rejected.find((x: { index: number }) => x.index === 1).issues[0].path).toBe(
      "answers.score",
    );
    expect(r.body.rejected.find((x: { index: number }) => x.index === 3).issues[0].code).toBe(
      "unknown_question",
    );
  });

  it("rejects text with NUL or unpaired surrogates, naming the field", async () => {
    const r = await ingest([
      { type: "response", data: response({ score: 5, why: "a\u0000b" }) },
      { type: "response", data: response({ score: 5, why: "lone \ud800 surrogate" }) },
      { type: "response", data: response({ score: 5, why: "emoji 😀 is fine" }) },
    ]);
    expect(
      r.body.rejected.map((x: { index: number; issues: { path: string }[] }) => [
        x.index,
        x.issues[0]?.path,
      ]),
    ).toEqual([
      [0, "answers.why"],
      [1, "answers.why"],
    ]);
    expect(r.body.accepted.map((a: { index: number }) => a.index)).toEqual([2]);
  });

  it("finds NUL and unpaired surrogates however the JSON text escapes them", async () => {
    // The scan is skipped only for a body without any `\u` escape: check the escaped forms.
    // `why` is spliced into the JSON text as written: "\\u0000" is an escape, "\\\\u0000" is not.
    const item = (why: string) =>
      JSON.stringify({
        type: "response",
        idempotencyKey: uuidv7(),
        data: response({ score: 5, why: "@" }),
      }).replace('"@"', `"${why}"`);
    const text = [
      item("a\\u0000b"),
      item("lone \\uD800 surrogate"),
      item("a backslash, then u0000: \\\\u0000"),
    ];
    const r = await fetch(`${c.url}/v1/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${c.pk}`, "content-type": "application/json" },
      body: `{"items":[${text.join(",")}]}`,
    });
    const body = (await r.json()) as BatchResult;
    expect(body.rejected.map((x) => [x.index, x.issues?.[0]?.code])).toEqual([
      [0, "invalid_text"],
      [1, "invalid_text"],
    ]);
    expect(body.accepted.map((a) => a.index)).toEqual([2]);
  });

  it("takes a respondent id from a browser only with its token", async () => {
    const withId = (token?: string) => ({
      ...response({ score: 8 }),
      respondent: { id: "user-42", ...(token ? { token } : {}) },
    });
    const r = await ingest([
      { type: "response", data: withId() },
      { type: "response", data: withId("forged-token-forged-token-forged-token-abcd") },
      { type: "response", data: withId(respondentToken(c.sk, "user-42")) },
    ]);
    expect(r.body.rejected.map((x: { index: number; code: string }) => [x.index, x.code])).toEqual([
      [0, "invalid_token"],
      [1, "invalid_token"],
    ]);
    expect(r.body.accepted.map((a: { index: number }) => a.index)).toEqual([2]);
    // A backend with the secret key is trusted without a token.
    expect((await ingest([{ type: "response", data: withId() }], c.sk)).body.accepted).toHaveLength(
      1,
    );
  });

  it("answers malformed, empty, mis-shaped and oversized bodies with 4xx", async () => {
    const raw = (body: string) =>
      fetch(`${c.url}/v1/batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${c.pk}` },
        body,
      });
    expect((await raw("{not json")).status).toBe(400);
    expect((await raw("")).status).toBe(400);
    const shape = await c.call("POST", "/v1/batch", c.pk, { items: "no" });
    expect(shape.status).toBe(400);
    expect(shape.body.error.issues[0].path).toBe("items");
    expect((await c.call("POST", "/v1/batch", c.pk, { items: [] })).status).toBe(400);
    const big = await raw(
      JSON.stringify({
        items: [{ type: "feedback", idempotencyKey: "k", data: { text: "x".repeat(1_100_000) } }],
      }),
    );
    expect(big.status).toBe(413);
    const many = await c.call(
      "POST",
      "/v1/batch",
      c.pk,
      batch(...Array.from({ length: 1_001 }, () => ({ type: "customer", data: {} }))),
    );
    expect(many.status).toBe(413);
    expect(many.body.error.code).toBe("batch_too_large");
  });

  it("refuses feedback until a complete feedback policy exists, then opens loops by channel", async () => {
    const item = {
      type: "feedback",
      data: { channel: "support", text: "Invoice is wrong", customer: { id: "c-1", value: 1200 } },
    };
    const before = await ingest([item], c.sk);
    expect(before.body.rejected[0].code).toBe("no_feedback_policy");
    const partial = feedbackPolicy() as Fixture;
    delete partial.routes["*"];
    expect((await c.call("PUT", "/v1/feedback-policy", c.sk, partial)).status).toBe(422);
    expect((await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy())).status).toBe(200);
    const after = await ingest(
      [item, { type: "feedback", data: { channel: "app-store", text: "Crashes" } }],
      c.sk,
    );
    expect(after.body.accepted).toHaveLength(2);
    const loops = (await c.call("GET", "/v1/loops?owner=support&limit=500", c.sk)).body.loops;
    expect(
      loops.some(
        (l: { source: { kind: string }; segment: string }) =>
          l.source.kind === "feedback" && l.segment === "support",
      ),
    ).toBe(true);
    const cx = (await c.call("GET", "/v1/loops?owner=cx", c.sk)).body.loops;
    expect(cx.map((l: { segment: string }) => l.segment)).toEqual(["*"]);
  });

  it("records customer events", async () => {
    const r = await ingest(
      [
        {
          type: "customer",
          data: { customerId: "c-1", event: "gained", value: 5000, at: new Date().toISOString() },
        },
      ],
      c.sk,
    );
    expect(r.body.accepted).toHaveLength(1);
  });

  it("takes customer events only from a secret key", async () => {
    // A public key is in every web page: whatever it may send, anyone may.
    const event = { customerId: "c-9", event: "gained", value: 9000, at: new Date().toISOString() };
    const r = await ingest([
      { type: "customer", data: event },
      { type: "feedback", data: { channel: "support", text: "Refund?" } },
    ]);
    expect(
      r.body.rejected.map((x: { index: number; code: string; issues: { path: string }[] }) => [
        x.index,
        x.code,
        x.issues[0]?.path,
      ]),
    ).toEqual([[0, "secret_key_required", "type"]]);
    expect(r.body.accepted.map((x: { index: number }) => x.index)).toEqual([1]);
    expect((await ingest([{ type: "customer", data: event }], c.sk)).body.accepted).toHaveLength(1);
  });
});

describe("the loop, moved by the browser and by people", () => {
  const loopOf = async (responseId: string) => {
    const all = (await c.call("GET", "/v1/loops?limit=500", c.sk)).body.loops;
    return all.find((l: { source: { id: string } }) => l.source.id === responseId);
  };

  it("ack-seen closes a passive's loop at once, and acknowledges a detractor's", async () => {
    const passive = response({ score: 7 });
    const detractor = response({ score: 1 });
    await ingest([
      { type: "response", data: passive },
      { type: "response", data: detractor },
    ]);
    const r = await ingest([
      { type: "ack-seen", data: { responseId: passive.id } },
      { type: "ack-seen", data: { responseId: detractor.id } },
      { type: "ack-seen", data: { responseId: uuidv7() } },
    ]);
    expect(r.body.rejected.map((x: { index: number; code: string }) => [x.index, x.code])).toEqual([
      [2, "unknown_response"],
    ]);
    const p = await loopOf(passive.id);
    expect(p.state).toBe("closed");
    expect(p.events.at(-1)).toMatchObject({
      to: "closed",
      informedVia: "in-app",
      message: "Thank you — we read every answer.",
    });
    const d = await loopOf(detractor.id);
    expect(d.state).toBe("acknowledged");
    expect(d.events.at(-1)).toMatchObject({
      to: "acknowledged",
      actor: "respondent",
      informedVia: "in-app",
    });
  });

  it("walks a detractor's loop to closed: assign, resolve with a message, the respondent sees it", async () => {
    const anonymousId = `anon-${uuidv7()}`;
    const res = response({ score: 0, why: "Lost my data" }, { anonymousId });
    await ingest([{ type: "response", data: res }]);
    const loop = await loopOf(res.id);
    const move = (body: unknown) => c.call("POST", `/v1/loops/${loop.id}/transitions`, c.sk, body);
    expect(
      (await move({ to: "acknowledged", actor: "agent:ana", note: "Called back" })).status,
    ).toBe(200);
    expect(
      (await move({ to: "assigned", actor: "agent:ana", owner: "team-data" })).body.owner,
    ).toBe("team-data");
    const illegal = await move({ to: "received", actor: "agent:ana" });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error.code).toBe("illegal_transition");
    const noMessage = await move({ to: "closed", actor: "agent:ana" });
    expect(noMessage.status).toBe(409);
    const resolved = await move({
      to: "resolved",
      actor: "dev:li",
      message: "We restored your data and fixed the sync bug.",
    });
    expect(resolved.body.state).toBe("resolved");

    const closures = await c.call("GET", `/v1/closures?anonymousId=${anonymousId}`, c.pk);
    expect(closures.body.closures).toHaveLength(1);
    const notice = closures.body.closures[0];
    expect(notice).toMatchObject({
      loopId: loop.id,
      message: "We restored your data and fixed the sync bug.",
    });
    expect(
      (await c.call("GET", "/v1/closures?anonymousId=anon-someone-else-entirely", c.pk)).body
        .closures,
    ).toEqual([]);

    await ingest([{ type: "closure-seen", data: { noticeId: notice.id } }]);
    const closed = (await c.call("GET", `/v1/loops/${loop.id}`, c.sk)).body;
    expect(closed.state).toBe("closed");
    expect(closed.events.map((e: { to: string }) => e.to)).toEqual([
      "received",
      "acknowledged",
      "assigned",
      "resolved",
      "closed",
    ]);
    expect(closed.events.at(-1)).toMatchObject({
      actor: "respondent",
      informedVia: "in-app",
      message: "We restored your data and fixed the sync bug.",
    });
    const seen = (await c.call("GET", `/v1/closures?anonymousId=${anonymousId}`, c.pk)).body
      .closures[0];
    expect(seen.seenAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("answers 400 naming the field for options the loop rules refuse, 409 for a move its state refuses", async () => {
    const res = response({ score: 2 });
    await ingest([{ type: "response", data: res }]);
    const loop = await loopOf(res.id);
    const move = (body: unknown) => c.call("POST", `/v1/loops/${loop.id}/transitions`, c.sk, body);
    const pigeon = await move({ to: "acknowledged", actor: "a", informedVia: "carrier pigeon" });
    expect(pigeon.status).toBe(400);
    expect(pigeon.body.error.code).toBe("invalid_transition");
    expect(pigeon.body.error.issues).toEqual([
      { path: "informedVia", code: "invalid", message: expect.stringContaining("in-app, email") },
    ]);
    const owner = await move({ to: "acknowledged", actor: "a", owner: "has spaces" });
    expect(owner.status).toBe(400);
    expect(owner.body.error.issues[0].path).toBe("owner");
    expect((await move({ to: "closed", actor: "a", informedVia: "email" })).status).toBe(409);
  });

  it("answers 404 for an unknown loop and 400 for a bad transition body", async () => {
    expect((await c.call("GET", `/v1/loops/${uuidv7()}`, c.sk)).status).toBe(404);
    expect(
      (
        await c.call("POST", `/v1/loops/${uuidv7()}/transitions`, c.sk, {
          to: "acknowledged",
          actor: "a",
        })
      ).status,
    ).toBe(404);
    const bad = await c.call("POST", `/v1/loops/${uuidv7()}/transitions`, c.sk, {
      to: "flying",
      actor: "",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "actor",
      "to",
    ]);
  });

  it("checks a named respondent's closures token (403 when wrong)", async () => {
    expect((await c.call("GET", "/v1/closures?respondent=user-42&token=nope", c.pk)).status).toBe(
      403,
    );
    const ok = await c.call(
      "GET",
      `/v1/closures?respondent=user-42&token=${respondentToken(c.sk, "user-42")}`,
      c.pk,
    );
    expect(ok.status).toBe(200);
    expect((await c.call("GET", "/v1/closures", c.pk)).status).toBe(400);
  });

  it("pages loops with a cursor, none twice, none missed, and filters by state", async () => {
    const all = (await c.call("GET", "/v1/loops?limit=500", c.sk)).body.loops.map(
      (l: { id: string }) => l.id,
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await c.call(
        "GET",
        `/v1/loops?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        c.sk,
      );
      seen.push(...page.body.loops.map((l: { id: string }) => l.id));
      cursor = page.body.next;
    } while (cursor);
    expect(seen).toEqual(all);
    const closed = (await c.call("GET", "/v1/loops?state=closed&limit=500", c.sk)).body.loops;
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((l: { state: string }) => l.state === "closed")).toBe(true);
    const open = (await c.call("GET", "/v1/loops?state=received,acknowledged&limit=500", c.sk)).body
      .loops;
    expect(open.length + closed.length).toBe(all.length);
    expect(
      open.every((l: { state: string }) => ["received", "acknowledged"].includes(l.state)),
    ).toBe(true);
    expect((await c.call("GET", "/v1/loops?state=flying", c.sk)).status).toBe(400);
    expect((await c.call("GET", "/v1/loops?state=closed,flying", c.sk)).status).toBe(400);
    expect((await c.call("GET", "/v1/loops?limit=0", c.sk)).status).toBe(400);
  });
});

describe("limits", () => {
  it("answers 429 with Retry-After past the per-key rate", async () => {
    const limited = await startCollector({ limits: { rate: { perSecond: 1, burst: 3 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await limited.call("GET", "/v1/surveys", limited.pk)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const r = await limited.call("GET", "/v1/surveys", limited.pk);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(r.body.error.code).toBe("rate_limited");
    } finally {
      await limited.close();
    }
  });
});

describe("restart", () => {
  it("keeps keys, surveys, responses and loops in the same SQLite file", async () => {
    const first = await startCollector();
    await first.call("PUT", "/v1/surveys/onboarding-nps", first.sk, survey());
    const res = response({ score: 4 });
    await first.call("POST", "/v1/batch", first.pk, batch({ type: "response", data: res }));
    const loops = (await first.call("GET", "/v1/loops", first.sk)).body.loops;
    await first.close();
    const second = await startCollector({ path: first.path });
    try {
      expect((await second.call("GET", "/v1/loops", second.sk)).body.loops).toEqual(loops);
      expect((await second.call("GET", "/v1/surveys", second.pk)).body.surveys).toHaveLength(1);
      const replay = await second.call(
        "POST",
        "/v1/batch",
        second.pk,
        batch({ type: "response", data: res }),
      );
      expect(replay.body.accepted[0].id).toBe(res.id);
    } finally {
      await second.close();
    }
  });
});

describe("fuzzing POST /v1/batch", () => {
  it("answers any body with 200 or 4xx, never 5xx, and stays up (fast-check)", async () => {
    // Mostly well-formed batches with random contents, so the item handlers are exercised, and
    // some garbage, so the parser is.
    const answers = fc.dictionary(
      fc.constantFrom("score", "why", "x", "__proto__"),
      fc.jsonValue(),
      { maxKeys: 3 },
    );
    const data = fc.oneof(
      answers.map((a) => response(a as Record<string, unknown>)),
      fc.record(
        {
          channel: fc.oneof(fc.constant("support"), fc.string()),
          text: fc.string(),
          rating: fc.oneof(fc.integer(), fc.double()),
        },
        { requiredKeys: [] },
      ),
      fc.record({ responseId: fc.oneof(fc.uuid(), fc.string()) }),
      fc.record({ noticeId: fc.string() }),
      fc.record({
        customerId: fc.string(),
        event: fc.constantFrom("gained", "lost", "x"),
        at: fc.constant(new Date().toISOString()),
      }),
      fc.object(),
    );
    const item = fc.record({
      type: fc.oneof(
        {
          weight: 9,
          arbitrary: fc.constantFrom(
            "response",
            "feedback",
            "ack-seen",
            "closure-seen",
            "customer",
          ),
        },
        { weight: 1, arbitrary: fc.string() },
      ),
      idempotencyKey: fc.oneof(
        { weight: 9, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
        { weight: 1, arbitrary: fc.integer() },
      ),
      data,
    });
    const body = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({ items: fc.array(item, { minLength: 1, maxLength: 5 }) }),
      },
      { weight: 1, arbitrary: fc.jsonValue() },
      { weight: 1, arbitrary: fc.string().map((s) => ({ raw: s })) },
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const payload =
          typeof b === "object" && b !== null && "raw" in b
            ? (b as { raw: string }).raw
            : JSON.stringify(b);
        const r = await fetch(`${c.url}/v1/batch`, {
          method: "POST",
          headers: { authorization: `Bearer ${c.pk}` },
          body: payload,
        });
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.status === 200 || (r.status >= 400 && r.status < 500)).toBe(true);
      }),
      { numRuns: 300 },
    );
    console.log(`batch fuzzing: ${JSON.stringify(Object.fromEntries(statuses))} (status: count)`);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100); // the handlers ran, not only the parser
    expect((await c.call("GET", "/healthz", undefined)).status).toBe(200);
    // 300 requests: a wait for a busy machine, not a measure of speed.
  }, 30_000);
});
