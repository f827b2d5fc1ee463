import { createSurveySession, type Survey, type SurveySession, uuidv7 } from "@closeloop/core";
import { mountSurvey } from "../widget/index.js";
import type { ViewHandle } from "../widget/types.js";
import type { BaseParts } from "./base.js";

/** What is kept per unfinished survey so that a reload resumes it (docs/browser.md). */
interface SavedRun {
  version: number;
  responseId: string;
  createdAt: string;
  /** Sends so far: each partial send needs its own idempotency key, or the collector would ignore it as a replay. */
  seq: number;
  state: unknown;
}

const savedKey = (surveyId: string) => `run:${surveyId}`;

/** Whether this browser left `survey` unfinished (same version), so it should resume. */
export function hasSavedRun(parts: BaseParts, survey: Survey): boolean {
  return parts.kv.get<SavedRun>(savedKey(survey.id))?.version === survey.version;
}

/** Callbacks of a run, for fatigue and the one-at-a-time rule. */
export interface RunHooks {
  onFinished(): void;
  onClosed(): void;
}

/**
 * Shows `survey` and carries its answers to the collector: each step is sent as a partial
 * response (merged by id on the server) and saved for a reload; the finished response opens
 * the loop; the thank-you screen is reported as `ack-seen`, which acknowledges it.
 */
export function runSurvey(parts: BaseParts, survey: Survey, hooks: RunHooks): ViewHandle {
  const { kv, options, bus } = parts;
  const key = savedKey(survey.id);
  let saved = kv.get<SavedRun>(key);
  let session: SurveySession | undefined;
  if (saved?.version === survey.version) {
    try {
      session = createSurveySession(survey, { locale: options.locale, restore: saved.state });
    } catch (e) {
      parts.report(e);
    }
  }
  const resumed = session !== undefined;
  if (!session || !saved) {
    session = createSurveySession(survey, { locale: options.locale });
    saved = {
      version: survey.version,
      responseId: uuidv7(),
      createdAt: new Date().toISOString(),
      seq: 0,
      state: session.toJSON(),
    };
  }
  const run = saved;
  const s = session;
  const send = (finished: boolean) => {
    run.seq++;
    run.state = s.toJSON();
    if (finished) kv.remove(key);
    else kv.set(key, run);
    const idempotencyKey = `${run.responseId}:${run.seq}`;
    const traits = parts.identity()?.traits;
    const context: Record<string, unknown> = { url: parts.pageUrl() };
    if (globalThis.navigator?.userAgent) context.userAgent = navigator.userAgent.slice(0, 1_000);
    if (survey.journey) context.journey = survey.journey;
    if (survey.touchpoint) context.touchpoint = survey.touchpoint;
    if (typeof traits?.region === "string") context.region = traits.region;
    parts
      .send("response", idempotencyKey, {
        id: run.responseId,
        surveyId: survey.id,
        surveyVersion: survey.version,
        respondent: parts.respondent(),
        answers: s.answers,
        finished,
        locale: s.locale,
        context,
        createdAt: run.createdAt,
        idempotencyKey,
      })
      .catch(parts.report);
  };
  let handle: ViewHandle | undefined;
  const close = () => {
    handle?.close();
    handle = undefined;
    hooks.onClosed();
  };
  handle = mountSurvey({
    container: options.container ?? document.body,
    theme: options.theme,
    locale: s.locale,
    ...(options.nonce ? { nonce: options.nonce } : {}),
    session: s,
    modal: survey.display.modal,
    onProgress: () => send(false),
    onFinish(outcome) {
      send(true);
      hooks.onFinished();
      bus.emit("survey:finished", {
        surveyId: survey.id,
        responseId: run.responseId,
        segment: outcome.segment,
      });
    },
    onAcknowledgementShown() {
      parts
        .send("ack-seen", `ack:${run.responseId}`, { responseId: run.responseId, locale: s.locale })
        .then(() => parts.outbox.then((o) => o.flush()))
        .catch(parts.report);
    },
    onDismiss(finished) {
      // Closing the widget is the respondent's choice: what they gave was sent; don't resume it.
      kv.remove(key);
      close();
      bus.emit("survey:dismissed", { surveyId: survey.id, finished });
    },
  });
  bus.emit("survey:shown", { surveyId: survey.id, resumed });
  return { close };
}
