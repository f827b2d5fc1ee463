import type { Survey } from "@closeloop/core";
import { matchesEvent } from "./event-filters.js";
import { DAY_MS, fatigueAllows } from "./fatigue.js";
import { type NavigationWindow, watchNavigation } from "./navigation.js";
import { inSample } from "./sample.js";
import type { TargetingStorage } from "./storage.js";
import { targetingError } from "./targeting-error.js";
import { matchesUrl, type PageLocation } from "./url-rules.js";

/** What started a survey on its way to the screen. */
export type Trigger = "url" | "event" | "click";

/** The parts of `window` the targeting uses; a test may pass a fake. */
export type TargetingWindow = NavigationWindow &
  Pick<Window, "setTimeout" | "clearTimeout"> & {
    readonly location: PageLocation;
    readonly document: Pick<Document, "addEventListener" | "removeEventListener">;
  };

/** Options of `createTargeting`. */
export interface TargetingOptions {
  window: TargetingWindow;
  /** The active surveys (more with `setSurveys`); their order breaks ties. */
  surveys?: readonly Survey[];
  /** Keeps shows, answers and sample draws across reloads and tabs: the client's `keyValue`. */
  storage: TargetingStorage;
  /** Days after any survey is shown during which none is; default 7 (0 turns it off). */
  cooldownDays?: number;
  /** Whether something is on screen already (a survey, a notice): then nothing is shown. */
  isBusy(): boolean;
  /**
   * Shows the survey. Called from a timer, never inside the host's own call. The show is
   * recorded for fatigue at once — unless this returns `false` (e.g. its answer could not be
   * kept). `isBusy()` must be true from the moment it returns.
   */
  show(survey: Survey, trigger: Trigger): unknown;
  /** Bad targeting (`targeting_invalid`, once per value) and errors thrown by `isBusy`/`show`. */
  onError(error: unknown): void;
  /** Default `Math.random`; in [0, 1). */
  random?: () => number;
  /** Default `Date.now`. */
  now?: () => number;
}

/** The running targeting: what the client calls. */
export interface Targeting {
  /** Replaces the active surveys (e.g. after `GET /v1/surveys`) and checks the URL rules again. */
  setSurveys(surveys: readonly Survey[]): void;
  /** An app event: starts the surveys it triggers. Never throws. */
  track(name: string, props?: object | null): void;
  /** A survey was shown outside the targeting (`showSurvey(id)`): it counts for fatigue. */
  recordShown(surveyId: string): void;
  /** The respondent answered: ends `untilAnswered` and starts `recontactDays` again. */
  recordAnswered(surveyId: string): void;
  /** Removes every listener, timer and history wrapper this added. */
  stop(): void;
}

/**
 * Decides when a survey is shown, so that the SDK never nags (docs/targeting.md). A survey with
 * event triggers or a click selector starts on those; one with neither starts when the page URL
 * passes its URL rules, on start, on `setSurveys` and after each same-document navigation (and
 * stops waiting when the URL no longer passes). URL rules also restrict where events and clicks
 * count. Once started, a survey waits `delayMs`, then is shown only if, at that moment, it is
 * still active, the URL still passes, nothing is on screen, fatigue allows it and the respondent
 * is in its sample. Nothing here throws into the page: errors go to `onError`.
 *
 * @example
 * const targeting = createTargeting({
 *   window, storage: keyValue("closeloop:default:"), isBusy: () => widget.isOpen(),
 *   show: (survey) => widget.open(survey), onError: (e) => emit("error", e),
 * });
 * targeting.setSurveys(await fetchSurveys());
 * targeting.track("export", { rows: 5000 });
 * // showSurvey(id) bypasses the targeting, but the show still counts:
 * widget.open(survey); targeting.recordShown(survey.id);
 */
export function createTargeting(options: TargetingOptions): Targeting {
  const { window: win, isBusy, show, onError } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const cooldownMs = (options.cooldownDays ?? 7) * DAY_MS;
  const storage = options.storage;
  const read = (key: string) => Number(storage.get_(key)) || 0;
  const timers = new Map<string, number>();
  // Bad regexes and selectors, reported once each.
  const reported = new Set<string>();
  let surveys = options.surveys ?? [];
  let href: string | undefined;
  let stopped = false;

  const invalid = (survey: Survey, field: string, value: string, cause: unknown) => {
    if (!reported.has(field + value)) onError(targetingError(survey.id, field, cause));
    reported.add(field + value);
  };
  const urlPasses = (survey: Survey) =>
    matchesUrl(survey.targeting.url, win.location, (source) => {
      try {
        return new RegExp(source); // the engine caches compiled regexes itself
      } catch (e) {
        invalid(survey, "targeting.url", source, e);
      }
    });
  const eligible = (survey: Survey) =>
    urlPasses(survey) &&
    fatigueAllows(
      survey.display,
      {
        shown: read(`shown:${survey.id}`),
        answered: read(`answered:${survey.id}`),
        last: read("lastShown"),
      },
      now(),
      cooldownMs,
    ) &&
    inSample(survey, storage, random);
  const recordShown = (id: string) => {
    const at = now();
    storage.set_(`shown:${id}`, at);
    storage.set_("lastShown", at);
  };
  const cancel = (id: string) => {
    win.clearTimeout(timers.get(id));
    timers.delete(id);
  };
  const start = (survey: Survey, trigger: Trigger) => {
    const id = survey.id;
    if (timers.has(id) || !eligible(survey)) return;
    const timer = win.setTimeout(() => {
      timers.delete(id);
      try {
        // The active version, if still active: the list may have changed while we waited.
        const current = surveys.find((s) => s.id === id);
        if (current && !isBusy() && eligible(current) && show(current, trigger) !== false) {
          recordShown(id);
        }
      } catch (e) {
        onError(e);
      }
    }, survey.targeting.delayMs);
    timers.set(id, timer);
  };
  /** Starts, in list order, every survey that `fires` for this trigger. */
  const each = (trigger: Trigger, fires: (survey: Survey) => unknown) => {
    try {
      for (const survey of surveys) if (fires(survey)) start(survey, trigger);
    } catch (e) {
      onError(e);
    }
  };
  const checkUrl = (force?: boolean) => {
    // replaceState is often called again with the same URL (scroll positions, state objects).
    if (!force && win.location.href === href) return;
    href = win.location.href;
    each("url", (survey) => {
      const { events, selector } = survey.targeting;
      if (events.length > 0 || selector !== undefined) return false;
      if (urlPasses(survey)) return true;
      cancel(survey.id); // left the page it was waiting on
    });
  };
  const onClick = ({ target }: Event) =>
    each("click", (survey) => {
      const selector = survey.targeting.selector;
      try {
        return selector && (target as Partial<Element> | null)?.closest?.(selector);
      } catch (e) {
        invalid(survey, "targeting.selector", selector as string, e);
      }
    });

  const unwatch = watchNavigation(win, () => checkUrl());
  win.document.addEventListener("click", onClick, true);
  checkUrl(true);

  return {
    setSurveys(list) {
      if (stopped) return;
      surveys = list;
      checkUrl(true);
    },
    track: (name, props) =>
      each("event", (survey) => survey.targeting.events.some((t) => matchesEvent(t, name, props))),
    recordShown,
    recordAnswered: (id) => storage.set_(`answered:${id}`, now()),
    stop() {
      if (stopped) return;
      stopped = true;
      surveys = [];
      for (const id of [...timers.keys()]) cancel(id);
      unwatch();
      win.document.removeEventListener("click", onClick, true);
    },
  };
}
