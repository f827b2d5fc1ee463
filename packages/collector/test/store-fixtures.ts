// Domain objects for the store conformance suite, built with core's own functions so that every
// loop has a history the state machine could have produced.
import {
  type ClosureNotice,
  createLoop,
  type Loop,
  type LoopState,
  type Route,
  type Survey,
  SurveySchema,
  type TransitionOptions,
  transition,
  uuidv7,
} from "@closeloop/core";
import { expect } from "vitest";
import { onboardingNps } from "../../core/test/fixtures.js";
import type {
  CollectorStore,
  Environment,
  KeyKind,
  KeyRecord,
  LoopFilter,
  StoredResponse,
} from "../src/store/types.js";

export const T0_MS = Date.parse("2026-11-23T10:00:00.000Z");
export const MIN = 60_000;
export const HOUR = 60 * MIN;
/** An ISO instant `minutes` after T0. */
export const at = (minutes: number) => new Date(T0_MS + minutes * MIN).toISOString();

export const environment = (id: string, minutes = 0): Environment => ({
  id,
  name: `Environment ${id}`,
  createdAt: at(minutes),
});

export function keyRecord(envId: string, kind: KeyKind, n: number): KeyRecord {
  const key: KeyRecord = {
    id: `key_${envId}_${kind}_${n}`,
    envId,
    kind,
    hash: `${envId}${kind}${n}`.padEnd(64, "0"),
    prefix: kind === "public" ? "pk_test_ab" : "sk_test_ab",
    createdAt: at(n),
  };
  if (kind === "secret") key.secret = `sk_test_${envId}_${n}`;
  return key;
}

/** The example onboarding NPS survey, checked, under another id or version if asked. */
export function survey(version = 1, id = "onboarding-nps", name = "Onboarding NPS"): Survey {
  return SurveySchema.parse({ ...onboardingNps(), id, version, name });
}

export const ROUTE: Route = {
  action: "follow-up",
  owner: "support",
  acknowledgeWithin: "4h",
  closeWithin: "48h",
  acknowledge: { message: { en: "Sorry. We will call you within two days." } },
};

/** Options of `loop`: where it came from, and the steps after opening (state, minutes after T0). */
export interface LoopSpec {
  id: string;
  openedAt?: number;
  steps?: [LoopState, number][];
  route?: Route;
  surveyId?: string;
  journey?: string;
  owner?: string;
  customer?: Loop["customer"];
}

const stepOptions = (to: LoopState, minutes: number, i: number): TransitionOptions => {
  const o: TransitionOptions = { actor: `agent:${i}`, at: at(minutes), note: `step ${i} → ${to}` };
  if (to === "closed") Object.assign(o, { informedVia: "email", message: "We fixed it." });
  if (to === "resolved") o.message = "Refunded the double charge.";
  return o;
};

/** A loop opened at `openedAt` minutes and moved through `steps`. */
export function loop(spec: LoopSpec): Loop {
  const context: Loop["context"] = {};
  if (spec.surveyId) context.surveyId = spec.surveyId;
  if (spec.journey) context.journey = spec.journey;
  const route = spec.route ?? ROUTE;
  let l = createLoop({
    id: spec.id,
    source: { kind: "response", id: `src-${spec.id}` },
    segment: "detractor",
    route: spec.owner ? { ...route, owner: spec.owner } : route,
    at: at(spec.openedAt ?? 0),
    context,
    ...(spec.customer ? { customer: spec.customer } : {}),
  });
  (spec.steps ?? []).forEach(([to, minutes], i) => {
    l = transition(l, to, stepOptions(to, minutes, i));
  });
  return l;
}

export function response(
  id: string,
  finished: boolean,
  surveyId = "onboarding-nps",
): StoredResponse {
  const r: StoredResponse = {
    id,
    surveyId,
    surveyVersion: 1,
    respondent: { id: "user-1" },
    answers: finished ? { score: 3, why: "Too slow" } : { score: 3 },
    finished,
    locale: "en",
    context: { url: "https://app.example/settings", journey: "onboarding" },
    createdAt: at(0),
    idempotencyKey: `idem-${id}`,
    receivedAt: at(finished ? 2 : 1),
  };
  if (finished) r.segment = "detractor";
  return r;
}

export const newResponseId = () => uuidv7();

export function notice(id: string, loopId: string, minutes: number): ClosureNotice {
  return {
    id,
    loopId,
    surveyId: "onboarding-nps",
    youSaid: "Too slow",
    message: "We made exports 10× faster.",
    locale: "en",
    createdAt: at(minutes),
  };
}

/** Every loop of a listing, page by page; checks each page's size and cursor on the way. */
export async function allPages(
  store: CollectorStore,
  envId: string,
  filter: LoopFilter,
  limit: number,
): Promise<Loop[]> {
  const out: Loop[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await store.listLoops(
      envId,
      filter,
      after === undefined ? { limit } : { after, limit },
    );
    expect(page.loops.length).toBeLessThanOrEqual(limit);
    out.push(...page.loops);
    if (page.next === undefined) return out;
    expect(page.loops).toHaveLength(limit);
    expect(page.next).toBe(page.loops[page.loops.length - 1]?.id);
    after = page.next;
  }
  throw new Error("listLoops never ended");
}

/** `store` with its `metrics()` calls counted: how many reports a desk page or cache asked for. */
export function countingMetrics(store: CollectorStore): { store: CollectorStore; calls(): number } {
  let calls = 0;
  return {
    store: {
      ...store,
      metrics: (...args) => {
        calls++;
        return store.metrics(...args);
      },
    },
    calls: () => calls,
  };
}
