import { describe, expect, it } from "vitest";
import {
  type AnswerValue,
  CloseloopError,
  checkSurvey,
  createSurveySession,
  defineSurvey,
  InvalidAnswerError,
  type Survey,
  type SurveyInput,
  type SurveySession,
  ValidationError,
} from "../src/index.js";
import { onboardingNps } from "./fixtures.js";

type Raw = Record<string, unknown>;

function text(label: string): { en: string; fr: string } {
  return { en: label, fr: `${label} (fr)` };
}

/**
 * A defined two-locale survey from questions and logic, with exactly the routes its segments
 * need (found with `checkSurvey`): each acknowledges `Thanks (<segment>)` / `Merci (<segment>)`.
 */
function build(questions: readonly Raw[], logic: readonly Raw[] = [], extra: Raw = {}): Survey {
  const draft = {
    id: "flow",
    version: 1,
    name: "Flow",
    locales: ["en", "fr"],
    questions,
    logic,
    loop: { routes: {} },
    ...extra,
  };
  const segments = checkSurvey(draft)
    .issues.filter((i) => i.code === "missing_route")
    .map((i) => i.path.slice("loop.routes.".length));
  const routes = Object.fromEntries(
    segments.map((s) => [
      s,
      { action: "none", acknowledge: { message: { en: `Thanks (${s})`, fr: `Merci (${s})` } } },
    ]),
  );
  return defineSurvey({ ...draft, loop: { routes } } as unknown as SurveyInput, {
    onWarning: () => {},
  });
}

function answerError(fn: () => unknown): InvalidAnswerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidAnswerError);
    return e as InvalidAnswerError;
  }
  throw new Error("expected an InvalidAnswerError");
}

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

/** A deterministic random source (a small LCG), so shuffles are reproducible. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Ids shown, in order, answering with `answers[id]` (skipping when absent) until finished. */
function walk(session: SurveySession, answers: Record<string, AnswerValue>): string[] {
  const seen: string[] = [];
  for (let view = session.current(); view; view = session.next()) {
    seen.push(view.id);
    if (Object.hasOwn(answers, view.id)) session.answer(view.id, answers[view.id]);
  }
  return seen;
}

const nps = (id = "score", required = true) => ({ id, type: "nps", required, text: text(id) });
const openText = (id: string, more: Raw = {}) => ({
  id,
  type: "open_text",
  text: text(id),
  ...more,
});
const choice = (id: string, type: "single_choice" | "multi_choice", more: Raw = {}) => ({
  id,
  type,
  text: text(id),
  options: [
    { id: "a", text: text("A") },
    { id: "b", text: text("B") },
    { id: "c", text: text("C") },
  ],
  ...more,
});

describe("a linear flow (the example survey)", () => {
  const survey = defineSurvey(onboardingNps());

  it("starts at the first question, localized, with its position", () => {
    const session = createSurveySession(survey, { locale: "en" });
    expect(session.finished).toBe(false);
    expect(session.locale).toBe("en");
    expect(session.survey).toBe(survey);
    expect(session.current()).toEqual({
      id: "score",
      type: "nps",
      text: "How likely are you to recommend us?",
      required: true,
      index: 0,
      total: 2,
    });
  });

  it("goes through the questions in order and finishes", () => {
    const session = createSurveySession(survey);
    session.answer("score", 9);
    expect(session.next()).toEqual({
      id: "why",
      type: "open_text",
      text: "What is the main reason?",
      required: false,
      index: 1,
      total: 2,
      maxLength: 2000,
    });
    session.answer("why", "Fast setup");
    expect(session.next()).toBeUndefined();
    expect(session.finished).toBe(true);
    expect(session.current()).toBeUndefined();
    expect(session.next()).toBeUndefined();
    expect(session.answers).toEqual({ score: 9, why: "Fast setup" });
  });

  it("lets an optional question be skipped", () => {
    const session = createSurveySession(survey);
    session.answer("score", 8);
    session.next();
    expect(session.next()).toBeUndefined();
    expect(session.finished).toBe(true);
    expect(session.answers).toEqual({ score: 8 });
  });

  it("blocks next() on an unanswered required question", () => {
    const session = createSurveySession(survey);
    const error = answerError(() => session.next());
    expect(error.reason).toBe("required");
    expect(error.questionId).toBe("score");
    expect(error.name).toBe("InvalidAnswerError");
    expect(error.code).toBe("invalid_answer");
    expect(error).toBeInstanceOf(CloseloopError);
    expect(error.message).toBe('Question "score": needs an answer before moving on');
    expect(session.current()?.id).toBe("score");
    expect(session.finished).toBe(false);
  });

  it("clears an answer with undefined, which blocks a required question again", () => {
    const session = createSurveySession(survey);
    session.answer("score", 4);
    expect(session.current()?.answer).toBe(4);
    session.answer("score", undefined);
    expect(session.current()?.answer).toBeUndefined();
    expect(session.answers).toEqual({});
    expect(answerError(() => session.next()).reason).toBe("required");
  });

  it("keeps a rejected answer from replacing the previous one", () => {
    const session = createSurveySession(survey);
    session.answer("score", 4);
    answerError(() => session.answer("score", 42));
    expect(session.answers).toEqual({ score: 4 });
  });
});

