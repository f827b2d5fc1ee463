import { describe, expect, it, vi } from "vitest";
import {
  CloseloopError,
  checkSurvey,
  defineSurvey,
  type Issue,
  SurveyDefinitionError,
  type SurveyInput,
  segmentOf,
  segmentsOf,
} from "../src/index.js";
import { onboardingNps } from "./fixtures.js";

type Raw = Record<string, unknown>;

/** A deep copy of JSON-like data. */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
type RouteInput = NonNullable<SurveyInput["loop"]["routes"]>[string];

/** The example survey as a mutable plain object, to break one thing at a time. */
function example(): SurveyInput {
  return clone(onboardingNps());
}

function routesOf(s: SurveyInput): Record<string, RouteInput> {
  return s.loop.routes as Record<string, RouteInput>;
}

/** Paths and codes only, in order: the part of an issue list that is a stable contract. */
function codes(issues: readonly Issue[]): { path: string; code: string }[] {
  return issues.map(({ path, code }) => ({ path, code }));
}

function none(en: string, fr = `${en} (fr)`): RouteInput {
  return { action: "none", acknowledge: { message: { en, fr } } };
}

function text(label: string): { en: string; fr: string } {
  return { en: label, fr: `${label} (fr)` };
}

/** A two-locale survey from questions and routes, everything else defaulted. */
function survey(
  questions: readonly Raw[],
  routes: Record<string, RouteInput>,
  extra: Raw = {},
): SurveyInput {
  return {
    id: "custom",
    version: 1,
    name: "Custom",
    locales: ["en", "fr"],
    questions,
    loop: { routes },
    ...extra,
  } as unknown as SurveyInput;
}

const NPS_ROUTES = (): Record<string, RouteInput> => ({
  detractor: {
    action: "follow-up",
    owner: "support",
    closeWithin: "48h",
    acknowledge: {
      message: { en: "Sorry about that. Thank you.", fr: "Désolés. Merci." },
    },
  },
  passive: none("Thanks."),
  promoter: none("Thanks!"),
});

function expectThrows(fn: () => unknown): SurveyDefinitionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SurveyDefinitionError);
    return e as SurveyDefinitionError;
  }
  throw new Error("expected a SurveyDefinitionError");
}

describe("the example survey", () => {
  it("passes checkSurvey with no issues and no warnings", () => {
    const result = checkSurvey(onboardingNps());
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.survey?.id).toBe("onboarding-nps");
  });

  it("is returned typed, with defaults applied", () => {
    const s = defineSurvey(onboardingNps(), { onWarning: () => {} });
    expect(s.id).toBe("onboarding-nps");
    expect(s.version).toBe(1);
    expect(s.locales).toEqual(["en", "fr"]);
    expect(s.questions.map((q) => [q.id, q.type, q.required])).toEqual([
      ["score", "nps", true],
      ["why", "open_text", false],
    ]);
    const why = s.questions[1];
    expect(why?.type === "open_text" ? why.maxLength : undefined).toBe(2000);
    expect(s.logic).toEqual([]);
    expect(s.display).toEqual({ mode: "once", recontactDays: 30, modal: false });
    expect(s.targeting).toEqual({
      url: [{ match: "prefix", value: "/app" }],
      events: [],
      delayMs: 2000,
      sampleRate: 1,
    });
    expect(Object.keys(s.loop.routes).sort()).toEqual(["detractor", "passive", "promoter"]);
  });

  it("is deeply frozen", () => {
    const s = defineSurvey(onboardingNps());
    const nested: unknown[] = [
      s,
      s.locales,
      s.questions,
      s.questions[0],
      s.questions[0]?.text,
      s.logic,
      s.targeting,
      s.targeting.url,
      s.targeting.url[0],
      s.display,
      s.loop,
      s.loop.routes,
      s.loop.routes.detractor,
      s.loop.routes.detractor?.acknowledge,
      s.loop.routes.detractor?.acknowledge.message,
    ];
    for (const value of nested) expect(Object.isFrozen(value)).toBe(true);
    expect(() => {
      (s as unknown as Raw).name = "changed";
    }).toThrow(TypeError);
    expect(() => {
      (s.loop.routes.detractor?.acknowledge.message as Raw).en = "changed";
    }).toThrow(TypeError);
    expect(() => (s.questions as unknown as unknown[]).push({})).toThrow(TypeError);
    expect(s.name).toBe("Onboarding NPS");
  });

  it("does not freeze or change the caller's input", () => {
    const input = example();
    const before = clone(input);
    defineSurvey(input);
    expect(Object.isFrozen(input)).toBe(false);
    expect(Object.isFrozen(input.questions)).toBe(false);
    expect(input).toEqual(before);
  });
});

