import { type Issue, SurveyDefinitionError } from "../errors.js";
import { deepFreeze } from "../freeze.js";
import { LocaleSchema } from "../schemas/common.js";
import { toIssues } from "../schemas/issues.js";
import { QuestionLogicSchema } from "../schemas/logic.js";
import { RouteSchema } from "../schemas/loop-policy.js";
import { QuestionSchema, SCORING_TYPES } from "../schemas/question.js";
import { type Survey, type SurveyInput, SurveySchema } from "../schemas/survey.js";
import { acknowledgementWarnings } from "./acknowledgement.js";
import { logicIssues } from "./check-logic.js";
import { questionIssues } from "./check-questions.js";
import { canFinishWithout, logicGraph } from "./graph.js";
import { routeIssues } from "./routes.js";
import {
  NEGATIVE_SEGMENTS,
  SEGMENT_ALL,
  SEGMENT_UNSCORED,
  SEGMENTS,
  segmentsForQuestion,
} from "./segment.js";

/** The outcome of `checkSurvey`: `ok` is true when `issues` is empty. */
export interface SurveyCheck {
  ok: boolean;
  issues: Issue[];
  warnings: Issue[];
  /** The parsed survey, when there are no issues. */
  survey?: Survey;
}

type Raw = Record<string, unknown>;

function asRecord(v: unknown): Raw {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Raw) : {};
}

/** Elements of a raw array that parse on their own, with their index, so one bad element hides no other issue. */
function parsedEach<T>(
  raw: unknown,
  parse: (v: unknown) => { success: true; data: T } | { success: false },
): { index: number; value: T }[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v, index) => {
    const r = parse(v);
    return r.success ? [{ index, value: r.data }] : [];
  });
}

function regexIssues(targeting: Raw): Issue[] {
  const rules = Array.isArray(targeting.url) ? targeting.url : [];
  return rules.flatMap((rule, i) => {
    const r = asRecord(rule);
    if (r.match !== "regex" || typeof r.value !== "string") return [];
    try {
      new RegExp(r.value);
      return [];
    } catch (e) {
      return [
        {
          path: `targeting.url.${i}.value`,
          code: "invalid_regex",
          message: `is not a valid regular expression: ${(e as Error).message}`,
        },
      ];
    }
  });
}

/** Deepest nesting of objects and arrays a survey may have (conditions nest; nothing else does). */
const MAX_DEPTH = 64;

/**
 * The first place where `input` nests deeper than `MAX_DEPTH` or refers to itself. Checked
 * before parsing, since a recursive parse of such input overflows the stack instead of failing.
 */
function depthIssue(input: unknown): Issue | undefined {
  const ancestors = new Set<object>();
  const checkedAt = new Map<object, number>();
  const walk = (v: unknown, depth: number, path: string): Issue | undefined => {
    if (typeof v !== "object" || v === null) return undefined;
    if (ancestors.has(v)) return { path, code: "circular", message: "refers to itself" };
    if (depth > MAX_DEPTH) {
      return { path, code: "too_deep", message: `nests deeper than ${MAX_DEPTH} levels` };
    }
    if ((checkedAt.get(v) ?? Number.POSITIVE_INFINITY) <= depth) return undefined;
    ancestors.add(v);
    for (const [k, child] of Object.entries(v)) {
      const issue = walk(child, depth + 1, path ? `${path}.${k}` : k);
      if (issue) return issue;
    }
    ancestors.delete(v);
    checkedAt.set(v, depth);
    return undefined;
  };
  return walk(input, 1, "");
}

/**
 * Checks a survey against the schema and the no-partial-loop gate without throwing. Lists
 * **every** problem with its path: a segment with no route, a route without a message in one of
 * the survey's locales, a follow-up without owner or `closeWithin`, logic cycles and unknown
 * jumps, duplicate question ids, bad scales — plus warnings (a recovery message without an
 * apology or a thank-you).
 *
 * @example
 * const { ok, issues } = checkSurvey(JSON.parse(text));
 * if (!ok) for (const i of issues) console.error(`${i.path}: ${i.message}`);
 */