describe("answering out of turn", () => {
  const survey = defineSurvey(onboardingNps());

  it("rejects an answer to a question that is not current", () => {
    const session = createSurveySession(survey);
    const error = answerError(() => session.answer("why", "early"));
    expect(error.reason).toBe("not_current");
    expect(error.questionId).toBe("why");
    expect(error.message).toBe('Question "why": the current question is "score"');
    expect(session.answers).toEqual({});
  });

  it("rejects an answer to an unknown question", () => {
    const session = createSurveySession(survey);
    const error = answerError(() => session.answer("nope", 1));
    expect(error.reason).toBe("not_current");
    expect(error.questionId).toBe("nope");
  });

  it("rejects an answer to an earlier question without going back", () => {
    const session = createSurveySession(survey);
    session.answer("score", 5);
    session.next();
    expect(answerError(() => session.answer("score", 6)).reason).toBe("not_current");
    expect(session.answers).toEqual({ score: 5 });
  });

  it("rejects any answer once finished", () => {
    const session = createSurveySession(survey);
    session.answer("score", 5);
    session.next();
    session.next();
    const error = answerError(() => session.answer("why", "late"));
    expect(error.reason).toBe("not_current");
    expect(error.message).toBe('Question "why": the session is finished');
  });
});

describe("back()", () => {
  const survey = build([
    nps(),
    choice("plan", "single_choice", { required: true }),
    openText("why"),
  ]);

  it("stays on the first question", () => {
    const session = createSurveySession(survey);
    expect(session.back()?.id).toBe("score");
    expect(session.current()?.id).toBe("score");
  });

  it("returns to the previous question with its answer", () => {
    const session = createSurveySession(survey);
    session.answer("score", 6);
    session.next();
    session.answer("plan", "b");
    expect(session.back()).toMatchObject({ id: "score", answer: 6 });
    session.answer("score", 7);
    expect(session.next()).toMatchObject({ id: "plan", answer: "b" });
    expect(session.answers).toEqual({ score: 7, plan: "b" });
  });

  it("re-opens the last question after finishing", () => {
    const session = createSurveySession(survey);
    walk(session, { score: 10, plan: "a", why: "love it" });
    expect(session.finished).toBe(true);
    expect(session.back()).toMatchObject({ id: "why", answer: "love it" });
    expect(session.finished).toBe(false);
    expect(session.outcome()).toBeUndefined();
    session.answer("why", "still love it");
    expect(session.next()).toBeUndefined();
    expect(session.finished).toBe(true);
    expect(session.answers).toEqual({ score: 10, plan: "a", why: "still love it" });
  });

  it("walks back to the start one question at a time", () => {
    const session = createSurveySession(survey);
    walk(session, { score: 10, plan: "a" });
    expect(
      [session.back(), session.back(), session.back(), session.back()].map((v) => v?.id),
    ).toEqual(["why", "plan", "score", "score"]);
  });
});

