// Runs in Chromium: the targeting engine on the real window, history and localStorage (through
// the client's keyValue), driven by targeting.chromium.test.ts through `window.targeting`.
// Every addEventListener/removeEventListener is counted from the start, so that a test can see
// that stop() leaves no listener behind.
import type { Survey } from "@closeloop/core";
import { keyValue } from "../../src/client/storage.js";
import { createTargeting, type Targeting, type Trigger } from "../../src/targeting/index.js";

type Listening = { target: EventTarget; type: string; fn: unknown; capture: boolean };
const listening: Listening[] = [];
const capture = (options?: boolean | EventListenerOptions) =>
  typeof options === "boolean" ? options : !!options?.capture;
const add = EventTarget.prototype.addEventListener;
const remove = EventTarget.prototype.removeEventListener;
EventTarget.prototype.addEventListener = function (type, fn, options) {
  listening.push({ target: this, type, fn, capture: capture(options) });
  add.call(this, type, fn, options);
};
EventTarget.prototype.removeEventListener = function (type, fn, options) {
  const i = listening.findIndex(
    (l) => l.target === this && l.type === type && l.fn === fn && l.capture === capture(options),
  );
  if (i >= 0) listening.splice(i, 1);
  remove.call(this, type, fn, options);
};

export interface Shown {
  id: string;
  trigger: Trigger;
  path: string;
  /** `performance.now()` when shown. */
  at: number;
}

let targeting: Targeting | undefined;
let busy = false;
const shows: Shown[] = [];
const errors: string[] = [];

const api = {
  start(
    surveys: Survey[],
    options: { prefix: string; cooldownDays?: number; busyAfterShow?: boolean },
  ): void {
    targeting = createTargeting({
      window,
      surveys,
      storage: keyValue(options.prefix),
      ...(options.cooldownDays === undefined ? {} : { cooldownDays: options.cooldownDays }),
      isBusy: () => busy,
      show(survey, trigger) {
        shows.push({
          id: survey.id,
          trigger,
          path: location.pathname + location.hash,
          at: performance.now(),
        });
        busy = options.busyAfterShow ?? false;
      },
      onError: (e) => errors.push(`${(e as { code?: string }).code}: ${(e as Error).message}`),
    });
  },
  /** Tracks an event; answers `performance.now()` just before. */
  track(name: string, props?: Record<string, unknown>): number {
    const at = performance.now();
    targeting?.track(name, props);
    return at;
  },
  recordAnswered: (id: string) => targeting?.recordAnswered(id),
  stop: () => targeting?.stop(),
  shows: () => shows,
  errors: () => errors,
  /** Listeners on the window and the document, as `type/capture`. */
  listeners: () =>
    listening
      .filter((l) => l.target === window || l.target === document)
      .map((l) => `${l.target === window ? "window" : "document"}:${l.type}/${l.capture}`),
  historyIsPristine: () =>
    history.pushState === History.prototype.pushState &&
    history.replaceState === History.prototype.replaceState &&
    !Object.hasOwn(history, "pushState") &&
    !Object.hasOwn(history, "replaceState"),
};
export type TargetingPageApi = typeof api;
(window as unknown as { targeting: TargetingPageApi }).targeting = api;
