// Idempotency keys, for every item type, through the real collector on a SQLite file and on
// PostgreSQL (required under CI=true). The SDKs retry whole batches and rely on these: a replay
// is `duplicate` with the first id and writes nothing; a rejected item leaves its key free for
// the corrected resend; a key sent again with other content is refused, never silently dropped.
import { uuidv7 } from "@closeloop/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectorStore } from "../src/store/types.js";
import {
  feedbackPolicy,
  type Running,
  response,
  startCollector,
  survey,
} from "./collector-harness.js";
import { dropSchemas, pgStores, postgresFor } from "./pg-helper.js";

const unreachable = await postgresFor("idempotency PostgreSQL cases");
afterAll(dropSchemas);

type Item = { type: string; idempotencyKey: string; data: Record<string, unknown> };

const stores: [string, (() => Promise<CollectorStore | undefined>) | undefined][] = [
  ["sqlite", async () => undefined],
  [
    "postgres",
    unreachable === undefined ? async () => (await pgStores(1))[0] as CollectorStore : undefined,
  ],
];

describe.each(stores)("idempotency keys on %s", (_name, open) => {
  const skip = open === undefined;
  let c: Running;
  beforeAll(async () => {
    if (skip) return;
    const store = await open?.();
    c = await startCollector(store ? { store } : {});
    expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
    expect((await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy())).status).toBe(200);
  });
  afterAll(() => c?.close());

  /** One item in its own batch, with the secret key; answers its fate. */
  const send = async (item: Item) => {
    const r = await c.call("POST", "/v1/batch", c.sk, { items: [item] });
    expect(r.status).toBe(200);
    return r.body as {
      accepted: { index: number; id: string; duplicate: boolean }[];
      rejected: { index: number; code: string; message: string }[];
    };
  };
  const loops = async () =>
    (await c.call("GET", "/v1/loops?limit=500", c.sk)).body.loops as {
      id: string;
      state: string;
      source: { kind: string; id: string };
    }[];
  const events = async (loopId: string) =>
    ((await c.call("GET", `/v1/loops/${loopId}`, c.sk)).body.events as unknown[]).length;
  const customersGained = async () =>
    (await c.call("GET", "/v1/metrics?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", c.sk))
      .body.customers.gained.count as number;

  /** A finished detractor response and its loop. */
  const answered = async () => {
    const res = response({ score: 2, why: "Too slow" }, { anonymousId: `anon-${uuidv7()}` });
    await send({ type: "response", idempotencyKey: uuidv7(), data: res });
    const loop = (await loops()).find((l) => l.source.id === res.id);
    if (!loop) throw new Error("no loop opened");
    return { res, loop };
  };

  /** A loop resolved with a message, and the closure notice its respondent will be shown. */
  const resolvedWithNotice = async () => {
    const { res, loop } = await answered();
    for (const move of [
      { to: "acknowledged", actor: "agent:ana" },
      { to: "assigned", actor: "agent:ana", owner: "team-data" },
      { to: "resolved", actor: "agent:ana", message: "We made exports three times faster." },
    ]) {
      expect((await c.call("POST", `/v1/loops/${loop.id}/transitions`, c.sk, move)).status).toBe(
        200,
      );
    }
    const anonymousId = res.respondent.anonymousId;
    const notices = await c.call("GET", `/v1/closures?anonymousId=${anonymousId}`, c.pk);
    return { loop, notice: notices.body.closures[0] as { id: string } };
  };

  it.skipIf(skip)(
    "a replayed response is duplicate with the first id and writes nothing",
    async () => {
      const res = response({ score: 9 });
      const item = { type: "response", idempotencyKey: uuidv7(), data: res };
      const first = await send(item);
      const before = (await loops()).length;
      const again = await send(item);
      expect(again.accepted).toEqual([{ index: 0, id: first.accepted[0]?.id, duplicate: true }]);
      expect((await loops()).length).toBe(before);
    },
  );

  it.skipIf(skip)(
    "a replay inside a larger batch is duplicate, and the batch's new items are stored",
    async () => {
      const replayed = {
        type: "feedback",
        idempotencyKey: uuidv7(),
        data: { channel: "support", text: `Sent twice ${uuidv7()}` },
      };
      const first = await send(replayed);
      const before = (await loops()).length;
      const fresh = response({ score: 4 });
      const r = await c.call("POST", "/v1/batch", c.sk, {
        items: [
          { type: "response", idempotencyKey: uuidv7(), data: fresh },
          replayed,
          {
            type: "feedback",
            idempotencyKey: uuidv7(),
            data: { channel: "support", text: `New ${uuidv7()}` },
          },
        ],
      });
      expect(r.body.rejected).toEqual([]);
      expect(r.body.accepted.map((a: { duplicate: boolean }) => a.duplicate)).toEqual([
        false,
        true,
        false,
      ]);
      expect(r.body.accepted[1].id).toBe(first.accepted[0]?.id);
      expect((await loops()).length).toBe(before + 2);
    },
  );

  it.skipIf(skip)("a replayed feedback item is duplicate and opens no second loop", async () => {
    // No id in the item: a broken claim would store it again under a new id.
    const item = {
      type: "feedback",
      idempotencyKey: uuidv7(),
      data: { channel: "support", text: `Replay me ${uuidv7()}` },
    };
    const first = await send(item);
    expect(first.accepted[0]?.duplicate).toBe(false);
    const before = (await loops()).length;
    const again = await send(item);
    expect(again.accepted).toEqual([{ index: 0, id: first.accepted[0]?.id, duplicate: true }]);
    expect((await loops()).length).toBe(before);
  });

  it.skipIf(skip)("a replayed customer event is duplicate and counted once", async () => {
    const before = await customersGained();
    const item = {
      type: "customer",
      idempotencyKey: uuidv7(),
      data: {
        customerId: `c-${uuidv7()}`,
        event: "gained",
        value: 1200,
        at: "2026-11-02T09:00:00Z",
      },
    };
    const first = await send(item);
    const again = await send(item);
    expect(again.accepted).toEqual([{ index: 0, id: first.accepted[0]?.id, duplicate: true }]);
    expect(await customersGained()).toBe(before + 1);
  });

  it.skipIf(skip)("a replayed ack-seen is duplicate and moves the loop once", async () => {
    const { res, loop } = await answered();
    const item = { type: "ack-seen", idempotencyKey: uuidv7(), data: { responseId: res.id } };
    const first = await send(item);
    expect(first.accepted).toEqual([{ index: 0, id: loop.id, duplicate: false }]);
    const after = await events(loop.id);
    const again = await send(item);
    expect(again.accepted).toEqual([{ index: 0, id: loop.id, duplicate: true }]);
    expect(await events(loop.id)).toBe(after);
  });

  it.skipIf(skip)("a replayed closure-seen is duplicate and closes the loop once", async () => {
    const { loop, notice } = await resolvedWithNotice();
    const item = { type: "closure-seen", idempotencyKey: uuidv7(), data: { noticeId: notice.id } };
    const first = await send(item);
    expect(first.accepted).toEqual([{ index: 0, id: loop.id, duplicate: false }]);
    const after = await events(loop.id);
    const again = await send(item);
    expect(again.accepted).toEqual([{ index: 0, id: loop.id, duplicate: true }]);
    expect(await events(loop.id)).toBe(after);
    expect((await loops()).find((l) => l.id === loop.id)?.state).toBe("closed");
  });

  it.skipIf(skip)(
    "a rejected item of each type leaves its key free for the corrected resend",
    async () => {
      await answered();
      const { loop: resolvedLoop, notice } = await resolvedWithNotice();
      const unseen = response({ score: 1 }, { anonymousId: `anon-${uuidv7()}` });
      const cases: {
        name: string;
        bad: Item["data"];
        good: Item["data"];
        type: string;
        code: string;
      }[] = [
        {
          name: "response",
          type: "response",
          code: "unknown_survey",
          bad: { ...response({ score: 3 }), surveyVersion: 99 },
          good: response({ score: 3 }),
        },
        {
          name: "feedback",
          type: "feedback",
          code: "invalid",
          bad: { channel: "support", text: "" },
          good: { channel: "support", text: `Corrected ${uuidv7()}` },
        },
        {
          name: "customer",
          type: "customer",
          code: "invalid",
          bad: { customerId: "c-fix", event: "won", at: "2026-11-02T09:00:00Z" },
          good: { customerId: `c-${uuidv7()}`, event: "gained", at: "2026-11-02T09:00:00Z" },
        },
        {
          // Sent before its response: refused, then accepted once the response is in.
          name: "ack-seen",
          type: "ack-seen",
          code: "unknown_response",
          bad: { responseId: unseen.id },
          good: { responseId: unseen.id },
        },
        {
          name: "closure-seen",
          type: "closure-seen",
          code: "unknown_notice",
          bad: { noticeId: uuidv7() },
          good: { noticeId: notice.id },
        },
      ];
      const gained = await customersGained();
      for (const k of cases) {
        const idempotencyKey = uuidv7();
        const bad = await send({ type: k.type, idempotencyKey, data: k.bad });
        expect(
          bad.rejected.map((r) => r.code),
          k.name,
        ).toEqual([k.code]);
        if (k.type === "ack-seen")
          await send({ type: "response", idempotencyKey: uuidv7(), data: unseen });
        const good = await send({ type: k.type, idempotencyKey, data: k.good });
        expect(good.rejected, k.name).toEqual([]);
        expect(good.accepted[0]?.duplicate, k.name).toBe(false);
        const all = await loops();
        if (k.type === "response") {
          expect(
            all.some((l) => l.source.id === (k.good as { id: string }).id),
            k.name,
          ).toBe(true);
        }
        if (k.type === "feedback") {
          expect(
            all.some((l) => l.source.id === good.accepted[0]?.id),
            k.name,
          ).toBe(true);
        }
        if (k.type === "ack-seen") {
          const loop = all.find((l) => l.source.id === unseen.id);
          expect(loop?.state, k.name).toBe("acknowledged");
        }
        if (k.type === "closure-seen") {
          expect(all.find((l) => l.id === resolvedLoop.id)?.state, k.name).toBe("closed");
        }
      }
      expect(await customersGained()).toBe(gained + 1);
    },
  );

  it.skipIf(skip)(
    "the same key with other content is refused, and the other item is not stored",
    async () => {
      const { res: seenRes } = await answered();
      const { res: otherRes } = await answered();
      const { notice } = await resolvedWithNotice();
      const { notice: otherNotice } = await resolvedWithNotice();
      const pairs: [string, Item["data"], Item["data"]][] = [
        ["response", response({ score: 9 }), response({ score: 10 })],
        [
          "feedback",
          { channel: "support", text: `First ${uuidv7()}` },
          { channel: "support", text: `Second ${uuidv7()}` },
        ],
        [
          "customer",
          { customerId: `c-${uuidv7()}`, event: "gained", at: "2026-11-02T09:00:00Z" },
          { customerId: `c-${uuidv7()}`, event: "gained", at: "2026-11-02T09:00:00Z" },
        ],
        ["ack-seen", { responseId: seenRes.id }, { responseId: otherRes.id }],
        ["closure-seen", { noticeId: notice.id }, { noticeId: otherNotice.id }],
      ];
      for (const [type, first, second] of pairs) {
        const idempotencyKey = uuidv7();
        expect((await send({ type, idempotencyKey, data: first })).accepted, type).toHaveLength(1);
        const before = await loops();
        const gained = await customersGained();
        const refused = await send({ type, idempotencyKey, data: second });
        expect(refused.accepted, type).toEqual([]);
        expect(
          refused.rejected.map((r) => r.code),
          type,
        ).toEqual(["idempotency_conflict"]);
        expect(refused.rejected[0]?.message, type).toContain(idempotencyKey);
        const after = await loops();
        // Nothing of the second item: no loop, no customer, no move of another loop.
        expect(after.length, type).toBe(before.length);
        expect(
          after.map((l) => l.state),
          type,
        ).toEqual(before.map((l) => l.state));
        expect(await customersGained(), type).toBe(gained);
      }
    },
  );

  it.skipIf(skip)(
    "a key claimed before digests were kept answers duplicate, as before",
    async () => {
      const envId = (await c.store.listEnvironments())[0]?.id as string;
      const idempotencyKey = uuidv7();
      await c.store.transaction((tx) =>
        tx.claimIdempotency(
          envId,
          idempotencyKey,
          { type: "feedback", id: "fb-old" },
          "2026-11-01T00:00:00.000Z",
        ),
      );
      const again = await send({
        type: "feedback",
        idempotencyKey,
        data: { channel: "support", text: "Sent by an older collector's client" },
      });
      expect(again.accepted).toEqual([{ index: 0, id: "fb-old", duplicate: true }]);
    },
  );

  it.skipIf(skip)("the same content with its keys in another order is the same item", async () => {
    const idempotencyKey = uuidv7();
    const text = `Order ${uuidv7()}`;
    const first = await send({
      type: "feedback",
      idempotencyKey,
      data: { channel: "support", text },
    });
    const again = await send({
      type: "feedback",
      idempotencyKey,
      data: { text, channel: "support" },
    });
    expect(again.accepted).toEqual([{ index: 0, id: first.accepted[0]?.id, duplicate: true }]);
  });
});