describe("the no-partial-loop gate", () => {
  it("lists a segment without a route", () => {
    const input = example();
    delete routesOf(input).passive;
    const result = checkSurvey(input);
    expect(result.ok).toBe(false);
    expect(result.survey).toBeUndefined();
    expect(result.issues).toEqual([
      {
        path: "loop.routes.passive",
        code: "missing_route",
        message:
          'segment "passive" has no route: every answer must reach an acknowledgement, an owner and a deadline',
      },
    ]);
  });

  it("lists every missing route when there are none", () => {
    const input = example();
    input.loop.routes = {};
    expect(codes(checkSurvey(input).issues)).toEqual([
      { path: "loop.routes.detractor", code: "missing_route" },
      { path: "loop.routes.passive", code: "missing_route" },
      { path: "loop.routes.promoter", code: "missing_route" },
    ]);
  });

  it("lists a route without a message in one of the survey's locales", () => {
    const input = example();
    delete ((routesOf(input).promoter as RouteInput).acknowledge.message as Raw).fr;
    expect(checkSurvey(input).issues).toEqual([
      {
        path: "loop.routes.promoter.acknowledge.message.fr",
        code: "missing_message",
        message:
          'the acknowledgement has no "fr" text, so "fr" respondents would not be told they were heard',
      },
    ]);
  });

  it("lists a follow-up route without owner", () => {
    const input = example();
    delete (routesOf(input).detractor as Raw).owner;
    expect(checkSurvey(input).issues).toEqual([
      {
        path: "loop.routes.detractor.owner",
        code: "missing_owner",
        message: "a follow-up route needs an owner who acts on it",
      },
    ]);
  });

  it("lists a follow-up route without closeWithin", () => {
    const input = example();
    delete (routesOf(input).detractor as Raw).closeWithin;
    expect(checkSurvey(input).issues).toEqual([
      {
        path: "loop.routes.detractor.closeWithin",
        code: "missing_close_within",
        message: "a follow-up route needs a closeWithin deadline such as 48h",
      },
    ]);
  });

  it("does not ask a route with action none for an owner or deadline", () => {
    const input = example();
    routesOf(input).detractor = {
      action: "none",
      acknowledge: { message: { en: "Sorry, and thank you.", fr: "Désolés, merci." } },
    };
    expect(checkSurvey(input).issues).toEqual([]);
  });

  it("lists a route for a segment that cannot occur", () => {
    const input = example();
    routesOf(input).all = none("Thanks");
    expect(checkSurvey(input).issues).toEqual([
      {
        path: "loop.routes.all",
        code: "unknown_segment",
        message: 'no answer can fall in segment "all"; expected "detractor", "passive", "promoter"',
      },
    ]);
  });

  it("reports a malformed route by its schema path", () => {
    const input = example();
    (routesOf(input) as Raw).passive = { action: "maybe", acknowledge: { message: {} } };
    expect(codes(checkSurvey(input).issues)).toEqual([
      { path: "loop.routes.passive.action", code: "invalid_value" },
    ]);
  });

  it("asks an optional scoring question for an `unscored` route", () => {
    const input = example();
    (input.questions[0] as Raw).required = false;
    expect(codes(checkSurvey(input).issues)).toEqual([
      { path: "loop.routes.unscored", code: "missing_route" },
    ]);
    routesOf(input).unscored = none("Thanks anyway.");
    const result = checkSurvey(input);
    expect(result.issues).toEqual([]);
    expect(result.survey && segmentsOf(result.survey)).toEqual([
      "detractor",
      "passive",
      "promoter",
      "unscored",
    ]);
  });

  it("treats a scoring question without `required` as optional", () => {
    const input = example();
    delete (input.questions[0] as Raw).required;
    expect(codes(checkSurvey(input).issues)).toEqual([
      { path: "loop.routes.unscored", code: "missing_route" },
    ]);
  });

  it("asks for `unscored` when logic can end before a required scoring question", () => {
    const questions = [
      { id: "ok", type: "consent", text: text("May we ask?") },
      { id: "score", type: "nps", required: true, text: text("Score?") },
    ];
    const logic = [
      { question: "ok", rules: [{ if: { question: "ok", op: "eq", value: false }, then: "end" }] },
    ];
    const input = survey(questions, NPS_ROUTES(), { logic });
    expect(codes(checkSurvey(input).issues)).toEqual([
      { path: "loop.routes.unscored", code: "missing_route" },
    ]);
    expect(
      checkSurvey(survey(questions, { ...NPS_ROUTES(), unscored: none("Ok") }, { logic })).ok,
    ).toBe(true);
  });

  it("asks for `unscored` when logic can jump past a required scoring question", () => {
    const questions = [
      {
        id: "plan",
        type: "single_choice",
        required: true,
        text: text("Plan?"),
        options: [
          { id: "free", text: text("Free") },
          { id: "pro", text: text("Pro") },
        ],
      },
      { id: "score", type: "nps", required: true, text: text("Score?") },
      { id: "why", type: "open_text", text: text("Why?") },
    ];
    const jumpPast = [
      {
        question: "plan",
        rules: [{ if: { question: "plan", op: "eq", value: "free" }, then: { jump: "why" } }],
      },
    ];
    expect(codes(checkSurvey(survey(questions, NPS_ROUTES(), { logic: jumpPast })).issues)).toEqual(
      [{ path: "loop.routes.unscored", code: "missing_route" }],
    );
    // Jumping *to* the scoring question skips nothing that matters.
    const jumpTo = [
      {
        question: "plan",
        rules: [{ if: { question: "plan", op: "eq", value: "free" }, then: { jump: "score" } }],
      },
    ];
    expect(checkSurvey(survey(questions, NPS_ROUTES(), { logic: jumpTo })).issues).toEqual([]);
    // Without a way around it, an `unscored` route is a route nobody can reach.
    expect(
      codes(
        checkSurvey(survey(questions, { ...NPS_ROUTES(), unscored: none("Ok") }, { logic: jumpTo }))
          .issues,
      ),
    ).toEqual([{ path: "loop.routes.unscored", code: "unknown_segment" }]);
  });

  it("needs only `low` and `high` for a 2-point rating scale", () => {
    const questions = [{ id: "r", type: "rating", scale: 2, required: true, text: text("Ok?") }];
    const low: RouteInput = {
      action: "follow-up",
      owner: "cx",
      closeWithin: "7d",
      acknowledge: { message: { en: "Sorry. Thank you.", fr: "Désolés. Merci." } },
    };
    expect(checkSurvey(survey(questions, { low, high: none("Great") })).issues).toEqual([]);
    expect(
      codes(checkSurvey(survey(questions, { low, mid: none("Hm"), high: none("Great") })).issues),
    ).toEqual([{ path: "loop.routes.mid", code: "unknown_segment" }]);
    expect(codes(checkSurvey(survey(questions, { low })).issues)).toEqual([
      { path: "loop.routes.high", code: "missing_route" },
    ]);
  });

  it("needs `low`, `mid` and `high` for a 3-point rating scale", () => {
    const questions = [{ id: "r", type: "rating", scale: 3, required: true, text: text("Ok?") }];
    expect(
      codes(checkSurvey(survey(questions, { low: none("a"), high: none("b") })).issues),
    ).toEqual([{ path: "loop.routes.mid", code: "missing_route" }]);
  });

  it("uses the csat and ces segment names", () => {
    const csat = [{ id: "c", type: "csat", required: true, text: text("Happy?") }];
    expect(codes(checkSurvey(survey(csat, {})).issues)).toEqual([
      { path: "loop.routes.unsatisfied", code: "missing_route" },
      { path: "loop.routes.neutral", code: "missing_route" },
      { path: "loop.routes.satisfied", code: "missing_route" },
    ]);
    const ces = [{ id: "c", type: "ces", required: true, text: text("Easy?") }];
    expect(codes(checkSurvey(survey(ces, {})).issues)).toEqual([
      { path: "loop.routes.high-effort", code: "missing_route" },
      { path: "loop.routes.neutral", code: "missing_route" },
      { path: "loop.routes.low-effort", code: "missing_route" },
    ]);
  });

  it("scores by the first scoring question only", () => {
    const questions = [
      { id: "plan", type: "open_text", required: true, text: text("Plan?") },
      { id: "c", type: "csat", required: true, text: text("Happy?") },
      { id: "n", type: "nps", required: false, text: text("Score?") },
    ];
    const routes = {
      unsatisfied: none("Sorry, thank you."),
      neutral: none("Thanks"),
      satisfied: none("Thanks"),
    };
    const result = checkSurvey(survey(questions, routes));
    expect(result.issues).toEqual([]);
    expect(result.survey && segmentOf(result.survey, { c: 2, n: 10 })).toBe("unsatisfied");
  });
});

