import fc, { type GeneratorValue } from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkSurvey,
  createSurveySession,
  defineSurvey,
  type Issue,
  type Question,
  type Survey,
  SurveyDefinitionError,
  type SurveyInput,
  segmentOf,
  segmentsOf,
} from "../src/index.js";
import { onboardingNps } from "./fixtures.js";

type Raw = Record<string, unknown>;

const LOCALES = ["en", "fr"];
/** Question ids, including names of Object.prototype members, which must be ordinary ids. */
const IDS = ["q0", "q1", "q2", "q3", "q4", "q5", "why", "constructor", "toString", "valueOf"];
const SEGMENT_NAMES = [
  "detractor",
  "passive",
  "promoter",
  "unsatisfied",
  "neutral",
  "satisfied",
  "high-effort",
  "low-effort",
  "low",
  "mid",
  "high",
  "all",
  "unscored",
  "fans",
];
const OPS = [
  "eq",
  "neq",
  "lt",
  "lte",
  "gt",
  "gte",
  "in",
  "notIn",
  "contains",
  "answered",
  "skipped",
] as const;

const text = (label: string): Raw => Object.fromEntries(LOCALES.map((l) => [l, `${label} ${l}`]));

// ---------------------------------------------------------------------------------------------
// Valid building blocks

const optionsArb = fc
  .integer({ min: 1, max: 4 })
  .map((n) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, text: text(`o${i}`) })));

/** The type-specific part of a valid question. */
const questionShapeArb: fc.Arbitrary<Raw> = fc.oneof(
  fc.constant({ type: "nps" }),
  fc.constant({ type: "csat" }),
  fc.constant({ type: "ces" }),
  fc.record({
    type: fc.constant("rating"),
    scale: fc.integer({ min: 2, max: 10 }),
    display: fc.constantFrom("number", "stars", "emoji"),
  }),
  fc.record({
    type: fc.constant("single_choice"),
    options: optionsArb,
    shuffle: fc.boolean(),
    hasOther: fc.boolean(),
  }),
  fc
    .record({
      type: fc.constant("multi_choice"),
      options: optionsArb,
      shuffle: fc.boolean(),
      hasOther: fc.boolean(),
      bounds: fc.tuple(fc.nat(5), fc.nat(5), fc.boolean(), fc.boolean()),
    })
    .map(({ bounds: [a, b, useMin, useMax], hasOther, ...q }) => {
      const choices = q.options.length + (hasOther ? 1 : 0);
      const max = 1 + (b % choices);
      const min = a % (max + 1);
      return {
        ...q,
        hasOther,
        ...(useMin ? { minSelected: min } : {}),
        ...(useMax ? { maxSelected: max } : {}),
      };
    }),
  fc
    .record({
      type: fc.constant("open_text"),
      maxLength: fc.integer({ min: 1, max: 40 }),
      min: fc.option(fc.nat(40), { nil: undefined }),
    })
    .map(({ min, ...q }) =>
      min === undefined ? q : { ...q, minLength: Math.min(min, q.maxLength) },
    ),
  fc.constant({ type: "consent" }),
);

/** Questions with distinct ids from `IDS`, complete in every locale. */
const questionsArb: fc.Arbitrary<Raw[]> = fc
  .tuple(
    fc.shuffledSubarray(IDS, { minLength: 1, maxLength: 6 }),
    fc.array(fc.tuple(questionShapeArb, fc.boolean()), { minLength: 6, maxLength: 6 }),
  )
  .map(([ids, shapes]) =>
    ids.map((id, i) => {
      const [{ hasOther, ...shape }, required] = shapes[i] as [Raw, boolean];
      return {
        id,
        text: text(id),
        required,
        ...shape,
        ...(hasOther === true ? { other: { text: text("other") } } : {}),
      };
    }),
  );

