import { describe, expect, it } from "vitest";
import {
  type AcknowledgementParts,
  ANY_CHANNEL,
  type Answers,
  type Condition,
  checkSurvey,
  composeAcknowledgement,
  defineFeedbackPolicy,
  defineSurvey,
  evaluateCondition,
  type FeedbackPolicyInput,
  feedbackRoute,
  InvalidAnswerError,
  type Issue,
  localize,
  NEGATIVE_SEGMENTS,
  type Question,
  resolveLocale,
  SEGMENT_ALL,
  SEGMENT_UNSCORED,
  SEGMENTS,
  SurveyDefinitionError,
  type SurveyInput,
  scoringQuestionOf,
  segmentForScore,
  segmentOf,
  segmentsOf,
  ValidationError,
  validateAnswer,
} from "../src/index.js";
import { onboardingNps } from "./fixtures.js";

type Raw = Record<string, unknown>;

/** A deep copy of JSON-like data. */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function codes(issues: readonly Issue[]): { path: string; code: string }[] {
  return issues.map(({ path, code }) => ({ path, code }));
}

function thrown<E>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as E;
  }
  throw new Error(`expected ${type.name}`);
}

/** `value`'s segment for every score `from..to`, as one array. */
function segmentsFor(question: Parameters<typeof segmentForScore>[0], from: number, to: number) {
  const out: string[] = [];
  for (let v = from; v <= to; v++) out.push(segmentForScore(question, v));
  return out;
}