describe("branching by logic rules", () => {
  const branching = build(
    [nps(), openText("praise"), openText("why"), openText("last")],
    [
      {
        question: "score",
        rules: [{ if: { question: "score", op: "lte", value: 6 }, then: { jump: "why" } }],
      },
      { question: "praise", rules: [{ then: "end" }] },
    ],
  );

  it("jumps when the condition holds", () => {
    expect(walk(createSurveySession(branching), { score: 3, why: "slow" })).toEqual([
      "score",
      "why",
      "last",
    ]);
  });

  it("goes to the next question when no rule holds, and ends on `end`", () => {
    expect(walk(createSurveySession(branching), { score: 9, praise: "great" })).toEqual([
      "score",
      "praise",
    ]);
  });

  it("reports only answers on the path taken, keeping abandoned ones", () => {
    const session = createSurveySession(branching);
    session.answer("score", 9);
    session.next();
    session.answer("praise", "great");
    session.back();
    session.answer("score", 2);
    expect(session.next()?.id).toBe("why");
    session.answer("why", "slow");
    session.next();
    session.next();
    expect(session.finished).toBe(true);
    expect(session.answers).toEqual({ score: 2, why: "slow" });
    expect(session.toJSON().answers).toEqual({ score: 2, praise: "great", why: "slow" });
    expect(session.toJSON().path).toEqual(["score", "why", "last"]);
    expect(session.outcome()?.segment).toBe("detractor");
  });

  it("uses the first rule that holds", () => {
    const survey = build(
      [nps(), openText("a"), openText("b"), openText("c")],
      [
        {
          question: "score",
          rules: [
            { if: { question: "score", op: "gte", value: 9 }, then: { jump: "c" } },
            { if: { question: "score", op: "gte", value: 7 }, then: { jump: "b" } },
            { then: "end" },
          ],
        },
      ],
    );
    expect(walk(createSurveySession(survey), { score: 10 })).toEqual(["score", "c"]);
    expect(walk(createSurveySession(survey), { score: 8 })).toEqual(["score", "b", "c"]);
    expect(walk(createSurveySession(survey), { score: 1 })).toEqual(["score"]);
  });

  it("evaluates conditions on earlier answers from another question's rules", () => {
    const survey = build(
      [
        nps(),
        choice("plan", "single_choice", { required: true }),
        openText("why"),
        openText("end"),
      ],
      [
        {
          question: "plan",
          rules: [
            {
              if: {
                all: [
                  { question: "score", op: "lte", value: 6 },
                  { question: "plan", op: "eq", value: "c" },
                ],
              },
              then: { jump: "end" },
            },
            {
              if: {
                any: [
                  { question: "score", op: "eq", value: 10 },
                  { question: "plan", op: "eq", value: "a" },
                ],
              },
              then: "end",
            },
          ],
        },
      ],
    );
    const path = (score: number, plan: string) =>
      walk(createSurveySession(survey), { score, plan });
    expect(path(3, "c")).toEqual(["score", "plan", "end"]); // all holds
    expect(path(7, "c")).toEqual(["score", "plan", "why", "end"]); // all fails, any fails
    expect(path(10, "b")).toEqual(["score", "plan"]); // any holds by score
    expect(path(7, "a")).toEqual(["score", "plan"]); // any holds by plan
    expect(path(3, "b")).toEqual(["score", "plan", "why", "end"]); // neither
  });

  it("treats a question jumped over as skipped", () => {
    const survey = build(
      [nps(), openText("middle"), openText("check"), openText("after"), openText("fin")],
      [
        {
          question: "score",
          rules: [{ if: { question: "score", op: "gte", value: 9 }, then: { jump: "check" } }],
        },
        {
          question: "check",
          rules: [{ if: { question: "middle", op: "skipped" }, then: { jump: "fin" } }],
        },
      ],
    );
    expect(walk(createSurveySession(survey), { score: 10 })).toEqual(["score", "check", "fin"]);
    expect(walk(createSurveySession(survey), { score: 1, middle: "x" })).toEqual([
      "score",
      "middle",
      "check",
      "after",
      "fin",
    ]);
  });

  type Case = [
    op: string,
    question: Raw,
    value: unknown,
    answer: AnswerValue | undefined,
    jumps: boolean,
  ];
  const score = { id: "src", type: "nps", required: false, text: text("src") };
  const single = choice("src", "single_choice", { other: { text: text("Other") } });
  const multi = choice("src", "multi_choice", { other: { text: text("Other") } });
  const free = openText("src");
  const cases: Case[] = [
    ["eq", score, 3, 3, true],
    ["eq", score, 3, 4, false],
    ["eq", score, 3, undefined, false],
    ["eq", single, "b", "b", true],
    ["eq", single, "b", "a", false],
    ["eq", single, "other", { other: "mine" }, true],
    ["neq", score, 3, 4, true],
    ["neq", score, 3, 3, false],
    ["neq", score, 3, undefined, false],
    ["lt", score, 4, 3, true],
    ["lt", score, 4, 4, false],
    ["lte", score, 4, 4, true],
    ["lte", score, 4, 5, false],
    ["gt", score, 8, 9, true],
    ["gt", score, 8, 8, false],
    ["gte", score, 8, 8, true],
    ["gte", score, 8, 7, false],
    ["lt", score, 4, undefined, false],
    ["in", single, ["b", "c"], "c", true],
    ["in", single, ["b", "c"], "a", false],
    ["in", single, ["other"], { other: "x" }, true],
    ["in", multi, ["c"], ["a", "c"], true],
    ["in", multi, ["c"], ["a", "b"], false],
    ["in", score, [0, 1, 2], 1, true],
    ["notIn", single, ["b", "c"], "a", true],
    ["notIn", single, ["b", "c"], "b", false],
    ["notIn", multi, ["c"], ["a", "b"], true],
    ["notIn", multi, ["c"], ["a", "c"], false],
    ["notIn", single, ["b"], undefined, false],
    ["contains", free, "export", "The Export is slow", true],
    ["contains", free, "export", "all fine", false],
    ["contains", multi, "b", ["a", "b"], true],
    ["contains", multi, "b", ["a"], false],
    ["contains", multi, "other", [{ other: "x" }], true],
    ["answered", free, undefined, "anything", true],
    ["answered", free, undefined, undefined, false],
    ["skipped", free, undefined, undefined, true],
    ["skipped", free, undefined, "anything", false],
  ];

  it.each(cases)("%s on %j with %j and answer %j jumps: %s", (op, src, value, answer, jumps) => {
    const comparison: Raw = { question: "src", op };
    if (value !== undefined) comparison.value = value;
    const survey = build(
      [src, openText("mid"), openText("target")],
      [{ question: "src", rules: [{ if: comparison, then: { jump: "target" } }] }],
    );
    const session = createSurveySession(survey);
    if (answer !== undefined) session.answer("src", answer);
    expect(session.next()?.id).toBe(jumps ? "target" : "mid");
  });
});

