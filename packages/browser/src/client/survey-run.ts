import { createSurveySession, type Survey, type SurveySession, uuidv7 } from "@closeloop/core";
import { mountSurvey } from "../widget/index.js";
import type { ViewEnv, ViewHandle } from "../widget/types.js";
import type { BaseParts } from "./base.js";
import { pageUrl } from "./base.js";

/** What is kept per unfinished survey so that a reload resumes it (docs/browser.md). */
interface SavedRun {
  /** The survey version, response id, when it started, and how many sends so far: each partial send needs its own idempotency key, or the collector would take it for a replay. */
  v: number;
  id: string;
  at: string;
  seq: number;
  state: unknown;
}

const savedKey = (surveyId: string) => `run:${surveyId}`;

/** Whether this browser left `survey` unfinished (same version), so it should resume. */
export const hasSavedRun = (parts: BaseParts, survey: Survey): boolean =>
  parts.kv_.get_<SavedRun>(savedKey(survey.id))?.v === survey.version;

/**
 * Shows `survey` and carries its answers to the collector: each step is sent as a partial
 * response (merged by id on the server) and saved for a reload; the finished response opens
 * the loop; the thank-you screen is reported as `ack-seen`, which acknowledges it.
 * `env` is where and how views show; `onFinished` tells fatigue it was answered; `onClosed`
 * frees the screen.
 */
export function runSurvey(
  parts: BaseParts,
  survey: Survey,
  env: ViewEnv,
  onFinished: () => void,
  onClosed: () => void,
): ViewHandle {
  const { kv_: kv, options_: options, bus_: bus, report_: report } = parts;
  const key = savedKey(survey.id);
  const locale = options.locale_;
  let run = kv.get_<SavedRun>(key);
  let s: SurveySession | undefined;
  try {
    if (run?.v === survey.version) s = createSurveySession(survey, { locale, restore: run.state });
  } catch (e) {
    report(e);
  }
  const resumed = !!s;
  if (!s || !run) {
    s = createSurveySession(survey, { locale });
    run = { v: survey.version, id: uuidv7(), at: new Date().toISOString(), seq: 0, state: 0 };
  }
  const r = run;
  const session = s;
  const send = (finished: boolean) => {
    r.state = session.toJSON();
    const idempotencyKey = `${r.id}:${++r.seq}`;
    if (finished) kv.remove_(key);
    else kv.set_(key, r);
    const region = parts.identity_()?.traits?.region;
    parts
      .send_("response", idempotencyKey, {
        id: r.id,
        surveyId: survey.id,
        surveyVersion: survey.version,
        respondent: parts.respondent_(),
        answers: session.answers,
        finished,
        locale: session.locale,
        // JSON leaves out what is undefined.
        context: {
          url: pageUrl(),
          userAgent: globalThis.navigator?.userAgent.slice(0, 1_000),
          journey: survey.journey,
          touchpoint: survey.touchpoint,
          region: typeof region === "string" ? region : undefined,
        },
        createdAt: r.at,
        idempotencyKey,
      })
      .catch(report);
  };
  let finishedOnce = false;
  const view = mountSurvey({
    ...env,
    locale: session.locale,
    session,
    modal: survey.display.modal,
    onProgress: () => send(false),
    onFinish(outcome) {
      // A session restored already finished opens on its thank-you and finishes again.
      if (finishedOnce) return;
      finishedOnce = true;
      send(true);
      onFinished();
      bus.emit("survey:finished", {
        surveyId: survey.id,
        responseId: r.id,
        segment: outcome.segment,
      });
    },
    onAcknowledgementShown() {
      parts.send_("ack-seen", `ack:${r.id}`, { responseId: r.id, locale: session.locale }, true);
    },
    onDismiss(finished) {
      // Closing the widget is the respondent's choice: what they gave was sent; don't resume it.
      kv.remove_(key);
      view.close();
      onClosed();
      bus.emit("survey:dismissed", { surveyId: survey.id, finished });
    },
  });
  bus.emit("survey:shown", { surveyId: survey.id, resumed });
  return view;
}