describe("segmentForScore", () => {
  it("splits NPS 0–6 / 7–8 / 9–10", () => {
    expect(segmentsFor({ type: "nps" }, 0, 10)).toEqual([
      ...Array<string>(7).fill("detractor"),
      "passive",
      "passive",
      "promoter",
      "promoter",
    ]);
  });

  it("splits CSAT 1–2 / 3 / 4–5", () => {
    expect(segmentsFor({ type: "csat" }, 1, 5)).toEqual([
      "unsatisfied",
      "unsatisfied",
      "neutral",
      "satisfied",
      "satisfied",
    ]);
  });

  it("splits CES 1–3 / 4 / 5–7", () => {
    expect(segmentsFor({ type: "ces" }, 1, 7)).toEqual([
      "high-effort",
      "high-effort",
      "high-effort",
      "neutral",
      "low-effort",
      "low-effort",
      "low-effort",
    ]);
  });

  const L = "low";
  const M = "mid";
  const H = "high";
  it.each([
    [2, [L, H]],
    [3, [L, M, H]],
    [4, [L, M, M, H]],
    [5, [L, L, M, H, H]],
    [6, [L, L, M, M, H, H]],
    [7, [L, L, M, M, M, H, H]],
    [8, [L, L, L, M, M, H, H, H]],
    [9, [L, L, L, M, M, M, H, H, H]],
    [10, [L, L, L, M, M, M, M, H, H, H]],
  ])("splits a %i-point rating in thirds by position", (scale, expected) => {
    expect(segmentsFor({ type: "rating", scale }, 1, scale)).toEqual(expected);
  });

  it("places each rating point by its position (v−1)/(n−1) against 1/3 and 2/3", () => {
    for (let scale = 2; scale <= 10; scale++) {
      for (let v = 1; v <= scale; v++) {
        const position = (v - 1) / (scale - 1);
        const expected = position < 1 / 3 ? "low" : position > 2 / 3 ? "high" : "mid";
        expect(segmentForScore({ type: "rating", scale }, v)).toBe(expected);
      }
    }
  });

  it("is monotonic: a higher score is never in a less satisfied segment", () => {
    const rank = (type: keyof typeof SEGMENTS, s: string) =>
      (SEGMENTS[type] as readonly string[]).indexOf(s);
    for (const [type, from, to] of [
      ["nps", 0, 10],
      ["csat", 1, 5],
      ["ces", 1, 7],
    ] as const) {
      const ranks = segmentsFor({ type }, from, to).map((s) => rank(type, s));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });
});

describe("segments, segmentsOf and segmentOf", () => {
  const survey = defineSurvey(onboardingNps());

  it("names the least satisfied segment of each type as negative", () => {
    expect([...NEGATIVE_SEGMENTS].sort()).toEqual([
      "detractor",
      "high-effort",
      "low",
      "unsatisfied",
    ]);
    expect(SEGMENT_ALL).toBe("all");
    expect(SEGMENT_UNSCORED).toBe("unscored");
  });

  it("segments the example survey by its scoring question", () => {
    expect(scoringQuestionOf(survey.questions)?.id).toBe("score");
    expect(segmentsOf(survey)).toEqual(["detractor", "passive", "promoter"]);
    expect(segmentOf(survey, { score: 0 })).toBe("detractor");
    expect(segmentOf(survey, { score: 6, why: "slow" })).toBe("detractor");
    expect(segmentOf(survey, { score: 7 })).toBe("passive");
    expect(segmentOf(survey, { score: 9 })).toBe("promoter");
  });

  it("is `unscored` without a numeric score", () => {
    expect(segmentOf(survey, {})).toBe("unscored");
    expect(segmentOf(survey, { why: "no score" })).toBe("unscored");
    expect(segmentOf(survey, { score: "9" })).toBe("unscored");
  });

  it("is `all` without a scoring question", () => {
    const questions: Question[] = [
      { id: "why", type: "open_text", required: true, maxLength: 100, text: { en: "Why?" } },
    ];
    expect(scoringQuestionOf(questions)).toBeUndefined();
    expect(segmentsOf({ questions, logic: [] })).toEqual(["all"]);
    expect(segmentOf({ questions }, { why: "x" })).toBe("all");
  });

  it("lists only the rating segments a scale can reach, plus `unscored` when skippable", () => {
    const rating = (scale: number, required: boolean): Question[] => [
      { id: "r", type: "rating", scale, display: "stars", required, text: { en: "R" } },
    ];
    expect(segmentsOf({ questions: rating(2, true), logic: [] })).toEqual(["low", "high"]);
    expect(segmentsOf({ questions: rating(3, true), logic: [] })).toEqual(["low", "mid", "high"]);
    expect(segmentsOf({ questions: rating(2, false), logic: [] })).toEqual([
      "low",
      "high",
      "unscored",
    ]);
    expect(segmentOf({ questions: rating(2, true) }, { r: 2 })).toBe("high");
  });
});

describe("evaluateCondition", () => {
  const answers: Answers = {
    score: 5,
    plan: "pro",
    picks: ["a", "c"],
    mixed: ["b", { other: "Mine" }],
    mine: { other: "Something" },
    why: "The Export is SLOW",
    ok: true,
  };
  const holds = (c: Condition) => evaluateCondition(c, answers);

  it.each<[Condition, boolean]>([
    [{ question: "score", op: "eq", value: 5 }, true],
    [{ question: "score", op: "eq", value: "5" }, false],
    [{ question: "plan", op: "eq", value: "pro" }, true],
    [{ question: "ok", op: "eq", value: true }, true],
    [{ question: "mine", op: "eq", value: "other" }, true],
    [{ question: "picks", op: "eq", value: "a" }, false],
    [{ question: "score", op: "neq", value: 4 }, true],
    [{ question: "score", op: "neq", value: 5 }, false],
    [{ question: "picks", op: "neq", value: "a" }, true],
    [{ question: "score", op: "lt", value: 6 }, true],
    [{ question: "score", op: "lt", value: 5 }, false],
    [{ question: "score", op: "lte", value: 5 }, true],
    [{ question: "score", op: "lte", value: 4 }, false],
    [{ question: "score", op: "gt", value: 4 }, true],
    [{ question: "score", op: "gt", value: 5 }, false],
    [{ question: "score", op: "gte", value: 5 }, true],
    [{ question: "score", op: "gte", value: 6 }, false],
    [{ question: "plan", op: "lt", value: 6 }, false],
    [{ question: "score", op: "lt", value: "6" }, false],
    [{ question: "plan", op: "in", value: ["free", "pro"] }, true],
    [{ question: "plan", op: "in", value: ["free"] }, false],
    [{ question: "picks", op: "in", value: ["c", "z"] }, true],
    [{ question: "picks", op: "in", value: ["b"] }, false],
    [{ question: "mixed", op: "in", value: ["other"] }, true],
    [{ question: "score", op: "in", value: [4, 5] }, true],
    [{ question: "plan", op: "in", value: "pro" }, false],
    [{ question: "plan", op: "notIn", value: ["free"] }, true],
    [{ question: "plan", op: "notIn", value: ["pro"] }, false],
    [{ question: "picks", op: "notIn", value: ["b"] }, true],
    [{ question: "picks", op: "notIn", value: ["a"] }, false],
    [{ question: "plan", op: "notIn", value: "x" }, false],
    [{ question: "why", op: "contains", value: "export is slow" }, true],
    [{ question: "why", op: "contains", value: "fast" }, false],
    [{ question: "picks", op: "contains", value: "c" }, true],
    [{ question: "picks", op: "contains", value: "b" }, false],
    [{ question: "mixed", op: "contains", value: "other" }, true],
    [{ question: "score", op: "contains", value: 5 }, false],
    [{ question: "why", op: "answered" }, true],
    [{ question: "never", op: "answered" }, false],
    [{ question: "never", op: "skipped" }, true],
    [{ question: "why", op: "skipped" }, false],
  ])("%j is %s", (condition, expected) => {
    expect(holds(condition)).toBe(expected);
  });

  it("is false for every value test on an unanswered question", () => {
    for (const op of ["eq", "neq", "lt", "lte", "gt", "gte", "in", "notIn", "contains"] as const) {
      const value = op === "in" || op === "notIn" ? ["x"] : op === "contains" ? "x" : 1;
      expect(evaluateCondition({ question: "never", op, value }, answers)).toBe(false);
    }
  });

  it("combines with all / any, nested", () => {
    const yes: Condition = { question: "score", op: "eq", value: 5 };
    const no: Condition = { question: "score", op: "eq", value: 6 };
    expect(holds({ all: [yes, yes] })).toBe(true);
    expect(holds({ all: [yes, no] })).toBe(false);
    expect(holds({ any: [no, yes] })).toBe(true);
    expect(holds({ any: [no, no] })).toBe(false);
    expect(holds({ all: [yes, { any: [no, { all: [yes, { any: [yes] }] }] }] })).toBe(true);
    expect(holds({ any: [no, { all: [yes, { any: [no] }] }] })).toBe(false);
  });

  it("reads only the answers' own properties", () => {
    expect(evaluateCondition({ question: "toString", op: "answered" }, {})).toBe(false);
    expect(evaluateCondition({ question: "constructor", op: "skipped" }, {})).toBe(true);
  });
});

describe("validateAnswer", () => {
  const base = { required: false, text: { en: "Q" } };
  const nps: Question = { id: "n", type: "nps", ...base };
  const rating: Question = { id: "r", type: "rating", scale: 4, display: "number", ...base };
  const choice: Question = {
    id: "c",
    type: "single_choice",
    shuffle: false,
    options: [
      { id: "a", text: { en: "A" } },
      { id: "b", text: { en: "B" } },
    ],
    other: { text: { en: "Other" } },
    ...base,
  };
  const multi: Question = {
    id: "m",
    type: "multi_choice",
    shuffle: false,
    options: [
      { id: "a", text: { en: "A" } },
      { id: "b", text: { en: "B" } },
    ],
    other: { text: { en: "Other" } },
    maxSelected: 2,
    ...base,
  };
  const open: Question = { id: "t", type: "open_text", minLength: 2, maxLength: 4, ...base };
  const consent: Question = { id: "k", type: "consent", ...base, required: true };
  const reason = (q: Question, value: unknown) => {
    const error = thrown(() => validateAnswer(q, value), InvalidAnswerError);
    expect(error.questionId).toBe(q.id);
    return error.reason;
  };

  it("returns the value as stored", () => {
    expect(validateAnswer(nps, 0)).toBe(0);
    expect(validateAnswer(rating, 4)).toBe(4);
    expect(validateAnswer(choice, "b")).toBe("b");
    expect(validateAnswer(open, "abcd")).toBe("abcd");
    expect(validateAnswer(consent, true)).toBe(true);
    expect(validateAnswer(multi, ["b", { other: "x" }])).toEqual(["b", { other: "x" }]);
  });

  it("keeps only the text of an { other } answer", () => {
    expect(validateAnswer(choice, { other: "Mine", extra: 1 })).toEqual({ other: "Mine" });
    expect(validateAnswer(multi, [{ other: "Mine", id: "a" }])).toEqual([{ other: "Mine" }]);
  });

  it("gives a reason for each kind of problem", () => {
    expect(reason(nps, 11)).toBe("out_of_range");
    expect(reason(nps, -1)).toBe("out_of_range");
    expect(reason(nps, 1.5)).toBe("wrong_type");
    expect(reason(rating, 5)).toBe("out_of_range");
    expect(reason(rating, 0)).toBe("out_of_range");
    expect(reason(choice, "z")).toBe("unknown_option");
    expect(reason(choice, { other: "" })).toBe("wrong_type");
    expect(reason(choice, null)).toBe("wrong_type");
    expect(reason(multi, ["a", "b", { other: "x" }])).toBe("too_many");
    expect(reason(multi, ["a", "a"])).toBe("duplicate_option");
    expect(reason(multi, { 0: "a" })).toBe("wrong_type");
    expect(reason(open, "a")).toBe("too_short");
    expect(reason(open, "abcde")).toBe("too_long");
    expect(reason(consent, false)).toBe("required");
    expect(reason(consent, "true")).toBe("wrong_type");
  });

  it("treats blank text and an empty choice list as no answer to a required question", () => {
    expect(reason({ ...open, minLength: undefined, required: true } as Question, " ")).toBe(
      "required",
    );
    expect(reason({ ...multi, required: true }, [])).toBe("required");
    expect(validateAnswer({ ...multi, required: false }, [])).toEqual([]);
  });
});

describe("composeAcknowledgement", () => {
  const parts: AcknowledgementParts = {
    apologize: "We're sorry we let you down.",
    clarify: "The export was slow for you this week.",
    ask: "Is there anything else we should know?",
    apologizeAgain: "Again, our apologies.",
    assure: "Someone from our team will contact you within two days.",
    thank: "Thank you for telling us.",
  };

  it("joins the six parts in the recovery order", () => {
    expect(composeAcknowledgement(parts, "en")).toBe(
      "We're sorry we let you down. The export was slow for you this week. Is there anything else we should know? Again, our apologies. Someone from our team will contact you within two days. Thank you for telling us.",
    );
  });

  it("joins in the recovery order whatever the key order of the input", () => {
    const shuffled: AcknowledgementParts = {
      thank: "6",
      assure: "5",
      apologizeAgain: "4",
      ask: "3",
      clarify: "2",
      apologize: "1",
    };
    expect(composeAcknowledgement(shuffled, "en")).toBe("1 2 3 4 5 6");
  });

  it("picks each localized part in the requested locale and trims it", () => {
    const localized: AcknowledgementParts = {
      apologize: { en: "Sorry.", fr: "  Désolés.  " },
      clarify: { en: "It broke.", fr: "Cela a échoué." },
      ask: "?",
      apologizeAgain: { en: "Sorry again.", fr: "Encore pardon." },
      assure: { en: "We fix it.", fr: "Nous corrigeons." },
      thank: { en: "Thanks.", fr: "Merci." },
    };
    expect(composeAcknowledgement(localized, "fr")).toBe(
      "Désolés. Cela a échoué. ? Encore pardon. Nous corrigeons. Merci.",
    );
    expect(composeAcknowledgement(localized, "en")).toBe(
      "Sorry. It broke. ? Sorry again. We fix it. Thanks.",
    );
  });

  it("throws ValidationError naming each missing part", () => {
    const partial = {
      apologize: { en: "Sorry." },
      clarify: "   ",
      ask: "Anything else?",
      assure: { fr: "Nous corrigeons." },
      thank: "",
    } as unknown as AcknowledgementParts;
    const error = thrown(() => composeAcknowledgement(partial, "en"), ValidationError);
    expect(error.name).toBe("ValidationError");
    expect(error.code).toBe("validation_failed");
    expect(error.issues).toEqual([
      { path: "clarify", code: "missing_part", message: 'the "clarify" step has no "en" text' },
      {
        path: "apologizeAgain",
        code: "missing_part",
        message: 'the "apologizeAgain" step has no "en" text',
      },
      { path: "assure", code: "missing_part", message: 'the "assure" step has no "en" text' },
      { path: "thank", code: "missing_part", message: 'the "thank" step has no "en" text' },
    ]);
  });

  it("names all six parts when none is given", () => {
    const error = thrown(
      () => composeAcknowledgement({} as unknown as AcknowledgementParts, "fr"),
      ValidationError,
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      "apologize",
      "clarify",
      "ask",
      "apologizeAgain",
      "assure",
      "thank",
    ]);
  });

  it("builds a detractor message that defineSurvey does not warn about", () => {
    const input = clone(onboardingNps()) as SurveyInput;
    const detractor = (input.loop.routes as Raw).detractor as { acknowledge: { message: Raw } };
    detractor.acknowledge.message = {
      en: composeAcknowledgement(parts, "en"),
      fr: composeAcknowledgement(
        {
          apologize: "Désolés.",
          clarify: "L'export était lent.",
          ask: "Autre chose ?",
          apologizeAgain: "Toutes nos excuses.",
          assure: "Nous vous contacterons.",
          thank: "Merci de nous l'avoir dit.",
        },
        "fr",
      ),
    };
    const result = checkSurvey(input);
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([]);
  });
});