describe("answer validation", () => {
  /** A session on a one-question survey, to answer that question. */
  function only(question: Raw): SurveySession {
    return createSurveySession(build([question]));
  }
  const accepts = (question: Raw, value: unknown, stored: unknown = value) => {
    const session = only(question);
    session.answer(question.id as string, value);
    expect(session.answers).toEqual({ [question.id as string]: stored });
  };
  const rejects = (question: Raw, value: unknown, reason: string) => {
    const session = only(question);
    const error = answerError(() => session.answer(question.id as string, value));
    expect(error.reason).toBe(reason);
    expect(error.questionId).toBe(question.id);
    expect(session.answers).toEqual({});
  };

  const scales: [string, Raw, number, number][] = [
    ["nps", { type: "nps" }, 0, 10],
    ["csat", { type: "csat" }, 1, 5],
    ["ces", { type: "ces" }, 1, 7],
    ["rating 2", { type: "rating", scale: 2 }, 1, 2],
    ["rating 5", { type: "rating", scale: 5 }, 1, 5],
    ["rating 10", { type: "rating", scale: 10 }, 1, 10],
  ];
  it.each(scales)("%s accepts integers %i..%i only", (_name, shape, min, max) => {
    const q = { id: "q", text: text("Q"), ...shape };
    for (let v = min; v <= max; v++) accepts(q, v);
    rejects(q, min - 1, "out_of_range");
    rejects(q, max + 1, "out_of_range");
    rejects(q, min + 0.5, "wrong_type");
    rejects(q, String(min), "wrong_type");
    rejects(q, Number.NaN, "wrong_type");
    rejects(q, Number.POSITIVE_INFINITY, "wrong_type");
    rejects(q, null, "wrong_type");
    rejects(q, true, "wrong_type");
  });

  it("names the allowed range in the message", () => {
    const session = only({ id: "q", type: "csat", text: text("Q") });
    expect(answerError(() => session.answer("q", 9)).message).toBe(
      'Question "q": expected an integer from 1 to 5, got 9',
    );
  });

  const single = choice("s", "single_choice");
  const singleOther = choice("s", "single_choice", { other: { text: text("Other") } });
  it("single_choice takes a known option id", () => {
    accepts(single, "a");
    accepts(single, "c");
    rejects(single, "z", "unknown_option");
    rejects(single, "A", "unknown_option");
    rejects(single, "other", "unknown_option");
    rejects(single, 1, "wrong_type");
    rejects(single, ["a"], "wrong_type");
    rejects(single, { id: "a" }, "wrong_type");
  });

  it("single_choice takes { other } only when `other` is allowed", () => {
    rejects(single, { other: "mine" }, "unknown_option");
    accepts(singleOther, { other: "mine" });
    rejects(singleOther, { other: "" }, "wrong_type");
    rejects(singleOther, { other: "   " }, "wrong_type");
    rejects(singleOther, { other: 5 }, "wrong_type");
    rejects(singleOther, { other: "x".repeat(1001) }, "wrong_type");
    accepts(singleOther, { other: "x".repeat(1000) });
  });

  const multi = choice("m", "multi_choice", { minSelected: 1, maxSelected: 2 });
  const multiOther = choice("m", "multi_choice", { other: { text: text("Other") } });
  it("multi_choice takes an array of distinct known options within bounds", () => {
    accepts(multi, ["a"]);
    accepts(multi, ["c", "a"]);
    rejects(multi, [], "too_few");
    rejects(multi, ["a", "b", "c"], "too_many");
    rejects(multi, ["a", "a"], "duplicate_option");
    rejects(multi, ["a", "z"], "unknown_option");
    rejects(multi, "a", "wrong_type");
    rejects(multi, [1], "wrong_type");
    rejects(multi, [{ other: "mine" }], "unknown_option");
  });

  it("multi_choice takes one { other } when allowed", () => {
    accepts(multiOther, ["a", { other: "mine" }]);
    accepts(multiOther, []);
    rejects(multiOther, [{ other: "x" }, { other: "y" }], "duplicate_option");
    rejects(multiOther, [{ other: "" }], "wrong_type");
  });

  it("a required multi_choice needs at least one choice", () => {
    rejects({ ...multiOther, required: true }, [], "required");
    accepts({ ...multiOther, required: true }, ["b"]);
  });

  const bounded = openText("t", { minLength: 3, maxLength: 10 });
  it("open_text takes text within its length bounds", () => {
    accepts(bounded, "abc");
    accepts(bounded, "x".repeat(10));
    rejects(bounded, "ab", "too_short");
    rejects(bounded, "  ab  ", "too_short");
    rejects(bounded, "x".repeat(11), "too_long");
    rejects(bounded, 42, "wrong_type");
    rejects(bounded, ["abc"], "wrong_type");
    const long = only(bounded);
    expect(answerError(() => long.answer("t", "x".repeat(11))).message).toBe(
      'Question "t": allows at most 10 characters',
    );
  });

  it("open_text defaults to at most 5000 characters", () => {
    const free = openText("t");
    accepts(free, "x".repeat(5000));
    rejects(free, "x".repeat(5001), "too_long");
  });

  it("blank text on an optional open_text is no answer: it counts as skipped", () => {
    const free = openText("t");
    const session = only(free);
    session.answer("t", "first");
    session.answer("t", "   ");
    expect(session.answers).toEqual({});
    expect(session.current()?.answer).toBeUndefined();
  });

  it("a required open_text needs more than blank text", () => {
    const required = openText("t", { required: true });
    rejects(required, "", "required");
    rejects(required, "  \n ", "required");
    accepts(required, "ok");
  });

  it("a required consent must be true", () => {
    const consent = { id: "ok", type: "consent", required: true, text: text("Agree?") };
    accepts(consent, true);
    rejects(consent, false, "required");
    rejects(consent, "yes", "wrong_type");
    rejects(consent, 1, "wrong_type");
  });

  it("an optional consent may be refused", () => {
    const consent = { id: "ok", type: "consent", text: text("Agree?") };
    accepts(consent, true);
    accepts(consent, false);
    rejects(consent, null, "wrong_type");
  });
});