/** A comparison on `q` whose operator and value fit its type. */
function comparisonArb(q: Raw): fc.Arbitrary<Raw> {
  const presence = fc.record({
    question: fc.constant(q.id),
    op: fc.constantFrom("answered", "skipped"),
  });
  const of = (ops: readonly string[], value: fc.Arbitrary<unknown>) =>
    fc.record({ question: fc.constant(q.id), op: fc.constantFrom(...ops), value });
  switch (q.type) {
    case "nps":
    case "csat":
    case "ces":
    case "rating": {
      const n = fc.integer({ min: 0, max: 10 });
      return fc.oneof(
        presence,
        of(["eq", "neq", "lt", "lte", "gt", "gte"], n),
        of(["in", "notIn"], fc.array(n, { minLength: 1, maxLength: 3 })),
      );
    }
    case "single_choice":
    case "multi_choice": {
      const ids = [...(q.options as { id: string }[]).map((o) => o.id), "other"];
      const id = fc.constantFrom(...ids);
      return fc.oneof(
        presence,
        of(["eq", "neq", "contains"], id),
        of(["in", "notIn"], fc.uniqueArray(id, { minLength: 1, maxLength: 3 })),
      );
    }
    case "open_text":
      return fc.oneof(presence, of(["eq", "neq", "contains"], fc.constantFrom("x", "xx", "a")));
    default:
      return fc.oneof(presence, of(["eq", "neq"], fc.boolean()));
  }
}

/** A condition over `earlier` (questions up to and including the one the rule belongs to). */
function conditionArb(earlier: readonly Raw[]): fc.Arbitrary<Raw> {
  const leaf = fc.constantFrom(...earlier).chain(comparisonArb);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.record({ all: fc.array(leaf, { minLength: 1, maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ any: fc.array(leaf, { minLength: 1, maxLength: 3 }) }) },
  );
}

/** Logic that only jumps forward (so it has no cycle) with well-typed conditions. */
function forwardLogicArb(questions: readonly Raw[]): fc.Arbitrary<Raw[]> {
  const entries = questions.map((q, i) => {
    const later = questions.slice(i + 1).map((x) => x.id as string);
    const then =
      later.length > 0
        ? fc.oneof(
            fc.constant<unknown>("end"),
            fc.constantFrom(...later).map((jump) => ({ jump })),
          )
        : fc.constant<unknown>("end");
    const rule = fc.record(
      { if: conditionArb(questions.slice(0, i + 1)), then },
      { requiredKeys: ["then"] },
    );
    return fc.option(
      fc.array(rule, { minLength: 1, maxLength: 3 }).map((rules) => ({ question: q.id, rules })),
      { nil: undefined, freq: 2 },
    );
  });
  return fc.tuple(...entries).map((all) => all.filter((e) => e !== undefined) as Raw[]);
}

const routeArb = (segment: string): fc.Arbitrary<Raw> =>
  fc.oneof(
    fc.constant({
      action: "none",
      acknowledge: { message: { en: `Thanks ${segment}`, fr: `Merci ${segment}` } },
    }),
    fc.record({
      action: fc.constant("follow-up"),
      owner: fc.constantFrom("support", "cx"),
      closeWithin: fc.constantFrom("48h", "7d"),
      acknowledge: fc.constant({
        message: { en: `Sorry. Thank you, ${segment}.`, fr: `Désolés. Merci, ${segment}.` },
      }),
    }),
  );

/** The routes a draft survey is missing, found by the gate itself. */
function missingSegments(draft: Raw): string[] {
  return checkSurvey(draft)
    .issues.filter((i) => i.code === "missing_route")
    .map((i) => i.path.slice("loop.routes.".length));
}

/** Random valid surveys: random questions, forward-only logic, a random route per segment. */
const validSurveyArb: fc.Arbitrary<Raw> = questionsArb
  .chain((questions) => fc.tuple(fc.constant(questions), forwardLogicArb(questions)))
  .map(([questions, logic]) => ({
    id: "prop",
    version: 1,
    name: "Property",
    locales: LOCALES,
    questions,
    logic,
    loop: { routes: {} },
  }))
  .chain((draft) => {
    const segments = missingSegments(draft);
    return fc.tuple(...segments.map(routeArb)).map((routes) => ({
      ...draft,
      loop: { routes: Object.fromEntries(segments.map((s, i) => [s, routes[i]])) },
    }));
  });

// ---------------------------------------------------------------------------------------------
// Wrong and nearly right inputs