describe("locales", () => {
  it("resolves exact, case-insensitive, same-language, then default", () => {
    expect(resolveLocale(["en", "fr"], "fr")).toBe("fr");
    expect(resolveLocale(["en", "fr"], "FR")).toBe("fr");
    expect(resolveLocale(["en", "fr"], "fr-CA")).toBe("fr");
    expect(resolveLocale(["en", "fr-CA"], "fr")).toBe("fr-CA");
    expect(resolveLocale(["en", "pt-BR", "pt-PT"], "pt-pt")).toBe("pt-PT");
    expect(resolveLocale(["en", "pt-BR"], "pt-PT")).toBe("pt-BR");
    expect(resolveLocale(["de", "en"], "ja")).toBe("de");
    expect(resolveLocale(["de", "en"], undefined)).toBe("de");
    expect(resolveLocale(["de", "en"], "")).toBe("de");
    expect(resolveLocale([], "fr")).toBe("en");
  });

  it("localizes with the locale, the fallback, then any text", () => {
    expect(localize({ en: "Hi", fr: "Salut" }, "fr", "en")).toBe("Salut");
    expect(localize({ en: "Hi", fr: "Salut" }, "de", "en")).toBe("Hi");
    expect(localize({ fr: "Salut" }, "de", "en")).toBe("Salut");
    expect(localize({}, "de", "en")).toBe("");
  });
});