describe("question views", () => {
  it("carries what each type needs to render, in the session's locale", () => {
    const survey = build([
      { id: "r", type: "rating", scale: 5, display: "stars", required: true, text: text("Rate") },
      choice("m", "multi_choice", { other: { text: text("Other") } }),
      openText("t", { minLength: 2, maxLength: 9 }),
      { id: "ok", type: "consent", text: text("Agree?") },
    ]);
    const session = createSurveySession(survey, { locale: "fr" });
    expect(session.current()).toEqual({
      id: "r",
      type: "rating",
      text: "Rate (fr)",
      required: true,
      index: 0,
      total: 4,
      scale: 5,
      display: "stars",
    });
    session.answer("r", 4);
    expect(session.next()).toEqual({
      id: "m",
      type: "multi_choice",
      text: "m (fr)",
      required: false,
      index: 1,
      total: 4,
      options: [
        { id: "a", text: "A (fr)" },
        { id: "b", text: "B (fr)" },
        { id: "c", text: "C (fr)" },
      ],
      other: "Other (fr)",
    });
    expect(session.next()).toMatchObject({ id: "t", index: 2, minLength: 2, maxLength: 9 });
    expect(session.next()).toEqual({
      id: "ok",
      type: "consent",
      text: "Agree? (fr)",
      required: false,
      index: 3,
      total: 4,
    });
  });

  it("gives the rating display its default", () => {
    const survey = build([{ id: "r", type: "rating", scale: 3, required: true, text: text("R") }]);
    expect(createSurveySession(survey).current()).toMatchObject({ scale: 3, display: "number" });
  });

  it("reports the survey position, not the path position, after a jump", () => {
    const survey = build(
      [nps(), openText("b"), openText("c")],
      [{ question: "score", rules: [{ then: { jump: "c" } }] }],
    );
    const session = createSurveySession(survey);
    session.answer("score", 1);
    expect(session.next()).toMatchObject({ id: "c", index: 2, total: 3 });
  });
});