/** Logic over `ids` with jumps anywhere (backwards, to itself, to unknown ids) and any operator/value. */
function wildLogicArb(ids: readonly string[]): fc.Arbitrary<Raw[]> {
  const id = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ids) }, fc.constant("ghost"));
  const comparison = fc.record(
    {
      question: id,
      op: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...OPS) }, fc.constant("like")),
      value: fc.oneof(
        fc.integer({ min: -1, max: 11 }),
        fc.string(),
        fc.boolean(),
        fc.array(fc.nat(3)),
      ),
    },
    { requiredKeys: ["question", "op"] },
  );
  const rule = fc.record(
    {
      if: fc.oneof(
        { weight: 6, arbitrary: comparison },
        { weight: 2, arbitrary: fc.record({ all: fc.array(comparison, { maxLength: 3 }) }) },
        { weight: 2, arbitrary: fc.record({ any: fc.array(comparison, { maxLength: 3 }) }) },
        { weight: 1, arbitrary: fc.anything() },
      ),
      then: fc.oneof(
        { weight: 3, arbitrary: fc.constant<unknown>("end") },
        { weight: 6, arbitrary: id.map((jump) => ({ jump })) },
        { weight: 1, arbitrary: fc.anything() },
      ),
    },
    { requiredKeys: ["then"] },
  );
  return fc.array(
    fc.record({ question: id, rules: fc.array(rule, { maxLength: 3 }) }, { requiredKeys: [] }),
    { maxLength: 4 },
  );
}

/** Routes for a random set of segment names, each complete or missing owner, deadline or text. */
const wildRoutesArb = fc.dictionary(
  fc.constantFrom(...SEGMENT_NAMES),
  fc.record(
    {
      action: fc.constantFrom("follow-up", "none", "later"),
      owner: fc.constantFrom("support", ""),
      closeWithin: fc.constantFrom("48h", "2 days"),
      acknowledge: fc.record(
        { message: fc.dictionary(fc.constantFrom("en", "fr", "de", "x"), fc.string()) },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
);

/** All paths into a JSON-like value, for random corruption. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const entries = Object.entries(value);
  return [
    prefix,
    ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, Array.isArray(value) ? Number(k) : k])),
  ];
}

/** A copy of `value` with the thing at `path` replaced by `junk` (or deleted, with `drop`, from an object). */
function corrupt(value: unknown, path: (string | number)[], junk: unknown, drop: boolean): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return junk;
  // Copy only the containers on the path, so junk elsewhere stays exactly as generated.
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Raw) }) as Raw;
  if (rest.length === 0 && drop && !Array.isArray(copy)) delete copy[key];
  else copy[key] = corrupt(copy[key], rest, junk, drop);
  return copy;
}

const corruptedArb = (base: fc.Arbitrary<unknown>) =>
  fc.tuple(base, fc.gen()).map(([survey, g]) => {
    let out: unknown = survey;
    const times = g(fc.integer, { min: 1, max: 3 });
    for (let t = 0; t < times; t++) {
      const paths = pathsOf(out);
      const path = paths[g(fc.nat, paths.length - 1)] ?? [];
      out = corrupt(
        out,
        path,
        g(() => fc.anything()),
        g(fc.boolean),
      );
    }
    return out;
  });

const nearValidArb: fc.Arbitrary<unknown> = fc.oneof(
  validSurveyArb,
  validSurveyArb
    .chain((s) =>
      fc.tuple(
        fc.constant(s),
        wildLogicArb((s.questions as Raw[]).map((q) => q.id as string)),
        wildRoutesArb,
        fc.boolean(),
        fc.boolean(),
      ),
    )
    .map(([s, logic, routes, replaceLogic, replaceRoutes]) => ({
      ...s,
      ...(replaceLogic ? { logic } : {}),
      ...(replaceRoutes ? { loop: { routes } } : {}),
    })),
  questionsArb
    .chain((questions) =>
      fc.tuple(
        fc.constant(questions),
        wildLogicArb(questions.map((q) => q.id as string)),
        wildRoutesArb,
      ),
    )
    .map(([questions, logic, routes]) => ({
      id: "near",
      version: 1,
      name: "Near",
      locales: LOCALES,
      questions: [...questions, ...questions.slice(0, 1)],
      logic,
      loop: { routes },
    })),
  corruptedArb(validSurveyArb),
);

const anyInputArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.jsonValue(),
  fc.record(
    {
      id: fc.anything(),
      version: fc.anything(),
      name: fc.anything(),
      locales: fc.oneof(fc.constant(LOCALES), fc.anything()),
      questions: fc.oneof(fc.array(fc.anything()), fc.anything()),
      logic: fc.oneof(fc.array(fc.anything()), fc.anything()),
      targeting: fc.anything(),
      loop: fc.oneof(fc.record({ routes: fc.anything() }), fc.anything()),
    },
    { requiredKeys: [] },
  ),
  corruptedArb(fc.constant(onboardingNps())),
  nearValidArb,
);

// ---------------------------------------------------------------------------------------------
// Driving a session

/** A valid answer to `q`, or `undefined` to skip an optional question. */
function validAnswer(q: Question, g: GeneratorValue): unknown {
  if (!q.required && g(fc.integer, { min: 0, max: 3 }) === 0) return undefined;
  switch (q.type) {
    case "nps":
      return g(fc.integer, { min: 0, max: 10 });
    case "csat":
      return g(fc.integer, { min: 1, max: 5 });
    case "ces":
      return g(fc.integer, { min: 1, max: 7 });
    case "rating":
      return g(fc.integer, { min: 1, max: q.scale });
    case "single_choice": {
      const ids: unknown[] = q.options.map((o) => o.id);
      if (q.other) ids.push({ other: "my own" });
      return g(fc.constantFrom, ...ids);
    }
    case "multi_choice": {
      const ids: unknown[] = q.options.map((o) => o.id);
      if (q.other) ids.push({ other: "my own" });
      const min = Math.max(q.minSelected ?? 0, q.required ? 1 : 0);
      const max = Math.min(q.maxSelected ?? ids.length, ids.length);
      return g(fc.shuffledSubarray, ids, { minLength: min, maxLength: max });
    }
    case "open_text": {
      const min = Math.max(q.minLength ?? 0, q.required ? 1 : 0);
      return "x".repeat(g(fc.integer, { min, max: q.maxLength }));
    }
    case "consent":
      return q.required ? true : g(fc.boolean);
  }
}

/** Whether an issue list is a proper answer of the gate: non-empty, every field a string. */
function wellFormed(issues: readonly Issue[]): boolean {
  return (
    issues.length > 0 &&
    issues.every(
      (i) =>
        typeof i.path === "string" &&
        typeof i.code === "string" &&
        i.code.length > 0 &&
        typeof i.message === "string" &&
        i.message.length > 0,
    )
  );
}

describe.each([
  { inputs: "any input", arb: anyInputArb, numRuns: 400, minAccepted: 15, minRefused: 200 },
  {
    inputs: "near-valid surveys",
    arb: nearValidArb,
    numRuns: 300,
    minAccepted: 40,
    minRefused: 100,
  },
])("checkSurvey and defineSurvey on $inputs", ({ arb, numRuns, minAccepted, minRefused }) => {
  it("checkSurvey never throws and answers ok with a survey, or a list of issues", () => {
    fc.assert(
      fc.property(arb, (input) => {
        const result = checkSurvey(input);
        if (result.ok) {
          expect(result.issues).toEqual([]);
          expect(result.survey).toBeDefined();
        } else {
          expect(result.survey).toBeUndefined();
          expect(wellFormed(result.issues)).toBe(true);
        }
        for (const w of result.warnings) {
          expect([typeof w.path, typeof w.code, typeof w.message]).toEqual([
            "string",
            "string",
            "string",
          ]);
        }
      }),
      { seed: 42, numRuns },
    );
  });

  it("defineSurvey returns a frozen survey or throws SurveyDefinitionError, nothing else", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(arb, (input) => {
        let survey: Survey | undefined;
        try {
          survey = defineSurvey(input as SurveyInput, { onWarning: () => {} });
        } catch (e) {
          expect(e).toBeInstanceOf(SurveyDefinitionError);
          const error = e as SurveyDefinitionError;
          expect(error.name).toBe("SurveyDefinitionError");
          expect(error.code).toBe("survey_definition_invalid");
          expect(wellFormed(error.issues)).toBe(true);
          expect(error.issues).toEqual(checkSurvey(input).issues);
          refused++;
          return;
        }
        expect(checkSurvey(input).ok).toBe(true);
        expect(Object.isFrozen(survey)).toBe(true);
        expect(Object.isFrozen(survey.questions)).toBe(true);
        accepted++;
      }),
      { seed: 42, numRuns },
    );
    // Both outcomes are exercised, so the property is not vacuous either way.
    expect(accepted).toBeGreaterThanOrEqual(minAccepted);
    expect(refused).toBeGreaterThanOrEqual(minRefused);
  });
});

