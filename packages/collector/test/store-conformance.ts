// The contract of `CollectorStore`, run against each implementation (sqlite-store.test.ts,
// postgres-store.test.ts). Every case opens a fresh, migrated, empty store and closes it.
import { type CustomerEvent, isBreached, type Loop, transition } from "@closeloop/core";
import { describe, expect, it } from "vitest";
import type { CollectorStore, LoopFilter, StoredFeedback, StoreTx } from "../src/store/types.js";
import {
  allPages,
  at,
  environment,
  keyRecord,
  loop,
  newResponseId,
  notice,
  response,
  survey,
} from "./store-fixtures.js";
import { metricsAgreeWithCore } from "./store-metrics-model.js";
import { listLoopsAgreesWithModel } from "./store-model.js";

/** Reads a store's tables behind the port, for what the port cannot read back (feedback, events). */
export interface StoreInspector {
  feedback(store: CollectorStore, envId: string): Promise<StoredFeedback[]>;
  customerEvents(store: CollectorStore, envId: string): Promise<CustomerEvent[]>;
}

export interface ConformanceOptions {
  inspect?: StoreInspector;
  /** Runs of the fast-check property (default 40). */
  numRuns?: number;
}

const ids = (loops: readonly Loop[]) => loops.map((l) => l.id);

