// A fast-check property: random sequences of putLoop and listLoops calls agree with an in-memory
// model (a Map filtered with core's isBreached, sorted by id, sliced by cursor).
import {
  canTransition,
  isBreached,
  LOOP_STATES,
  type Loop,
  type LoopState,
  type Route,
  TRANSITIONS,
} from "@closeloop/core";
import fc from "fast-check";
import { expect } from "vitest";
import type { CollectorStore, LoopFilter } from "../src/store/types.js";
import { allPages, environment, loop } from "./store-fixtures.js";

// Ids whose byte order differs from a locale's order (case, punctuation, digits), so a store that
// sorts with a collation other than byte order fails.
const IDS = ["01", "0a", "A1", "a1", "B", "b", "Z", "z_9", "m.n", "m:n", "m-n", "~"];
const OWNERS = ["support", "cx"];
const SURVEYS = ["s1", "s2"];
const JOURNEYS = ["onboarding", "checkout"];

const routeArb: fc.Arbitrary<Route> = fc
  .record({
    acknowledgeWithin: fc.constantFrom<string | undefined>(undefined, "1h", "4h"),
    closeWithin: fc.constantFrom<string | undefined>(undefined, "1d", "48h"),
    action: fc.constantFrom<Route["action"]>("follow-up", "none"),
  })
  .map(({ acknowledgeWithin, closeWithin, action }) => {
    const r: Route = { action, owner: "support", acknowledge: { message: { en: "Thanks" } } };
    if (acknowledgeWithin) r.acknowledgeWithin = acknowledgeWithin;
    if (closeWithin) r.closeWithin = closeWithin;
    return r;
  });

/** A loop walked through the state machine: each step picks one allowed move, minutes apart. */
const loopArb: fc.Arbitrary<Loop> = fc
  .record({
    id: fc.constantFrom(...IDS),
    openedAt: fc.integer({ min: 0, max: 5000 }),
    route: routeArb,
    owner: fc.option(fc.constantFrom(...OWNERS), { nil: undefined }),
    surveyId: fc.option(fc.constantFrom(...SURVEYS), { nil: undefined }),
    journey: fc.option(fc.constantFrom(...JOURNEYS), { nil: undefined }),
    walk: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3000 })), { maxLength: 7 }),
  })
  .map(({ id, openedAt, route, owner, surveyId, journey, walk }) => {
    let state: LoopState = "received";
    let t = openedAt;
    const steps: [LoopState, number][] = [];
    for (const [pick, gap] of walk) {
      const moves: readonly LoopState[] = TRANSITIONS[state].filter((to) =>
        canTransition(state, to, route.action),
      );
      const to: LoopState | undefined = moves[pick % moves.length];
      if (to === undefined) break;
      t += gap;
      steps.push([to, t]);
      state = to;
    }
    return loop({
      id,
      openedAt,
      route,
      steps,
      ...(owner ? { owner } : {}),
      ...(surveyId ? { surveyId } : {}),
      ...(journey ? { journey } : {}),
    });
  });

const STATES = LOOP_STATES.filter((s) => s !== "captured");

const filterArb: fc.Arbitrary<LoopFilter> = fc
  .record(
    {
      state: fc.oneof(fc.constantFrom(...STATES), fc.subarray([...STATES], { minLength: 2 })),
      owner: fc.constantFrom(...OWNERS, "nobody"),
      surveyId: fc.constantFrom(...SURVEYS),
      journey: fc.constantFrom(...JOURNEYS),
      breached: fc.boolean(),
      now: fc
        .integer({ min: 0, max: 20_000 })
        .map((m) => new Date(Date.parse("2026-11-23T10:00:00Z") + m * 60_000).toISOString()),
    },
    { requiredKeys: [] },
  )
  // `breached` without `now` would judge at the wall clock, twice (store, model): pin it.
  .map((f) =>
    f.breached !== undefined && f.now === undefined ? { ...f, now: "2026-11-25T10:00:00Z" } : f,
  );

type Action = { put: Loop } | { list: LoopFilter; limit: number };
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: loopArb.map((put) => ({ put })) },
  {
    weight: 1,
    arbitrary: fc.record({ list: filterArb, limit: fc.integer({ min: 1, max: 5 }) }),
  },
);

function modelList(model: Map<string, Loop>, f: LoopFilter): string[] {
  const now = new Date(f.now ?? Date.now());
  return [...model.values()]
    .filter(
      (l) =>
        (f.state === undefined || [f.state].flat().includes(l.state)) &&
        (f.owner === undefined || l.owner === f.owner) &&
        (f.surveyId === undefined || l.context.surveyId === f.surveyId) &&
        (f.journey === undefined || l.context.journey === f.journey) &&
        (f.breached === undefined || isBreached(l, now) === f.breached),
    )
    .map((l) => l.id)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Runs the property on `store`, each run in an environment of its own. */
export async function listLoopsAgreesWithModel(
  store: CollectorStore,
  numRuns: number,
): Promise<void> {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 25 }), async (actions) => {
      const envId = `model-${++run}`;
      await store.createEnvironment(environment(envId));
      const model = new Map<string, Loop>();
      for (const action of actions) {
        if ("put" in action) {
          await store.transaction((tx) => tx.putLoop(envId, action.put, {}));
          model.set(action.put.id, action.put);
          continue;
        }
        const got = await allPages(store, envId, action.list, action.limit);
        expect(got.map((l) => l.id)).toStrictEqual(modelList(model, action.list));
        expect(got).toStrictEqual(got.map((l) => model.get(l.id)));
      }
      const everything = await allPages(store, envId, {}, 100);
      expect(everything.map((l) => l.id)).toStrictEqual(modelList(model, {}));
    }),
    { numRuns },
  );
}