describe("shuffled options", () => {
  const survey = build([
    nps(),
    {
      id: "pick",
      type: "single_choice",
      required: true,
      shuffle: true,
      text: text("Pick"),
      options: ["o1", "o2", "o3", "o4", "o5", "o6"].map((id) => ({ id, text: text(id) })),
    },
    openText("why"),
  ]);
  const ids = (session: SurveySession) => session.current()?.options?.map((o) => o.id);

  it("shuffles by the given random source and keeps the order within the session", () => {
    const session = createSurveySession(survey, { random: seeded(7) });
    session.answer("score", 5);
    session.next();
    const order = ids(session);
    expect([...(order ?? [])].sort()).toEqual(["o1", "o2", "o3", "o4", "o5", "o6"]);
    expect(order).not.toEqual(["o1", "o2", "o3", "o4", "o5", "o6"]);
    expect(ids(session)).toEqual(order);
    session.back();
    session.next();
    expect(ids(session)).toEqual(order);
  });

  it("does not reorder unshuffled options", () => {
    const session = createSurveySession(build([choice("c", "single_choice")]), {
      random: () => 0,
    });
    expect(ids(session)).toEqual(["a", "b", "c"]);
  });
});

describe("toJSON and restore", () => {
  const survey = build([
    nps(),
    {
      id: "pick",
      type: "multi_choice",
      shuffle: true,
      text: text("Pick"),
      options: ["o1", "o2", "o3", "o4", "o5", "o6"].map((id) => ({ id, text: text(id) })),
    },
    openText("why"),
  ]);

  function midway(): SurveySession {
    const session = createSurveySession(survey, { locale: "fr", random: seeded(3) });
    session.answer("score", 6);
    session.next();
    session.answer("pick", ["o2", "o5"]);
    return session;
  }

  it("serializes to plain JSON", () => {
    const session = midway();
    const state = session.toJSON();
    expect(state).toEqual({
      surveyId: "flow",
      surveyVersion: 1,
      locale: "fr",
      path: ["score", "pick"],
      finished: false,
      answers: { score: 6, pick: ["o2", "o5"] },
      order: { pick: session.current()?.options?.map((o) => o.id) },
    });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    // A snapshot, not a live view.
    session.answer("pick", ["o1"]);
    expect(state.answers.pick).toEqual(["o2", "o5"]);
  });

  it("resumes at the same place with the same option order and answers", () => {
    const before = midway();
    const saved = JSON.parse(JSON.stringify(before.toJSON())) as unknown;
    const after = createSurveySession(survey, { restore: saved, random: () => 0.999 });
    expect(after.current()).toEqual(before.current());
    expect(after.current()?.answer).toEqual(["o2", "o5"]);
    expect(after.locale).toBe("fr");
    expect(after.answers).toEqual(before.answers);
    expect(after.finished).toBe(false);
    after.back();
    expect(after.current()).toMatchObject({ id: "score", answer: 6 });
    after.next();
    expect(after.current()?.options).toEqual(before.current()?.options);
  });

  it("continues to the same end after a resume", () => {
    const first = midway();
    const resumed = createSurveySession(survey, { restore: first.toJSON() });
    for (const s of [first, resumed]) {
      s.next();
      s.answer("why", "slow");
      s.next();
    }
    expect(resumed.finished).toBe(true);
    expect(resumed.answers).toEqual(first.answers);
    expect(resumed.outcome()).toEqual(first.outcome());
    expect(resumed.toJSON()).toEqual(first.toJSON());
  });

  it("restores a finished session as finished", () => {
    const session = createSurveySession(survey);
    walk(session, { score: 10 });
    const resumed = createSurveySession(survey, { restore: session.toJSON() });
    expect(resumed.finished).toBe(true);
    expect(resumed.current()).toBeUndefined();
    expect(resumed.outcome()?.segment).toBe("promoter");
    expect(resumed.back()?.id).toBe("why");
  });

  it("refuses state of another survey", () => {
    const state = { ...midway().toJSON(), surveyId: "other" };
    const error = validationError(() => createSurveySession(survey, { restore: state }));
    expect(error.name).toBe("ValidationError");
    expect(error.code).toBe("validation_failed");
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([["surveyId", "survey_mismatch"]]);
  });

  it("refuses state of another version of the same survey", () => {
    const v2 = build(
      [nps(), choice("pick", "multi_choice", { shuffle: true }), openText("why")],
      [],
      { version: 2 },
    );
    const error = validationError(() => createSurveySession(v2, { restore: midway().toJSON() }));
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([["surveyId", "survey_mismatch"]]);
    expect(error.issues[0]?.message).toBe("state is for flow@1, not flow@2");
  });

  it("refuses answers that do not fit their questions", () => {
    const state = { ...midway().toJSON(), answers: { score: 11, pick: ["nope"], why: 3 } };
    const error = validationError(() => createSurveySession(survey, { restore: state }));
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([
      ["answers.score", "out_of_range"],
      ["answers.pick", "unknown_option"],
      ["answers.why", "wrong_type"],
    ]);
  });

  it("refuses answers and path entries for unknown questions", () => {
    const state = { ...midway().toJSON(), path: ["score", "ghost"], answers: { ghost: 1 } };
    const error = validationError(() => createSurveySession(survey, { restore: state }));
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([
      ["path.1", "unknown_question"],
      ["answers.ghost", "unknown_question"],
    ]);
  });

  it("refuses an option order that is not a permutation of the options", () => {
    const state = { ...midway().toJSON(), order: { pick: ["o1", "o2"] } };
    const error = validationError(() => createSurveySession(survey, { restore: state }));
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([["order.pick", "invalid_order"]]);
  });

  it("refuses answers or an order that are not objects", () => {
    const state = { ...midway().toJSON(), answers: "score=6", order: ["o1"] };
    const error = validationError(() => createSurveySession(survey, { restore: state }));
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([
      ["answers", "invalid_type"],
      ["order", "invalid_type"],
    ]);
  });

  it("refuses a path that does not start at the first question", () => {
    const state = { ...midway().toJSON(), path: ["pick"] };
    const error = validationError(() => createSurveySession(survey, { restore: state }));
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([["path.0", "invalid_path"]]);
  });

  it("refuses a path that skips a required answer", () => {
    const state = { ...midway().toJSON(), answers: { pick: ["o2"] } };
    const error = validationError(() => createSurveySession(survey, { restore: state }));
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([["answers.score", "required"]]);
  });

  it("refuses a path the logic could not have taken", () => {
    const jumpy = build(
      [nps(), openText("why"), openText("praise")],
      [
        {
          question: "score",
          rules: [{ if: { question: "score", op: "gte", value: 9 }, then: { jump: "praise" } }],
        },
      ],
    );
    const state = {
      surveyId: "flow",
      surveyVersion: 1,
      locale: "en",
      path: ["score", "why"],
      finished: false,
      answers: { score: 10 },
      order: {},
    };
    const error = validationError(() => createSurveySession(jumpy, { restore: state }));
    expect(error.issues).toEqual([
      {
        path: "path.1",
        code: "invalid_path",
        message: `after "score" the logic leads to "praise"`,
      },
    ]);
    const finishedEarly = { ...state, path: ["score", "praise"], finished: false };
    expect(createSurveySession(jumpy, { restore: finishedEarly }).current()?.id).toBe("praise");
  });

  it.each<[unknown, [string, string][]]>([
    ["a string", [["", "invalid_type"]]],
    [42, [["", "invalid_type"]]],
    [[], [["surveyId", "survey_mismatch"]]],
    [{}, [["surveyId", "survey_mismatch"]]],
    [
      { surveyId: "flow", surveyVersion: 1 },
      [
        ["path", "invalid_type"],
        ["finished", "invalid_type"],
      ],
    ],
  ])("refuses malformed state %j", (state, expected) => {
    const error = validationError(() => createSurveySession(survey, { restore: state }));
    expect(error.issues.map((i) => [i.path, i.code])).toEqual(expected);
  });
});