describe("a survey without a scoring question", () => {
  const questions = [
    { id: "why", type: "open_text", required: false, text: text("Anything?") },
    {
      id: "pick",
      type: "multi_choice",
      text: text("Which?"),
      options: [{ id: "a", text: text("A") }],
    },
  ];

  it("has the single segment `all`", () => {
    const result = checkSurvey(survey(questions, { all: none("Thanks") }));
    expect(result.issues).toEqual([]);
    const s = result.survey;
    expect(s && segmentsOf(s)).toEqual(["all"]);
    expect(s && segmentOf(s, {})).toBe("all");
    expect(s && segmentOf(s, { why: "slow" })).toBe("all");
  });

  it("needs a route for `all` and no other", () => {
    expect(codes(checkSurvey(survey(questions, {})).issues)).toEqual([
      { path: "loop.routes.all", code: "missing_route" },
    ]);
    expect(
      codes(
        checkSurvey(
          survey(questions, { all: none("Thanks"), unscored: none("x"), detractor: none("y") }),
        ).issues,
      ),
    ).toEqual([
      { path: "loop.routes.unscored", code: "unknown_segment" },
      { path: "loop.routes.detractor", code: "unknown_segment" },
    ]);
  });
});

describe("logic checks", () => {
  const abc = [
    { id: "a", type: "open_text", text: text("A") },
    { id: "b", type: "open_text", text: text("B") },
    { id: "c", type: "open_text", text: text("C") },
  ];
  const check = (logic: unknown[]) => checkSurvey(survey(abc, { all: none("Ok") }, { logic }));

  it("accepts forward jumps, ends and conditions on earlier or current answers", () => {
    const result = check([
      {
        question: "a",
        rules: [
          { if: { question: "a", op: "contains", value: "bug" }, then: { jump: "c" } },
          { if: { question: "a", op: "skipped" }, then: "end" },
        ],
      },
      {
        question: "b",
        rules: [
          {
            if: {
              all: [
                { question: "a", op: "answered" },
                { any: [{ question: "b", op: "in", value: ["x", "y"] }] },
              ],
            },
            then: "end",
          },
        ],
      },
    ]);
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("rejects a cycle, naming it", () => {
    expect(check([{ question: "b", rules: [{ then: { jump: "a" } }] }]).issues).toEqual([
      { path: "logic", code: "logic_cycle", message: "the flow can loop forever: a → b → a" },
    ]);
  });

  it("rejects a conditional cycle: any jump that can repeat a question", () => {
    const logic = [
      {
        question: "c",
        rules: [{ if: { question: "a", op: "eq", value: "again" }, then: { jump: "b" } }],
      },
    ];
    expect(codes(check(logic).issues)).toEqual([{ path: "logic", code: "logic_cycle" }]);
  });

  it("rejects a jump to the question itself", () => {
    expect(check([{ question: "b", rules: [{ then: { jump: "b" } }] }]).issues).toEqual([
      { path: "logic", code: "logic_cycle", message: "the flow can loop forever: b → b" },
    ]);
  });

  it("accepts a backward jump that cannot repeat a question", () => {
    // a → c → b → end: b comes after c, but nothing is visited twice.
    const logic = [
      { question: "a", rules: [{ then: { jump: "c" } }] },
      { question: "c", rules: [{ then: { jump: "b" } }] },
      { question: "b", rules: [{ then: "end" }] },
    ];
    expect(check(logic).issues).toEqual([]);
  });

  it("rejects a jump to an unknown question", () => {
    expect(
      check([{ question: "a", rules: [{ then: "end" }, { then: { jump: "zz" } }] }]).issues,
    ).toEqual([
      {
        path: "logic.0.rules.1.then.jump",
        code: "unknown_jump",
        message: 'jumps to "zz", which is not a question of this survey',
      },
    ]);
  });

  it("rejects logic for an unknown question and a second entry for the same question", () => {
    expect(
      codes(
        check([
          { question: "nope", rules: [] },
          { question: "a", rules: [] },
          { question: "a", rules: [] },
        ]).issues,
      ),
    ).toEqual([
      { path: "logic.0.question", code: "unknown_question" },
      { path: "logic.2.question", code: "duplicate_logic" },
    ]);
  });

  it("rejects a condition on a later question, with the path inside all/any", () => {
    const result = check([
      {
        question: "b",
        rules: [
          { if: { question: "c", op: "answered" }, then: "end" },
          {
            if: {
              all: [
                { question: "a", op: "answered" },
                {
                  any: [
                    { question: "b", op: "skipped" },
                    { question: "c", op: "eq", value: "x" },
                  ],
                },
              ],
            },
            then: "end",
          },
        ],
      },
    ]);
    expect(result.issues).toEqual([
      {
        path: "logic.0.rules.0.if.question",
        code: "forward_reference",
        message: 'tests "c", which comes after "b" and is not answered yet',
      },
      {
        path: "logic.0.rules.1.if.all.1.any.1.question",
        code: "forward_reference",
        message: expect.any(String),
      },
    ]);
  });

  it("rejects a condition on an unknown question", () => {
    expect(
      codes(
        check([{ question: "a", rules: [{ if: { question: "q9", op: "answered" }, then: "end" }] }])
          .issues,
      ),
    ).toEqual([{ path: "logic.0.rules.0.if.question", code: "unknown_question" }]);
  });

  it.each([
    [{ op: "lt", value: "3" }, '"lt" needs a number value'],
    [{ op: "gte" }, '"gte" needs a number value'],
    [{ op: "in", value: "x" }, '"in" needs an array value'],
    [{ op: "notIn", value: 1 }, '"notIn" needs an array value'],
    [{ op: "eq" }, '"eq" needs a single value'],
    [{ op: "neq", value: ["a"] }, '"neq" needs a single value'],
    [{ op: "contains", value: ["a"] }, '"contains" needs a single value'],
    [{ op: "answered", value: true }, '"answered" takes no value'],
    [{ op: "skipped", value: 0 }, '"skipped" takes no value'],
  ])("rejects the operator/value mismatch %j", (comparison, message) => {
    const logic = [
      { question: "a", rules: [{ if: { question: "a", ...comparison }, then: "end" }] },
    ];
    expect(check(logic).issues).toEqual([
      { path: "logic.0.rules.0.if.value", code: "invalid_condition", message },
    ]);
  });

  it("rejects an unknown operator by its schema path", () => {
    const logic = [
      { question: "a", rules: [{ if: { question: "a", op: "like", value: "x" }, then: "end" }] },
    ];
    expect(codes(check(logic).issues)).toEqual([
      { path: "logic.0.rules.0.if", code: "invalid_union" },
    ]);
  });
});

describe("question checks", () => {
  const routes = () => ({ all: none("Thanks") });

  it("rejects duplicate question ids", () => {
    const questions = [
      { id: "why", type: "open_text", text: text("Why?") },
      { id: "how", type: "open_text", text: text("How?") },
      { id: "why", type: "open_text", text: text("Why again?") },
    ];
    expect(checkSurvey(survey(questions, routes())).issues).toEqual([
      {
        path: "questions.2.id",
        code: "duplicate_question",
        message: 'question id "why" is already used by questions.0',
      },
    ]);
  });

  it("refuses __proto__ as a question id, since ids become object keys", () => {
    const questions = [{ id: "__proto__", type: "open_text", text: text("Why?") }];
    expect(checkSurvey(survey(questions, routes())).issues.map((i) => [i.path, i.code])).toEqual([
      ["questions.0.id", "invalid_format"],
    ]);
  });

  it.each([
    [1, "too_small"],
    [11, "too_big"],
    [2.5, "invalid_type"],
    ["5", "invalid_type"],
  ])("rejects rating scale %j with %s", (scale, code) => {
    const questions = [{ id: "r", type: "rating", scale, required: true, text: text("Rate") }];
    const result = checkSurvey(
      survey(questions, { low: none("Sorry, thanks"), mid: none("a"), high: none("b") }),
    );
    expect(codes(result.issues)).toEqual([{ path: "questions.0.scale", code }]);
  });

  it.each([2, 3, 5, 7, 10])("accepts rating scale %i", (scale) => {
    const questions = [{ id: "r", type: "rating", scale, required: true, text: text("Rate") }];
    const all = { low: none("Sorry, thanks"), mid: none("a"), high: none("b") };
    if (scale === 2) delete (all as Raw).mid;
    expect(checkSurvey(survey(questions, all)).issues).toEqual([]);
  });

  it("rejects open_text whose minLength exceeds maxLength", () => {
    const questions = [
      { id: "t", type: "open_text", minLength: 10, maxLength: 5, text: text("Say") },
    ];
    expect(checkSurvey(survey(questions, routes())).issues).toEqual([
      {
        path: "questions.0.minLength",
        code: "invalid_bounds",
        message: "is 10, more than maxLength 5",
      },
    ]);
    const ok = [{ id: "t", type: "open_text", minLength: 5, maxLength: 5, text: text("Say") }];
    expect(checkSurvey(survey(ok, routes())).issues).toEqual([]);
  });

  it("rejects a minLength above the default maxLength of 5000", () => {
    const questions = [{ id: "t", type: "open_text", minLength: 6000, text: text("Say") }];
    expect(codes(checkSurvey(survey(questions, routes())).issues)).toEqual([
      { path: "questions.0.minLength", code: "invalid_bounds" },
    ]);
  });

  it("rejects multi_choice bounds that cannot be met", () => {
    const options = [
      { id: "a", text: text("A") },
      { id: "b", text: text("B") },
    ];
    const questions = [
      { id: "m", type: "multi_choice", options, maxSelected: 3, text: text("Pick") },
      {
        id: "n",
        type: "multi_choice",
        options,
        minSelected: 2,
        maxSelected: 1,
        text: text("Pick"),
      },
      {
        id: "o",
        type: "multi_choice",
        options,
        other: { text: text("Other") },
        maxSelected: 3,
        text: text("Pick"),
      },
    ];
    expect(checkSurvey(survey(questions, routes())).issues).toEqual([
      {
        path: "questions.0.maxSelected",
        code: "invalid_bounds",
        message: "is 3 but there are only 2 choices",
      },
      {
        path: "questions.1.minSelected",
        code: "invalid_bounds",
        message: "is 2, more than can be chosen (1)",
      },
    ]);
  });

  it("rejects duplicate option ids and the reserved option id `other`", () => {
    const questions = [
      {
        id: "s",
        type: "single_choice",
        text: text("Pick"),
        options: [
          { id: "a", text: text("A") },
          { id: "a", text: text("A2") },
          { id: "other", text: text("Other") },
        ],
      },
    ];
    expect(checkSurvey(survey(questions, routes())).issues).toEqual([
      {
        path: "questions.0.options.1.id",
        code: "duplicate_option",
        message: 'option id "a" is used twice',
      },
      {
        path: "questions.0.options.2.id",
        code: "duplicate_option",
        message: '"other" is reserved for the free-text option',
      },
    ]);
  });

  it("lists every missing translation of question, option and `other` texts", () => {
    const questions = [
      {
        id: "s",
        type: "single_choice",
        text: { en: "Pick" },
        options: [{ id: "a", text: { fr: "A" } }],
        other: { text: { en: "Other" } },
      },
    ];
    expect(codes(checkSurvey(survey(questions, routes())).issues)).toEqual([
      { path: "questions.0.text.fr", code: "missing_translation" },
      { path: "questions.0.options.0.text.en", code: "missing_translation" },
      { path: "questions.0.other.text.fr", code: "missing_translation" },
    ]);
  });
});

describe("targeting checks", () => {
  const withUrl = (url: unknown[]) =>
    checkSurvey({ ...example(), targeting: { url, events: [], delayMs: 0, sampleRate: 1 } });

  it("rejects an invalid regular expression", () => {
    const result = withUrl([
      { match: "prefix", value: "/app" },
      { match: "regex", value: "^/app/(unclosed" },
    ]);
    expect(codes(result.issues)).toEqual([
      { path: "targeting.url.1.value", code: "invalid_regex" },
    ]);
    expect(result.issues[0]?.message).toMatch(/^is not a valid regular expression: /);
  });

  it("accepts a valid regular expression, and the same text under another match", () => {
    expect(withUrl([{ match: "regex", value: "^/app/(a|b)$" }]).issues).toEqual([]);
    expect(withUrl([{ match: "contains", value: "(unclosed" }]).issues).toEqual([]);
  });
});

describe("one survey with many problems", () => {
  const msg = text;
  const broken = (): Raw => ({
    id: "broken",
    version: 1,
    name: "Broken",
    locales: ["en", "fr"],
    questions: [
      {
        id: "plan",
        type: "single_choice",
        required: true,
        text: { en: "Plan?" },
        options: [
          { id: "free", text: msg("Free") },
          { id: "free", text: msg("Free") },
        ],
      },
      { id: "score", type: "nps", required: true, text: msg("Score?") },
      { id: "score", type: "open_text", text: msg("Why?") },
      { id: "rate", type: "rating", scale: 11, text: msg("Rate") },
      { id: "long", type: "open_text", minLength: 10, maxLength: 5, text: msg("Tell") },
    ],
    logic: [
      {
        question: "plan",
        rules: [
          { if: { question: "long", op: "answered" }, then: { jump: "nowhere" } },
          { if: { question: "plan", op: "lt", value: "x" }, then: "end" },
        ],
      },
      { question: "long", rules: [{ then: { jump: "rate" } }] },
      { question: "ghost", rules: [] },
      { question: "score", rules: [] },
      { question: "score", rules: [] },
    ],
    targeting: { url: [{ match: "regex", value: "[" }] },
    loop: {
      routes: {
        detractor: { action: "follow-up", acknowledge: { message: { en: "We will call." } } },
        passive: none("Thanks"),
        fans: none("Thanks"),
      },
    },
  });

  const expected = [
    { path: "questions.3.scale", code: "too_big" },
    { path: "questions.0.text.fr", code: "missing_translation" },
    { path: "questions.0.options.1.id", code: "duplicate_option" },
    { path: "questions.2.id", code: "duplicate_question" },
    { path: "questions.4.minLength", code: "invalid_bounds" },
    { path: "logic.0.rules.0.then.jump", code: "unknown_jump" },
    { path: "logic.0.rules.0.if.question", code: "forward_reference" },
    { path: "logic.0.rules.1.if.value", code: "invalid_condition" },
    { path: "logic.2.question", code: "unknown_question" },
    { path: "logic.4.question", code: "duplicate_logic" },
    { path: "logic", code: "logic_cycle" },
    { path: "targeting.url.0.value", code: "invalid_regex" },
    { path: "loop.routes.promoter", code: "missing_route" },
    { path: "loop.routes.unscored", code: "missing_route" },
    { path: "loop.routes.detractor.acknowledge.message.fr", code: "missing_message" },
    { path: "loop.routes.detractor.owner", code: "missing_owner" },
    { path: "loop.routes.detractor.closeWithin", code: "missing_close_within" },
    { path: "loop.routes.fans", code: "unknown_segment" },
  ];

  it("gets every problem listed with its exact path and code", () => {
    const result = checkSurvey(broken());
    expect(result.ok).toBe(false);
    expect(result.survey).toBeUndefined();
    expect(codes(result.issues)).toEqual(expected);
    for (const issue of result.issues) expect(issue.message.length).toBeGreaterThan(0);
    expect(result.issues.find((i) => i.code === "logic_cycle")?.message).toBe(
      "the flow can loop forever: rate → long → rate",
    );
    expect(result.issues.find((i) => i.code === "unknown_segment")?.message).toBe(
      'no answer can fall in segment "fans"; expected "detractor", "passive", "promoter", "unscored"',
    );
  });

  it("still warns about the detractor message while failing", () => {
    expect(codes(checkSurvey(broken()).warnings)).toEqual([
      {
        path: "loop.routes.detractor.acknowledge.message.en",
        code: "acknowledgement_without_apology",
      },
      {
        path: "loop.routes.detractor.acknowledge.message.en",
        code: "acknowledgement_without_thanks",
      },
    ]);
  });

  it("throws the same list from defineSurvey", () => {
    const error = expectThrows(() => defineSurvey(broken() as unknown as SurveyInput));
    expect(codes(error.issues)).toEqual(expected);
    expect(error.issues).toEqual(checkSurvey(broken()).issues);
  });
});

describe("SurveyDefinitionError", () => {
  it("has its class name, a stable code and the issues", () => {
    const input = example();
    delete routesOf(input).promoter;
    delete (routesOf(input).detractor as Raw).owner;
    const error = expectThrows(() => defineSurvey(input));
    expect(error).toBeInstanceOf(CloseloopError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("SurveyDefinitionError");
    expect(error.code).toBe("survey_definition_invalid");
    expect(codes(error.issues)).toEqual([
      { path: "loop.routes.promoter", code: "missing_route" },
      { path: "loop.routes.detractor.owner", code: "missing_owner" },
    ]);
    expect(error.message).toBe(
      [
        'Survey "onboarding-nps" is not publishable (2 issues):',
        '  - loop.routes.promoter: segment "promoter" has no route: every answer must reach an acknowledgement, an owner and a deadline [missing_route]',
        "  - loop.routes.detractor.owner: a follow-up route needs an owner who acts on it [missing_owner]",
      ].join("\n"),
    );
  });

  it("names the input as a whole for non-objects", () => {
    const error = expectThrows(() => defineSurvey(null as unknown as SurveyInput));
    expect(error.issues).toEqual([
      { path: "", code: "invalid_type", message: "must be an object" },
    ]);
    expect(error.message).toBe(
      "Survey is not publishable (1 issue):\n  - (root): must be an object [invalid_type]",
    );
  });
});

describe("checkSurvey on malformed input", () => {
  it.each([null, undefined, 42, "survey", [], true])("reports %j as a whole", (input) => {
    const result = checkSurvey(input);
    expect(result).toEqual({
      ok: false,
      issues: [{ path: "", code: "invalid_type", message: "must be an object" }],
      warnings: [],
    });
  });

  it("reports every missing top-level field", () => {
    expect(codes(checkSurvey({}).issues)).toEqual([
      { path: "id", code: "invalid_type" },
      { path: "version", code: "invalid_type" },
      { path: "name", code: "invalid_type" },
      { path: "locales", code: "invalid_type" },
      { path: "questions", code: "invalid_type" },
      { path: "loop", code: "invalid_type" },
    ]);
  });

  it("reports a missing loop policy", () => {
    const input = example() as unknown as Raw;
    delete input.loop;
    expect(codes(checkSurvey(input).issues)).toEqual([{ path: "loop", code: "invalid_type" }]);
  });

  it("reports an empty question list and unknown fields", () => {
    const input = { ...example(), questions: [], extra: 1 } as unknown as Raw;
    const result = checkSurvey(input);
    // With no questions there is no scoring question: the only segment is `all`.
    expect(codes(result.issues)).toEqual([
      { path: "questions", code: "too_small" },
      { path: "extra", code: "unrecognized_keys" },
      { path: "loop.routes.all", code: "missing_route" },
      { path: "loop.routes.detractor", code: "unknown_segment" },
      { path: "loop.routes.passive", code: "unknown_segment" },
      { path: "loop.routes.promoter", code: "unknown_segment" },
    ]);
  });

  it("rejects nesting too deep to parse instead of overflowing the stack", () => {
    let condition: Raw = { question: "a", op: "answered" };
    for (let i = 0; i < 5000; i++) condition = { any: [condition] };
    const questions = [{ id: "a", type: "open_text", text: text("A") }];
    const input = survey(
      questions,
      { all: none("Ok") },
      {
        logic: [{ question: "a", rules: [{ if: condition, then: "end" }] }],
      },
    );
    const result = checkSurvey(input);
    expect(result.ok).toBe(false);
    expect(codes(result.issues)).toEqual([
      { path: `logic.0.rules.0.if${".any.0".repeat(29)}.any`, code: "too_deep" },
    ]);
    expect(expectThrows(() => defineSurvey(input)).issues[0]?.code).toBe("too_deep");
  });

  it("accepts reasonably nested conditions", () => {
    let condition: Raw = { question: "a", op: "answered" };
    for (let i = 0; i < 20; i++) condition = i % 2 ? { any: [condition] } : { all: [condition] };
    const questions = [
      { id: "a", type: "open_text", text: text("A") },
      { id: "b", type: "open_text", text: text("B") },
    ];
    const input = survey(
      questions,
      { all: none("Ok") },
      {
        logic: [{ question: "a", rules: [{ if: condition, then: "end" }] }],
      },
    );
    expect(checkSurvey(input).issues).toEqual([]);
  });

  it("rejects a circular input instead of overflowing the stack", () => {
    const condition: Raw = { any: [] };
    (condition.any as unknown[]).push(condition);
    const questions = [{ id: "a", type: "open_text", text: text("A") }];
    const input = survey(
      questions,
      { all: none("Ok") },
      {
        logic: [{ question: "a", rules: [{ if: condition, then: "end" }] }],
      },
    );
    expect(codes(checkSurvey(input).issues)).toEqual([
      { path: "logic.0.rules.0.if.any.0", code: "circular" },
    ]);
  });
});

describe("acknowledgement warnings", () => {
  const withDetractor = (en: string, fr: string) => {
    const input = example();
    const detractor = routesOf(input).detractor as RouteInput;
    detractor.acknowledge.message = { en, fr };
    return input;
  };
  const at = (locale: string) => `loop.routes.detractor.acknowledge.message.${locale}`;

  it("warns (not fails) when the English detractor message lacks an apology", () => {
    const result = checkSurvey(withDetractor("We will call you. Thank you.", "Désolés. Merci."));
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([
      {
        path: at("en"),
        code: "acknowledgement_without_apology",
        message: "a message to an unhappy customer should apologize (six-step recovery pattern)",
      },
    ]);
  });

  it("warns when the English detractor message lacks a thank-you", () => {
    const result = checkSurvey(withDetractor("We apologize; we will call.", "Désolés. Merci."));
    expect(result.warnings).toEqual([
      {
        path: at("en"),
        code: "acknowledgement_without_thanks",
        message: "a message to an unhappy customer should thank them for telling you",
      },
    ]);
  });

  it("warns for the French message on its own", () => {
    const result = checkSurvey(withDetractor("Sorry. Thanks.", "Nous vous appellerons."));
    expect(codes(result.warnings)).toEqual([
      { path: at("fr"), code: "acknowledgement_without_apology" },
      { path: at("fr"), code: "acknowledgement_without_thanks" },
    ]);
  });

  it("recognises French apologies and thanks in their usual forms", () => {
    for (const fr of ["Désolé. Merci.", "Toutes nos excuses, merci !", "Pardon. Merci beaucoup."]) {
      expect(checkSurvey(withDetractor("Sorry. Thank you.", fr)).warnings).toEqual([]);
    }
  });

  it("does not judge the messages of non-negative segments", () => {
    const input = example();
    routesOf(input).passive = none("Ok.", "D'accord.");
    routesOf(input).promoter = none("Great.", "Super.");
    expect(checkSurvey(input).warnings).toEqual([]);
  });

  it("judges the least satisfied segment of csat, ces and rating too", () => {
    const noApology = none("We read every answer.", "Nous lisons tout.");
    const cases: [Raw, string, Record<string, RouteInput>][] = [
      [{ type: "csat" }, "unsatisfied", { neutral: none("a"), satisfied: none("b") }],
      [{ type: "ces" }, "high-effort", { neutral: none("a"), "low-effort": none("b") }],
      [{ type: "rating", scale: 5 }, "low", { mid: none("a"), high: none("b") }],
    ];
    for (const [q, negative, rest] of cases) {
      const questions = [{ id: "q", required: true, text: text("Q"), ...q }];
      const result = checkSurvey(survey(questions, { ...rest, [negative]: noApology }));
      expect(result.issues).toEqual([]);
      expect(codes(result.warnings)).toEqual([
        {
          path: `loop.routes.${negative}.acknowledge.message.en`,
          code: "acknowledgement_without_apology",
        },
        {
          path: `loop.routes.${negative}.acknowledge.message.en`,
          code: "acknowledgement_without_thanks",
        },
        {
          path: `loop.routes.${negative}.acknowledge.message.fr`,
          code: "acknowledgement_without_apology",
        },
        {
          path: `loop.routes.${negative}.acknowledge.message.fr`,
          code: "acknowledgement_without_thanks",
        },
      ]);
    }
  });

  it("hands warnings to onWarning and still returns the survey", () => {
    const input = withDetractor("We will call you.", "Désolés. Merci.");
    const onWarning = vi.fn();
    const s = defineSurvey(input, { onWarning });
    expect(s.id).toBe("onboarding-nps");
    expect(Object.isFrozen(s)).toBe(true);
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning).toHaveBeenCalledWith(checkSurvey(input).warnings);
    expect(codes(onWarning.mock.calls[0]?.[0] as Issue[])).toEqual([
      { path: at("en"), code: "acknowledgement_without_apology" },
      { path: at("en"), code: "acknowledgement_without_thanks" },
    ]);
  });

  it("does not call onWarning when there is nothing to say", () => {
    const onWarning = vi.fn();
    defineSurvey(onboardingNps(), { onWarning });
    expect(onWarning).not.toHaveBeenCalled();
  });

  it("writes warnings once with console.warn by default", () => {
    const console = (globalThis as unknown as { console: { warn: (...args: unknown[]) => void } })
      .console;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      defineSurvey(withDetractor("We will call you.", "Désolés. Merci."));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toBe(
        [
          'closeloop: survey "onboarding-nps" has 2 warning(s):',
          `  - ${at("en")}: a message to an unhappy customer should apologize (six-step recovery pattern)`,
          `  - ${at("en")}: a message to an unhappy customer should thank them for telling you`,
        ].join("\n"),
      );
      warn.mockClear();
      defineSurvey(onboardingNps());
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("never warns from a throwing defineSurvey", () => {
    const input = withDetractor("We will call you.", "Nous appellerons.");
    delete routesOf(input).passive;
    const onWarning = vi.fn();
    expectThrows(() => defineSurvey(input, { onWarning }));
    expect(onWarning).not.toHaveBeenCalled();
  });
});