export function checkSurvey(input: unknown): SurveyCheck {
  const tooDeep = depthIssue(input);
  if (tooDeep) return { ok: false, issues: [tooDeep], warnings: [] };
  const parsed = SurveySchema.safeParse(input);
  const raw = asRecord(input);
  const issues: Issue[] = parsed.success ? [] : toIssues(parsed.error.issues, [], input);

  const locales = parsedEach(raw.locales, (v) => LocaleSchema.safeParse(v)).map((l) => l.value);
  const questions = parsedEach(raw.questions, (v) => QuestionSchema.safeParse(v));
  const logic = parsedEach(raw.logic, (v) => QuestionLogicSchema.safeParse(v));
  const rawQuestions: Raw[] = Array.isArray(raw.questions) ? raw.questions.map(asRecord) : [];
  const questionIds = rawQuestions.map((q, i) => (typeof q.id === "string" ? q.id : `#${i}`));

  issues.push(
    ...questionIssues(
      questions.map((q) => ({ index: q.index, question: q.value })),
      locales,
    ),
    ...logicIssues(
      questionIds,
      logic.map((l) => ({ index: l.index, entry: l.value })),
    ),
    ...regexIssues(asRecord(raw.targeting)),
  );

  // Segments come from the raw scoring question, so a malformed one still yields the right routes.
  const scoringIndex = rawQuestions.findIndex((q) =>
    (SCORING_TYPES as readonly unknown[]).includes(q.type),
  );
  let segments: string[] = [SEGMENT_ALL];
  const scoring = rawQuestions[scoringIndex];
  if (scoring) {
    const type = scoring.type as (typeof SCORING_TYPES)[number];
    const { scale } = scoring;
    const validScale = Number.isInteger(scale) && (scale as number) >= 2 && (scale as number) <= 10;
    segments =
      type !== "rating"
        ? segmentsForQuestion({ type })
        : validScale
          ? segmentsForQuestion({ type, scale: scale as number })
          : [...SEGMENTS.rating];
    const graph = logicGraph(
      questionIds.map((id) => ({ id })),
      logic.map((l) => l.value),
    );
    const skippable =
      scoring.required !== true ||
      canFinishWithout(
        graph,
        questionIds.map((id) => ({ id })),
        questionIds[scoringIndex] as string,
      );
    if (skippable) segments.push(SEGMENT_UNSCORED);
  }
  const routes = asRecord(raw.loop).routes;
  issues.push(...routeIssues(routes, segments, locales, "loop.routes"));

  const warnings: Issue[] = [];
  for (const [segment, route] of Object.entries(asRecord(routes))) {
    const r = RouteSchema.safeParse(route);
    if (r.success && NEGATIVE_SEGMENTS.has(segment)) {
      warnings.push(
        ...acknowledgementWarnings(
          r.data.acknowledge.message,
          `loop.routes.${segment}.acknowledge.message`,
        ),
      );
    }
  }

  const ok = issues.length === 0 && parsed.success;
  return ok ? { ok, issues, warnings, survey: parsed.data } : { ok, issues, warnings };
}

/** Options of `defineSurvey`. */
export interface DefineSurveyOptions {
  /** Receives warnings; by default they are written once with `console.warn`. */
  onWarning?: (warnings: Issue[]) => void;
}

/**
 * Defines a survey: returns it frozen and typed, or throws `SurveyDefinitionError` whose
 * `issues` list every problem (see `checkSurvey`). A survey whose every segment does not reach
 * an acknowledgement, an owner and a deadline cannot be defined.
 *
 * @example
 * const survey = defineSurvey({ id: "onboarding-nps", version: 1, name: "Onboarding NPS",
 *   locales: ["en"], questions: [{ id: "score", type: "nps", required: true, text: { en: "…" } }],
 *   loop: { routes: { detractor: { … }, passive: { … }, promoter: { … } } } });
 */
export function defineSurvey(input: SurveyInput, options: DefineSurveyOptions = {}): Survey {
  const result = checkSurvey(input);
  if (!result.survey) {
    const id = typeof asRecord(input).id === "string" ? `Survey "${asRecord(input).id}"` : "Survey";
    throw new SurveyDefinitionError(id, result.issues);
  }
  if (result.warnings.length > 0) {
    const warn =
      options.onWarning ??
      ((w: Issue[]) =>
        (globalThis as unknown as { console: { warn(m: string): void } }).console.warn(
          `closeloop: survey "${result.survey?.id}" has ${w.length} warning(s):\n${w
            .map((i) => `  - ${i.path}: ${i.message}`)
            .join("\n")}`,
        ));
    warn(result.warnings);
  }
  return deepFreeze(result.survey);
}