describe("locale resolution", () => {
  const survey = defineSurvey(onboardingNps());
  it.each([
    ["en", "en"],
    ["fr", "fr"],
    ["fr-CA", "fr"],
    ["FR", "fr"],
    ["en-GB", "en"],
    ["de", "en"],
    ["de-CH", "en"],
    [undefined, "en"],
  ])("%s resolves to %s", (requested, expected) => {
    const session = createSurveySession(
      survey,
      requested === undefined ? {} : { locale: requested },
    );
    expect(session.locale).toBe(expected);
    expect(session.toJSON().locale).toBe(expected);
  });

  it("shows questions in the resolved locale", () => {
    expect(createSurveySession(survey, { locale: "fr-CA" }).current()?.text).toBe(
      "Nous recommanderiez-vous ?",
    );
    expect(createSurveySession(survey, { locale: "ja" }).current()?.text).toBe(
      "How likely are you to recommend us?",
    );
  });
});

describe("outcome()", () => {
  const survey = defineSurvey(onboardingNps());
  const finish = (score: number, locale?: string) => {
    const session = createSurveySession(survey, locale ? { locale } : {});
    walk(session, { score });
    return session;
  };

  it("is undefined until the session is finished", () => {
    const session = createSurveySession(survey);
    expect(session.outcome()).toBeUndefined();
    session.answer("score", 2);
    expect(session.outcome()).toBeUndefined();
    session.next();
    expect(session.outcome()).toBeUndefined();
  });

  it("gives the segment, its route and the localized acknowledgement", () => {
    expect(finish(3, "fr-CA").outcome()).toEqual({
      segment: "detractor",
      route: survey.loop.routes.detractor,
      acknowledgement:
        "Désolés de vous avoir déçu. Notre équipe vous contactera sous deux jours. Merci de nous l'avoir dit.",
    });
    expect(finish(7).outcome()).toEqual({
      segment: "passive",
      route: survey.loop.routes.passive,
      acknowledgement: "Thank you — we read every answer.",
    });
    expect(finish(10, "de").outcome()).toEqual({
      segment: "promoter",
      route: survey.loop.routes.promoter,
      acknowledgement: "Thank you! Glad we got it right.",
    });
  });

  it.each([
    [0, "detractor"],
    [6, "detractor"],
    [7, "passive"],
    [8, "passive"],
    [9, "promoter"],
    [10, "promoter"],
  ])("score %i is %s", (score, segment) => {
    expect(finish(score).outcome()?.segment).toBe(segment);
  });

  it("is `unscored` when an optional scoring question was skipped", () => {
    const survey = build([nps("score", false), openText("why")]);
    const session = createSurveySession(survey, { locale: "fr" });
    walk(session, { why: "no opinion" });
    expect(session.outcome()).toMatchObject({
      segment: "unscored",
      acknowledgement: "Merci (unscored)",
    });
  });

  it("is `unscored` when logic jumped past the scoring question", () => {
    const survey = build(
      [{ id: "ok", type: "consent", text: text("ok") }, nps(), openText("why")],
      [
        {
          question: "ok",
          rules: [{ if: { question: "ok", op: "eq", value: false }, then: "end" }],
        },
      ],
    );
    const skipped = createSurveySession(survey);
    expect(walk(skipped, { ok: false })).toEqual(["ok"]);
    expect(skipped.outcome()?.segment).toBe("unscored");
    const scored = createSurveySession(survey);
    expect(walk(scored, { ok: true, score: 9 })).toEqual(["ok", "score", "why"]);
    expect(scored.outcome()?.segment).toBe("promoter");
  });

  it("is `all` for a survey without a scoring question", () => {
    const session = createSurveySession(build([openText("why")]));
    walk(session, {});
    expect(session.outcome()).toMatchObject({ segment: "all", acknowledgement: "Thanks (all)" });
  });

  it("ignores a score on an abandoned branch", () => {
    const survey = build(
      [choice("plan", "single_choice", { required: true }), nps("score", false), openText("why")],
      [
        {
          question: "plan",
          rules: [{ if: { question: "plan", op: "eq", value: "a" }, then: { jump: "why" } }],
        },
      ],
    );
    const session = createSurveySession(survey);
    session.answer("plan", "b");
    session.next();
    session.answer("score", 1);
    session.back();
    session.answer("plan", "a");
    session.next();
    session.next();
    expect(session.answers).toEqual({ plan: "a" });
    expect(session.outcome()?.segment).toBe("unscored");
  });
});

describe("question ids that name Object.prototype members", () => {
  it("are ordinary ids: required still blocks and choices still render", () => {
    const survey = build([
      openText("toString", { required: true }),
      choice("constructor", "single_choice", { shuffle: true }),
      openText("hasOwnProperty"),
    ]);
    const session = createSurveySession(survey);
    expect(session.current()?.answer).toBeUndefined();
    expect(answerError(() => session.next()).reason).toBe("required");
    session.answer("toString", "hello");
    expect(
      session
        .next()
        ?.options?.map((o) => o.id)
        .sort(),
    ).toEqual(["a", "b", "c"]);
    expect(session.answers).toEqual({ toString: "hello" });
    session.next();
    session.next();
    expect(session.finished).toBe(true);
    expect(session.answers).toEqual({ toString: "hello" });
  });

  it("are skipped, not answered, in conditions", () => {
    const survey = build(
      [openText("valueOf"), openText("mid"), openText("end")],
      [
        {
          question: "valueOf",
          rules: [{ if: { question: "valueOf", op: "skipped" }, then: { jump: "end" } }],
        },
      ],
    );
    expect(walk(createSurveySession(survey), {})).toEqual(["valueOf", "end"]);
  });
});