describe("defineFeedbackPolicy", () => {
  const route = (en: string, fr = `${en} (fr)`) => ({
    action: "follow-up" as const,
    owner: "support",
    closeWithin: "48h",
    acknowledge: { message: { en, fr } },
  });
  const policy = (): FeedbackPolicyInput => ({
    locales: ["en", "fr"],
    channels: ["support", "review"],
    routes: {
      support: route("Sorry for the trouble. Thank you.", "Désolés. Merci."),
      review: route("Sorry to read this. Thanks for the review.", "Désolés. Merci."),
      "*": route("Sorry. Thank you for telling us.", "Désolés. Merci."),
    },
  });
  const issuesOf = (input: unknown) =>
    thrown(() => defineFeedbackPolicy(input as FeedbackPolicyInput), SurveyDefinitionError).issues;

  it("accepts a complete policy, frozen, with no warnings", () => {
    const p = defineFeedbackPolicy(policy());
    expect(p.locales).toEqual(["en", "fr"]);
    expect(p.channels).toEqual(["support", "review"]);
    expect(Object.keys(p.routes)).toEqual(["support", "review", "*"]);
    expect(p.warnings).toEqual([]);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.routes.support?.acknowledge.message)).toBe(true);
    expect(ANY_CHANNEL).toBe("*");
  });

  it("needs only the catch-all when no channel is declared", () => {
    const p = defineFeedbackPolicy({
      locales: ["en"],
      routes: { "*": { action: "none", acknowledge: { message: { en: "Thanks" } } } },
    });
    expect(p.channels).toEqual([]);
    expect(Object.keys(p.routes)).toEqual(["*"]);
  });

  it('requires the "*" catch-all', () => {
    const input = policy();
    delete input.routes["*"];
    const error = thrown(() => defineFeedbackPolicy(input), SurveyDefinitionError);
    expect(error.name).toBe("SurveyDefinitionError");
    expect(error.code).toBe("survey_definition_invalid");
    expect(error.issues).toEqual([
      {
        path: "routes.*",
        code: "missing_route",
        message:
          'segment "*" has no route: every answer must reach an acknowledgement, an owner and a deadline',
      },
    ]);
    expect(error.message.startsWith("Feedback policy is not publishable (1 issue):")).toBe(true);
  });

  it("requires a route per declared channel and refuses routes for undeclared ones", () => {
    const input = policy();
    delete input.routes.review;
    input.routes.email = route("Sorry. Thanks.");
    expect(codes(issuesOf(input))).toEqual([
      { path: "routes.review", code: "missing_route" },
      { path: "routes.email", code: "unknown_segment" },
    ]);
  });

  it("applies the same completeness rule to every route", () => {
    const input = policy();
    input.routes.support = {
      action: "follow-up",
      acknowledge: { message: { en: "Sorry. Thanks." } },
    };
    expect(issuesOf(input)).toEqual([
      {
        path: "routes.support.acknowledge.message.fr",
        code: "missing_message",
        message:
          'the acknowledgement has no "fr" text, so "fr" respondents would not be told they were heard',
      },
      {
        path: "routes.support.owner",
        code: "missing_owner",
        message: "a follow-up route needs an owner who acts on it",
      },
      {
        path: "routes.support.closeWithin",
        code: "missing_close_within",
        message: "a follow-up route needs a closeWithin deadline such as 48h",
      },
    ]);
  });

  it("lists schema problems and completeness gaps together", () => {
    const input = {
      locales: [],
      channels: ["support", "bad id"],
      routes: { support: { action: "later", acknowledge: { message: { en: "x" } } } },
    };
    expect(codes(issuesOf(input))).toEqual([
      { path: "locales", code: "too_small" },
      { path: "channels.1", code: "invalid_format" },
      { path: "routes.support.action", code: "invalid_value" },
      { path: "routes.bad id", code: "missing_route" },
      { path: "routes.*", code: "missing_route" },
    ]);
  });

  it.each([[null], [42], ["policy"], [[]]])("refuses %j as a whole", (input) => {
    const issues = issuesOf(input);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.path).toBe("");
  });

  it("needs a route for a channel named like an Object.prototype member", () => {
    const input = policy();
    input.channels = ["toString"];
    delete input.routes.support;
    delete input.routes.review;
    expect(codes(issuesOf(input))).toEqual([{ path: "routes.toString", code: "missing_route" }]);
  });

  it("warns about follow-up messages without apology or thanks", () => {
    const input = policy();
    input.routes.support = route("We will look into it.", "Désolés. Merci.");
    input.routes.review = {
      action: "none",
      acknowledge: { message: { en: "Noted.", fr: "Noté." } },
    };
    expect(codes(defineFeedbackPolicy(input).warnings)).toEqual([
      { path: "routes.support.acknowledge.message.en", code: "acknowledgement_without_apology" },
      { path: "routes.support.acknowledge.message.en", code: "acknowledgement_without_thanks" },
    ]);
  });
});

describe("feedbackRoute", () => {
  const p = defineFeedbackPolicy({
    locales: ["en"],
    channels: ["support"],
    routes: {
      support: {
        action: "follow-up",
        owner: "support",
        closeWithin: "24h",
        acknowledge: { message: { en: "Sorry. Thanks." } },
      },
      "*": {
        action: "follow-up",
        owner: "cx",
        closeWithin: "7d",
        acknowledge: { message: { en: "Sorry. Thank you." } },
      },
    },
  });

  it("picks the channel's own route", () => {
    expect(feedbackRoute(p, { channel: "support" })).toEqual({
      segment: "support",
      route: p.routes.support,
    });
  });

  it('falls back to the "*" route for any other channel', () => {
    for (const channel of ["review", "email", "my-custom-channel"]) {
      expect(feedbackRoute(p, { channel })).toEqual({ segment: "*", route: p.routes["*"] });
    }
  });

  it("does not mistake an Object.prototype member for a route", () => {
    for (const channel of ["constructor", "toString", "hasOwnProperty"]) {
      expect(feedbackRoute(p, { channel })).toEqual({ segment: "*", route: p.routes["*"] });
    }
  });
});