export function storeConformance(
  name: string,
  open: () => Promise<CollectorStore>,
  options: ConformanceOptions = {},
): void {
  /** A fresh store with environments `a` and `b`, closed after `body` whatever happens. */
  const withStore = async (body: (store: CollectorStore) => Promise<void>) => {
    const store = await open();
    try {
      await store.createEnvironment(environment("a"));
      await store.createEnvironment(environment("b", 1));
      await body(store);
    } finally {
      await store.close();
    }
  };

  describe(`CollectorStore conformance: ${name}`, () => {
    it("creates and lists environments, oldest first; ping answers", () =>
      withStore(async (store) => {
        await store.ping();
        await store.createEnvironment(environment("c", -5));
        expect(await store.listEnvironments()).toStrictEqual([
          environment("c", -5),
          environment("a"),
          environment("b", 1),
        ]);
        await expect(store.createEnvironment(environment("a"))).rejects.toThrow();
      }));

    it("creates the first environment with its keys once; later calls answer it and write nothing", async () => {
      const store = await open();
      try {
        const keys = [keyRecord("a", "public", 1), keyRecord("a", "secret", 2)];
        expect(await store.createFirstEnvironment(environment("a"), keys)).toStrictEqual(
          environment("a"),
        );
        const late = [keyRecord("b", "public", 3)];
        expect(await store.createFirstEnvironment(environment("b"), late)).toStrictEqual(
          environment("a"),
        );
        expect(await store.listEnvironments()).toStrictEqual([environment("a")]);
        expect(await store.listKeys()).toStrictEqual(keys);
      } finally {
        await store.close();
      }
    });

    it("finds keys by hash, lists them per environment, revokes once", () =>
      withStore(async (store) => {
        const pk = keyRecord("a", "public", 1);
        const sk = keyRecord("a", "secret", 2);
        const other = keyRecord("b", "secret", 3);
        for (const k of [pk, sk, other]) await store.addKey(k);
        expect(await store.findKey(sk.hash)).toStrictEqual(sk);
        expect(await store.findKey("0".repeat(64))).toBeUndefined();
        expect(await store.listKeys("a")).toStrictEqual([pk, sk]);
        expect(await store.listKeys()).toStrictEqual([pk, sk, other]);
        await store.revokeKey(sk.id, at(10));
        await store.revokeKey(sk.id, at(20));
        await store.revokeKey("key_unknown", at(20));
        expect(await store.findKey(sk.hash)).toStrictEqual({ ...sk, revokedAt: at(10) });
        expect(await store.findKey(pk.hash)).toStrictEqual(pk);
        await expect(store.addKey({ ...other, id: "key_dup" })).rejects.toThrow();
        await expect(store.addKey(keyRecord("nowhere", "public", 1))).rejects.toThrow();
      }));

    it("publishes survey versions: published, unchanged, conflict; the newest is active", () =>
      withStore(async (store) => {
        const v1 = survey(1);
        expect(await store.publishSurvey("a", v1, at(0))).toBe("published");
        const reordered = Object.fromEntries(Object.entries(v1).reverse()) as typeof v1;
        expect(await store.publishSurvey("a", reordered, at(1))).toBe("unchanged");
        expect(await store.publishSurvey("a", survey(1, v1.id, "Renamed"), at(1))).toBe("conflict");
        expect(await store.getSurvey("a", v1.id, 1)).toStrictEqual(v1);
        expect(await store.activeSurveys("a")).toStrictEqual([v1]);

        const v3 = survey(3, v1.id, "Third");
        expect(await store.publishSurvey("a", v3, at(2))).toBe("published");
        expect(await store.activeSurveys("a")).toStrictEqual([v3]);
        // A version older than the active one is kept but does not move the active one back.
        const v2 = survey(2, v1.id, "Second");
        expect(await store.publishSurvey("a", v2, at(3))).toBe("published");
        expect(await store.getSurvey("a", v1.id, 2)).toStrictEqual(v2);
        expect(await store.activeSurveys("a")).toStrictEqual([v3]);

        const other = survey(1, "checkout-csat", "Checkout");
        expect(await store.publishSurvey("a", other, at(4))).toBe("published");
        expect(await store.publishSurvey("b", survey(7), at(4))).toBe("published");
        expect(await store.activeSurveys("a")).toStrictEqual([other, v3]);
        expect(await store.activeSurveys("b")).toStrictEqual([survey(7)]);
        expect(await store.getSurvey("a", v1.id, 7)).toBeUndefined();
        expect(await store.getSurvey("b", v1.id, 1)).toBeUndefined();
      }));

    it("round-trips the feedback policy and replaces it", () =>
      withStore(async (store) => {
        expect(await store.getFeedbackPolicy("a")).toBeUndefined();
        const route = survey().loop.routes.detractor;
        if (!route) throw new Error("fixture has a detractor route");
        const policy = {
          locales: ["en", "fr"],
          channels: ["support"],
          routes: { support: route, "*": route },
        };
        await store.setFeedbackPolicy("a", policy, at(0));
        expect(await store.getFeedbackPolicy("a")).toStrictEqual(policy);
        const next = { ...policy, channels: [] };
        await store.setFeedbackPolicy("a", next, at(1));
        expect(await store.getFeedbackPolicy("a")).toStrictEqual(next);
        expect(await store.getFeedbackPolicy("b")).toBeUndefined();
      }));

    it("round-trips allowed origins per environment, in order, and replaces them", () =>
      withStore(async (store) => {
        expect(await store.getAllowedOrigins("a")).toBeUndefined();
        const origins = ["https://shop.example", "http://localhost:3000", "http://[::1]:8080"];
        await store.setAllowedOrigins("a", origins, at(0));
        expect(await store.getAllowedOrigins("a")).toStrictEqual(origins);
        expect(await store.getAllowedOrigins("b")).toBeUndefined();
        await store.setAllowedOrigins("a", [], at(1));
        expect(await store.getAllowedOrigins("a")).toStrictEqual([]);
        await store.setAllowedOrigins("b", ["*"], at(1));
        expect(await store.getAllowedOrigins("b")).toStrictEqual(["*"]);
        expect(await store.getAllowedOrigins("a")).toStrictEqual([]);
        await expect(store.setAllowedOrigins("nowhere", ["*"], at(2))).rejects.toThrow();
      }));

    it("commits a transaction's writes together and answers fn's value", () =>
      withStore(async (store) => {
        const r = response(newResponseId(), true);
        const l = loop({ id: "L1" });
        const value = await store.transaction(async (tx) => {
          expect(
            await tx.claimIdempotency("a", r.idempotencyKey, { type: "response", id: r.id }, at(0)),
          ).toBeUndefined();
          await tx.putResponse("a", r);
          await tx.putLoop("a", l, { respondent: { id: "user-1" } });
          expect(await tx.getLoop("a", l.id)).toStrictEqual(l);
          return 42;
        });
        expect(value).toBe(42);
        expect(await store.getResponse("a", r.id)).toStrictEqual(r);
        expect(await store.getLoop("a", l.id)).toStrictEqual(l);
      }));

    it("rolls back everything when fn rejects, and rejects with fn's error", () =>
      withStore(async (store) => {
        const r = response(newResponseId(), true);
        const l = loop({ id: "L1" });
        const boom = new Error("boom");
        await expect(
          store.transaction(async (tx) => {
            await tx.claimIdempotency("a", "k1", { type: "response", id: r.id }, at(0));
            await tx.putResponse("a", r);
            await tx.putLoop("a", l, { respondent: { id: "user-1" } });
            await tx.putClosureNotice("a", notice("N1", l.id, 5), { id: "user-1" });
            await tx.insertFeedback("a", {
              id: "F1",
              channel: "support",
              text: "slow",
              tags: [],
              receivedAt: at(0),
            });
            await tx.insertCustomerEvent("a", "E1", { customerId: "c1", event: "lost", at: at(0) });
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.getResponse("a", r.id)).toBeUndefined();
        expect(await store.getLoop("a", l.id)).toBeUndefined();
        expect(await store.closures("a", { id: "user-1" })).toStrictEqual([]);
        if (options.inspect) {
          expect(await options.inspect.feedback(store, "a")).toStrictEqual([]);
          expect(await options.inspect.customerEvents(store, "a")).toStrictEqual([]);
        }
        const again = await store.transaction((tx) =>
          tx.claimIdempotency("a", "k1", { type: "response", id: "second" }, at(1)),
        );
        expect(again).toBeUndefined();
      }));

    it("keeps concurrent transactions apart: one that rejects takes only its own writes along", () =>
      withStore(async (store) => {
        const kept = response(newResponseId(), true);
        const lost = response(newResponseId(), true);
        const existing = loop({ id: "L1" });
        await store.transaction((tx) => tx.putLoop("a", existing, {}));
        const boom = new Error("boom");
        const claim = (tx: StoreTx, key: string, id: string) =>
          tx.claimIdempotency("a", key, { type: "response", id }, at(0));
        // Started together, so a store that shares one commit among them shares it here.
        const outcomes = await Promise.allSettled([
          store.transaction(async (tx) => {
            await claim(tx, "k1", kept.id);
            await tx.putResponse("a", kept);
            return "first";
          }),
          store.transaction(async (tx) => {
            await claim(tx, "k2", lost.id);
            await tx.putResponse("a", lost);
            throw boom;
          }),
          store.transaction(async (tx) => {
            await claim(tx, "k3", "third");
            // A second loop for the source of L1: the store itself refuses this write.
            await tx.putLoop("a", { ...existing, id: "L2" }, {});
          }),
          store.transaction(async (tx) => {
            await tx.putLoop("a", loop({ id: "L3" }), {});
            return "last";
          }),
        ]);
        expect(outcomes.map((o) => o.status)).toStrictEqual([
          "fulfilled",
          "rejected",
          "rejected",
          "fulfilled",
        ]);
        expect(outcomes[0]).toStrictEqual({ status: "fulfilled", value: "first" });
        expect(outcomes[1]).toStrictEqual({ status: "rejected", reason: boom });
        expect(outcomes[3]).toStrictEqual({ status: "fulfilled", value: "last" });
        expect(await store.getResponse("a", kept.id)).toStrictEqual(kept);
        expect(await store.getResponse("a", lost.id)).toBeUndefined();
        expect(await store.getLoop("a", "L2")).toBeUndefined();
        expect(await store.getLoop("a", "L3")).toStrictEqual(loop({ id: "L3" }));
        // The claims of the rejected transactions are gone with them; the first one stands.
        const again = await store.transaction(async (tx) => [
          await claim(tx, "k1", "again"),
          await claim(tx, "k2", "again"),
          await claim(tx, "k3", "again"),
        ]);
        expect(again).toStrictEqual([{ type: "response", id: kept.id }, undefined, undefined]);
      }));

    it("never shows reads outside a transaction what the transaction has not committed", () =>
      withStore(async (store) => {
        let release = () => {};
        const gate = new Promise<void>((r) => {
          release = r;
        });
        let written = () => {};
        const wrote = new Promise<void>((r) => {
          written = r;
        });
        const l = loop({ id: "L1" });
        const failing = store.transaction(async (tx) => {
          await tx.putLoop("a", l, {});
          written();
          await gate;
          throw new Error("rolled back");
        });
        await wrote;
        const during = store.getLoop("a", l.id);
        const listed = store.listLoops("a", {}, { limit: 10 });
        release();
        await expect(failing).rejects.toThrow("rolled back");
        expect(await during).toBeUndefined();
        expect((await listed).loops).toStrictEqual([]);
      }));

    it("a tx used after its transaction ended rejects", () =>
      withStore(async (store) => {
        const leaked = await store.transaction(async (tx) => tx);
        await expect(leaked.getLoop("a", "L1")).rejects.toThrow();
        await expect(leaked.putLoop("a", loop({ id: "L1" }), {})).rejects.toThrow();
        expect(await store.getLoop("a", "L1")).toBeUndefined();
      }));

    it("refuses nested transactions and the store's own writes inside fn, instead of hanging", () =>
      withStore(async (store) => {
        await expect(store.transaction(() => store.transaction(async () => 1))).rejects.toThrow(
          /inside transaction/,
        );
        await expect(
          store.transaction(() => store.createEnvironment(environment("c"))),
        ).rejects.toThrow(/use the tx argument/);
        await expect(
          store.transaction(() => store.publishSurvey("a", survey(1), at(0))),
        ).rejects.toThrow(/inside transaction/);
        expect((await store.listEnvironments()).map((e) => e.id)).toStrictEqual(["a", "b"]);
        expect(await store.activeSurveys("a")).toStrictEqual([]);
      }));

    it("refuses every write of the store and of its webhook queue inside fn", () =>
      withStore(async (store) => {
        const refused = (call: () => Promise<unknown>) =>
          expect(store.transaction(call)).rejects.toThrow(/inside transaction/);
        await refused(() => store.migrate());
        await refused(() => store.revokeKey("k", at(0)));
        const policy = { locales: ["en"], channels: [], routes: {} };
        await refused(() => store.setFeedbackPolicy("a", policy, at(0)));
        await refused(() => store.setAllowedOrigins("a", [], at(0)));
        const hooks = store.webhooks;
        await refused(() => hooks.putEndpoint("a", "e", { url: "https://x.test/h" }, "s", at(0)));
        await refused(() => hooks.rotateSecret("a", "e", "s2", undefined, at(0)));
        await refused(() => hooks.deleteEndpoint("a", "e"));
        await refused(() => hooks.claimDeliveries(at(0), 1, 1000));
        expect(await hooks.getEndpoint("a", "e")).toBeUndefined();
      }));

    it("claims an idempotency key once: later claims answer the first record", () =>
      withStore(async (store) => {
        const claim = (env: string, key: string, id: string) =>
          store.transaction((tx) => tx.claimIdempotency(env, key, { type: "response", id }, at(0)));
        expect(await claim("a", "k1", "first")).toBeUndefined();
        expect(await claim("a", "k1", "second")).toStrictEqual({ type: "response", id: "first" });
        expect(await claim("a", "k1", "third")).toStrictEqual({ type: "response", id: "first" });
        expect(await claim("a", "k2", "other")).toBeUndefined();
        expect(await claim("b", "k1", "env-b")).toBeUndefined();
        const inOne = await store.transaction(async (tx) => [
          await tx.claimIdempotency("a", "k3", { type: "feedback", id: "x" }, at(0)),
          await tx.claimIdempotency("a", "k3", { type: "feedback", id: "y" }, at(0)),
        ]);
        expect(inOne).toStrictEqual([undefined, { type: "feedback", id: "x" }]);
      }));

    it("puts, merges and gets responses", () =>
      withStore(async (store) => {
        const id = newResponseId();
        const partial = response(id, false);
        await store.transaction((tx) => tx.putResponse("a", partial));
        expect(await store.getResponse("a", id)).toStrictEqual(partial);
        const finished = response(id, true);
        await store.transaction(async (tx) => {
          expect(await tx.getResponse("a", id)).toStrictEqual(partial);
          await tx.putResponse("a", finished);
        });
        expect(await store.getResponse("a", id)).toStrictEqual(finished);
        expect(await store.getResponse("b", id)).toBeUndefined();
        expect(await store.getResponse("a", newResponseId())).toBeUndefined();
      }));

    it("inserts feedback and customer events once per id", () =>
      withStore(async (store) => {
        const f: StoredFeedback = {
          id: "F1",
          channel: "support",
          text: "Export is slow — 😞",
          rating: 2,
          tags: ["export"],
          customer: { id: "c1", value: 1200 },
          createdAt: "2026-11-23T11:00:00+01:00",
          receivedAt: at(1),
        };
        const e: CustomerEvent = { customerId: "c1", event: "lost", value: 1200, at: at(2) };
        await store.transaction(async (tx) => {
          await tx.insertFeedback("a", f);
          await tx.insertCustomerEvent("a", "E1", e);
        });
        // A replay of the same ids is not an error and changes nothing.
        await store.transaction(async (tx) => {
          await tx.insertFeedback("a", { ...f, text: "replayed" });
          await tx.insertCustomerEvent("a", "E1", { ...e, event: "gained" });
          await tx.insertFeedback("b", f);
        });
        if (options.inspect) {
          expect(await options.inspect.feedback(store, "a")).toStrictEqual([f]);
          expect(await options.inspect.customerEvents(store, "a")).toStrictEqual([e]);
          expect(await options.inspect.feedback(store, "b")).toStrictEqual([f]);
        }
      }));

    it("round-trips a loop with its whole history, by id and by source, with its meta", () =>
      withStore(async (store) => {
        const l = loop({
          id: "0193a1b2-loop",
          surveyId: "onboarding-nps",
          journey: "onboarding",
          customer: { id: "c1", email: "ana@example.com", value: 1200.5, region: "eu" },
          steps: [
            ["acknowledged", 30],
            ["assigned", 60],
            ["resolved", 600],
            ["reopened", 700],
            ["acknowledged", 710],
          ],
        });
        // Offsets and precision survive as written, not normalised.
        l.events.push({
          ...(l.events.at(-1) as Loop["events"][number]),
          from: "acknowledged",
          to: "assigned",
          at: "2026-11-24T01:00:00.123456+02:00",
          owner: "team.billing",
        });
        l.state = "assigned";
        l.updatedAt = "2026-11-24T01:00:00.123456+02:00";
        l.owner = "team.billing";
        const meta = {
          respondent: { anonymousId: "a".repeat(32) },
          acknowledgeBy: at(940),
          closeBy: at(3580),
        };
        await store.transaction((tx) => tx.putLoop("a", l, meta));
        expect(await store.getLoop("a", l.id)).toStrictEqual(l);
        expect(await store.getLoop("b", l.id)).toBeUndefined();
        await store.transaction(async (tx) => {
          expect(await tx.getLoop("a", l.id)).toStrictEqual(l);
          expect(await tx.getLoopBySource("a", l.source)).toStrictEqual(l);
          expect(
            await tx.getLoopBySource("a", { kind: "feedback", id: l.source.id }),
          ).toBeUndefined();
          expect(await tx.getLoopMeta("a", l.id)).toStrictEqual(meta);
          expect(await tx.getLoopMeta("a", "nope")).toBeUndefined();
        });
        const resolved = transition(l, "resolved", {
          actor: "agent:ana",
          at: at(2000),
          message: "Done.",
        });
        await store.transaction((tx) => tx.putLoop("a", resolved, {}));
        expect(await store.getLoop("a", l.id)).toStrictEqual(resolved);
        await store.transaction(async (tx) =>
          expect(await tx.getLoopMeta("a", l.id)).toStrictEqual({}),
        );
        // One loop per source.
        await expect(
          store.transaction((tx) => tx.putLoop("a", { ...l, id: "another" }, {})),
        ).rejects.toThrow();
      }));

    it("filters loops by state, owner, survey and journey, combined with AND", () =>
      withStore(async (store) => {
        const loops = [
          loop({ id: "L1", surveyId: "s1", journey: "onboarding" }),
          loop({ id: "L2", surveyId: "s1", owner: "cx", steps: [["acknowledged", 10]] }),
          loop({
            id: "L3",
            surveyId: "s2",
            journey: "onboarding",
            steps: [
              ["acknowledged", 10],
              ["assigned", 20],
            ],
          }),
          loop({ id: "L4", journey: "checkout", owner: "cx", steps: [["acknowledged", 10]] }),
          loop({ id: "L5" }),
        ];
        await store.transaction(async (tx) => {
          for (const l of loops) await tx.putLoop("a", l, {});
          await tx.putLoop("b", loop({ id: "L6", surveyId: "s1" }), {});
        });
        const list = async (filter: LoopFilter) =>
          ids((await store.listLoops("a", filter, { limit: 100 })).loops);
        expect(await list({})).toStrictEqual(["L1", "L2", "L3", "L4", "L5"]);
        expect(await list({ state: "acknowledged" })).toStrictEqual(["L2", "L4"]);
        expect(await list({ state: "closed" })).toStrictEqual([]);
        expect(await list({ owner: "cx" })).toStrictEqual(["L2", "L4"]);
        expect(await list({ owner: "support" })).toStrictEqual(["L1", "L3", "L5"]);
        expect(await list({ surveyId: "s1" })).toStrictEqual(["L1", "L2"]);
        expect(await list({ journey: "onboarding" })).toStrictEqual(["L1", "L3"]);
        expect(await list({ surveyId: "s1", owner: "cx" })).toStrictEqual(["L2"]);
        expect(
          await list({ state: "acknowledged", journey: "checkout", owner: "cx" }),
        ).toStrictEqual(["L4"]);
        expect(
          ids((await store.listLoops("b", { surveyId: "s1" }, { limit: 100 })).loops),
        ).toStrictEqual(["L6"]);
      }));

    it("filters breached loops at `now` exactly as core's isBreached does", () =>
      withStore(async (store) => {
        // ROUTE: acknowledge within 4h, close within 48h.
        const loops = [
          loop({ id: "B1-open" }),
          loop({ id: "B2-acked-in-time", steps: [["acknowledged", 60]] }),
          loop({ id: "B3-acked-late", steps: [["acknowledged", 300]] }),
          loop({ id: "B3-acked-on-the-dot", steps: [["acknowledged", 240]] }),
          loop({
            id: "B4-closed-in-time",
            steps: [
              ["acknowledged", 60],
              ["assigned", 70],
              ["resolved", 80],
              ["closed", 90],
            ],
          }),
          loop({
            id: "B5-reopened",
            steps: [
              ["acknowledged", 300],
              ["assigned", 310],
              ["resolved", 320],
              ["reopened", 5000],
            ],
          }),
          loop({
            id: "B6-no-sla",
            route: { action: "none", acknowledge: { message: { en: "Thanks" } } },
          }),
          loop({ id: "B7-later", openedAt: 3000 }),
        ];
        await store.transaction(async (tx) => {
          for (const l of loops) await tx.putLoop("a", l, {});
        });
        const nows = [0, 239, 240, 241, 2000, 2881, 5000, 5241, 9000].map((m) => at(m));
        nows.push("2026-11-23T16:00:00.001+02:00"); // 4h + 1ms after T0, written with an offset
        for (const now of nows) {
          const expected = loops
            .filter((l) => isBreached(l, new Date(now)))
            .map((l) => l.id)
            .sort();
          const breached = ids(
            (await store.listLoops("a", { breached: true, now }, { limit: 100 })).loops,
          );
          const fine = ids(
            (await store.listLoops("a", { breached: false, now }, { limit: 100 })).loops,
          );
          expect({ now, breached }).toStrictEqual({ now, breached: expected });
          expect([...breached, ...fine].sort()).toStrictEqual(loops.map((l) => l.id).sort());
        }
        // Acknowledged late stays breached: breach is a flag, not a state.
        const late = await store.listLoops(
          "a",
          { breached: true, now: at(1000), state: "acknowledged" },
          { limit: 10 },
        );
        expect(ids(late.loops)).toStrictEqual(["B3-acked-late"]);
        await expect(
          store.listLoops("a", { breached: true, now: "yesterday" }, { limit: 10 }),
        ).rejects.toThrow();
      }));

    it("pages through loops by cursor: in id order, none twice, none missed", () =>
      withStore(async (store) => {
        const all = Array.from({ length: 23 }, (_, i) =>
          loop({ id: `L${String(i).padStart(2, "0")}`, owner: i % 3 === 0 ? "cx" : "support" }),
        );
        await store.transaction(async (tx) => {
          for (const l of [...all].reverse()) await tx.putLoop("a", l, {});
        });
        for (const limit of [1, 4, 5, 23, 50]) {
          expect(ids(await allPages(store, "a", {}, limit))).toStrictEqual(ids(all));
        }
        const cx = all.filter((_, i) => i % 3 === 0);
        expect(ids(await allPages(store, "a", { owner: "cx" }, 3))).toStrictEqual(ids(cx));
        const first = await store.listLoops("a", {}, { limit: 23 });
        expect(first.next).toBeUndefined();
        expect(
          (await store.listLoops("a", {}, { after: "L21", limit: 5 })).loops.map((l) => l.id),
        ).toStrictEqual(["L22"]);
        await expect(store.listLoops("a", {}, { limit: 0 })).rejects.toThrow();
      }));

    it("lists closure notices per respondent id or anonymous id, oldest first, and no one else's", () =>
      withStore(async (store) => {
        const anon = "f".repeat(32);
        const l = loop({ id: "L1" });
        await store.transaction(async (tx) => {
          await tx.putLoop("a", l, { respondent: { id: "user-1" } });
          await tx.putClosureNotice("a", notice("N2", l.id, 20), { id: "user-1" });
          await tx.putClosureNotice("a", notice("N1", l.id, 10), { id: "user-1" });
          await tx.putClosureNotice("a", notice("N3", l.id, 5), { id: "user-2" });
          await tx.putClosureNotice("a", notice("N4", l.id, 5), { anonymousId: anon });
          await tx.putClosureNotice("a", notice("N5", l.id, 5), { id: anon });
          await tx.putClosureNotice("b", notice("N6", l.id, 5), { id: "user-1" });
        });
        const list = async (r: Parameters<CollectorStore["closures"]>[1], env = "a") =>
          (await store.closures(env, r)).map((n) => n.id);
        expect(await store.closures("a", { id: "user-1" })).toStrictEqual([
          notice("N1", l.id, 10),
          notice("N2", l.id, 20),
        ]);
        expect(await list({ id: "user-2" })).toStrictEqual(["N3"]);
        expect(await list({ anonymousId: anon })).toStrictEqual(["N4"]);
        expect(await list({ id: anon })).toStrictEqual(["N5"]);
        expect(await list({ id: "user-3" })).toStrictEqual([]);
        expect(await list({ id: "user-1" }, "b")).toStrictEqual(["N6"]);
      }));

    it("gets a closure notice in a transaction and records that it was seen", () =>
      withStore(async (store) => {
        const l = loop({ id: "L1" });
        const n = notice("N1", l.id, 10);
        await store.transaction(async (tx) => {
          await tx.putLoop("a", l, {});
          await tx.putClosureNotice("a", n, { id: "user-1" });
        });
        await store.transaction(async (tx) => {
          const got = await tx.getClosureNotice("a", "N1");
          expect(got).toStrictEqual(n);
          expect(await tx.getClosureNotice("a", "N9")).toBeUndefined();
          expect(await tx.getClosureNotice("b", "N1")).toBeUndefined();
          await tx.putClosureNotice("a", { ...n, seenAt: at(30) }, { id: "user-1" });
        });
        expect(await store.closures("a", { id: "user-1" })).toStrictEqual([
          { ...n, seenAt: at(30) },
        ]);
      }));

    it("serialises concurrent transactions on one loop: 20 appends end with 21 events", () =>
      withStore(async (store) => {
        await store.transaction((tx) => tx.putLoop("a", loop({ id: "L1" }), {}));
        // The store is not the state machine: a plain appended note is enough to see lost updates.
        const append = (i: number) =>
          store.transaction(async (tx) => {
            const current = await tx.getLoop("a", "L1");
            if (!current) throw new Error("loop vanished");
            const note = { from: current.state, to: current.state, actor: `agent:${i}`, at: at(i) };
            await tx.putLoop("a", { ...current, events: [...current.events, note] }, {});
          });
        await Promise.all(Array.from({ length: 20 }, (_, i) => append(i)));
        const final = await store.getLoop("a", "L1");
        expect(final?.events).toHaveLength(21);
        const actors = final?.events
          .slice(1)
          .map((e) => e.actor)
          .sort();
        expect(actors).toStrictEqual(Array.from({ length: 20 }, (_, i) => `agent:${i}`).sort());
      }));

    it("agrees with an in-memory model on listLoops filters and pages (fast-check)", async () => {
      const store = await open();
      try {
        await listLoopsAgreesWithModel(store, options.numRuns ?? 40);
      } finally {
        await store.close();
      }
    });

    it("aggregates metrics exactly as core's functions do on the same loops (fast-check)", async () => {
      const store = await open();
      try {
        await metricsAgreeWithCore(store, options.numRuns ?? 40);
      } finally {
        await store.close();
      }
    });
  });
}