describe("sessions on random valid surveys", () => {
  it("the generator's surveys are mostly accepted", () => {
    let accepted = 0;
    const runs = 200;
    fc.assert(
      fc.property(validSurveyArb, (input) => {
        if (checkSurvey(input).ok) accepted++;
      }),
      { seed: 42, numRuns: runs },
    );
    expect(accepted).toBeGreaterThanOrEqual(runs * 0.9);
  });

  it("never shows an unknown or repeated question and finishes within questions.length steps", () => {
    let driven = 0;
    fc.assert(
      fc.property(validSurveyArb, fc.gen(), (input, g) => {
        const check = checkSurvey(input);
        fc.pre(check.ok);
        const survey = defineSurvey(input as unknown as SurveyInput, { onWarning: () => {} });
        const ids = survey.questions.map((q) => q.id);
        const session = createSurveySession(survey, {
          locale: g(fc.constantFrom, "en", "fr", "fr-CA", "de"),
          random: () => g(fc.double, { min: 0, max: 1, maxExcluded: true, noNaN: true }),
        });
        const shown: string[] = [];
        let steps = 0;
        while (!session.finished) {
          const view = session.current();
          if (!view) throw new Error("an unfinished session must show a question");
          expect(ids).toContain(view.id);
          expect(shown).not.toContain(view.id);
          shown.push(view.id);
          const q = survey.questions.find((x) => x.id === view.id) as Question;
          const value = validAnswer(q, g);
          if (value !== undefined) session.answer(view.id, value);
          session.next();
          steps++;
          expect(steps).toBeLessThanOrEqual(survey.questions.length);
        }
        expect(session.current()).toBeUndefined();
        expect(shown[0]).toBe(ids[0]);
        // Only answers on the path are reported.
        for (const id of Object.keys(session.answers)) expect(shown).toContain(id);
        // Every finished session reaches a route: the gate's promise.
        const outcome = session.outcome();
        expect(outcome).toBeDefined();
        expect(outcome?.segment).toBe(segmentOf(survey, session.answers));
        expect(segmentsOf(survey)).toContain(outcome?.segment);
        expect(outcome?.route).toBe(survey.loop.routes[outcome?.segment ?? ""]);
        // And a resumed copy lands in the same place.
        const resumed = createSurveySession(survey, { restore: session.toJSON() });
        expect(resumed.finished).toBe(true);
        expect(resumed.outcome()).toEqual(outcome);
        driven++;
      }),
      { seed: 42, numRuns: 200 },
    );
    expect(driven).toBeGreaterThanOrEqual(180);
  });

  it("stays on known questions, without repeats, when the respondent goes back and forth", () => {
    fc.assert(
      fc.property(validSurveyArb, fc.gen(), (input, g) => {
        fc.pre(checkSurvey(input).ok);
        const survey = defineSurvey(input as unknown as SurveyInput, { onWarning: () => {} });
        const ids = new Set(survey.questions.map((q) => q.id));
        const session = createSurveySession(survey, { random: () => 0.5 });
        const budget = survey.questions.length * 4;
        for (let moves = 0; moves < budget && !session.finished; moves++) {
          const view = session.current();
          if (!view) throw new Error("an unfinished session must show a question");
          expect(ids.has(view.id)).toBe(true);
          const path = session.toJSON().path;
          expect(new Set(path).size).toBe(path.length);
          if (g(fc.integer, { min: 0, max: 3 }) === 0) {
            session.back();
            continue;
          }
          const q = survey.questions.find((x) => x.id === view.id) as Question;
          const value = validAnswer(q, g);
          if (value !== undefined) session.answer(view.id, value);
          session.next();
        }
        const path = session.toJSON().path;
        expect(path.every((id) => ids.has(id))).toBe(true);
        expect(new Set(path).size).toBe(path.length);
        expect(path.length).toBeLessThanOrEqual(survey.questions.length);
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