describe("an item's digest", () => {
  it("is the SHA-256 (base64url) of its type and data as sorted-key JSON, the form stored keys were claimed with", async () => {
    const { itemKey } = await import("../src/ingest/idempotency.js");
    const data = { b: { e: null, d: true, c: [1, 'xé"'] }, a: 2 };
    // sha256('["response",{"a":2,"b":{"c":[1,"xé\\""],"d":true,"e":null}}]'), computed apart.
    expect(itemKey("response", "k1", data)).toEqual({
      key: "k1",
      digest: "vL_WFCFYlVaNORNk21xgKMbz71jVETfYoOcFZXj8mnI",
    });
  });
});

describe("canonical JSON", () => {
  /** The format, written out: sorted keys, undefined members left out. */
  function reference(value: unknown): string {
    if (typeof value !== "object" || value === null) return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
    const o = value as Record<string, unknown>;
    const members = Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${reference(o[k])}`);
    return `{${members.join(",")}}`;
  }

  it("is the sorted-key JSON of any JSON value, integer-like and __proto__ keys included (property)", async () => {
    const { canonical } = await import("../src/ingest/idempotency.js");
    const fc = (await import("fast-check")).default;
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        // Through JSON.parse, as a batch arrives: "__proto__" becomes an own key.
        const parsed = JSON.parse(JSON.stringify(v));
        expect(canonical(parsed)).toBe(reference(parsed));
      }),
      { numRuns: 2_000 },
    );
    const odd = JSON.parse('{"b":1,"__proto__":{"z":1,"a":[2,{"y":0,"x":null}]},"a":"é"}');
    expect(canonical(odd)).toBe('{"__proto__":{"a":[2,{"x":null,"y":0}],"z":1},"a":"é","b":1}');
  });
});
