// createTargeting on a fake window under Node, with fake timers and a fake clock; the same
// engine on the real window is tested in targeting.chromium.test.ts.
import type { Survey } from "@closeloop/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createTargeting,
  DAY_MS,
  type Targeting,
  type TargetingOptions,
  type Trigger,
} from "../src/targeting/index.js";
import { type FakeWindow, fakeWindow, memoryStorage, survey } from "./targeting-fixtures.js";

const T0 = Date.UTC(2026, 11, 2);

describe("createTargeting", () => {
  let win: FakeWindow;
  let storage: ReturnType<typeof memoryStorage>;
  let shows: [string, Trigger][];
  let errors: unknown[];
  let busy: boolean;
  let running: Targeting[];

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    win = fakeWindow("https://shop.example/home");
    storage = memoryStorage();
    shows = [];
    errors = [];
    busy = false;
    running = [];
  });
  afterEach(() => {
    for (const t of running) t.stop();
    vi.useRealTimers();
  });

  const start = (surveys: Survey[], more: Partial<TargetingOptions> = {}) => {
    const t = createTargeting({
      window: win,
      surveys,
      storage,
      now: Date.now,
      isBusy: () => busy,
      show: (s, trigger) => {
        shows.push([s.id, trigger]);
      },
      onError: (e) => errors.push(e),
      ...more,
    });
    running.push(t);
    return t;
  };
  const shown = () => shows.map(([id]) => id);
  const go = (path: string) => win.history.pushState(null, "", path);

  describe("URL triggers", () => {
    it("shows a survey with no trigger on a matching page, after its delay", () => {
      start([survey("a", { url: [{ match: "prefix", value: "/home" }], delayMs: 2000 })]);
      vi.advanceTimersByTime(1999);
      expect(shown()).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(shows).toEqual([["a", "url"]]);
    });

    it("shows after a delay of 0 in a later task, never inside the caller's stack", () => {
      start([survey("a")]);
      expect(shown()).toEqual([]);
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a"]);
    });

    it("re-evaluates after pushState, replaceState, popstate and hashchange", () => {
      start(
        [
          survey("push", { url: [{ match: "exact", value: "/pricing" }] }),
          survey("replace", { url: [{ match: "exact", value: "/docs" }] }),
          survey("pop", { url: [{ match: "exact", value: "/back" }] }),
          survey("hash", { url: [{ match: "contains", value: "#/billing" }] }),
        ],
        { cooldownDays: 0 },
      );
      go("/pricing");
      vi.advanceTimersByTime(0);
      win.history.replaceState(null, "", "/docs");
      vi.advanceTimersByTime(0);
      win.location.href = "https://shop.example/back";
      win.dispatchEvent(new Event("popstate"));
      vi.advanceTimersByTime(0);
      win.location.hash = "#/billing";
      win.dispatchEvent(new Event("hashchange"));
      vi.advanceTimersByTime(0);
      expect(shows).toEqual([
        ["push", "url"],
        ["replace", "url"],
        ["pop", "url"],
        ["hash", "url"],
      ]);
    });

    it("stops waiting when the page is left before the delay, and starts again on return", () => {
      start([survey("a", { url: [{ match: "exact", value: "/pricing" }], delayMs: 1000 })]);
      go("/pricing");
      vi.advanceTimersByTime(600);
      go("/docs");
      go("/pricing");
      vi.advanceTimersByTime(600);
      expect(shown()).toEqual([]);
      vi.advanceTimersByTime(400);
      expect(shown()).toEqual(["a"]);
    });

    it("ignores a replaceState to the same URL", () => {
      start([survey("a", {}, { mode: "always" })], { cooldownDays: 0 });
      vi.advanceTimersByTime(0);
      busy = false;
      for (let i = 0; i < 5; i++) win.history.replaceState({ scroll: i }, "", "/home");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a"]);
      go("/other");
      go("/home");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a", "a"]);
    });

    it("does not wait for the URL in a survey that has events or a selector", () => {
      start([
        survey("ev", { events: [{ name: "x", where: [] }] }),
        survey("cl", { selector: "#b" }),
      ]);
      go("/anywhere");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual([]);
    });
  });

  describe("event triggers", () => {
    const exportSurvey = () =>
      survey("export", {
        url: [{ match: "prefix", value: "/app" }],
        events: [{ name: "export", where: [{ property: "rows", op: "gte", value: 1000 }] }],
        delayMs: 500,
      });

    it("shows on a matching event on a matching page, after the delay", () => {
      go("/app/reports");
      start([exportSurvey()]);
      const t = running[0] as Targeting;
      t.track("export", { rows: 10 });
      t.track("import", { rows: 5000 });
      vi.advanceTimersByTime(1000);
      expect(shown()).toEqual([]);
      t.track("export", { rows: 5000 });
      vi.advanceTimersByTime(500);
      expect(shows).toEqual([["export", "event"]]);
    });

    it("counts no event on a page outside the URL rules", () => {
      start([exportSurvey()]).track("export", { rows: 5000 });
      vi.advanceTimersByTime(500);
      expect(shown()).toEqual([]);
    });

    it("checks the URL again when the delay is over", () => {
      go("/app/reports");
      start([exportSurvey()]).track("export", { rows: 5000 });
      go("/home");
      vi.advanceTimersByTime(500);
      expect(shown()).toEqual([]);
    });

    it("keeps the first pending start: more events do not restart the delay", () => {
      go("/app");
      const t = start([exportSurvey()]);
      t.track("export", { rows: 5000 });
      vi.advanceTimersByTime(300);
      t.track("export", { rows: 5000 });
      vi.advanceTimersByTime(200);
      expect(shown()).toEqual(["export"]);
    });

    it("never throws from track, even on properties that throw", () => {
      go("/app");
      const t = start([exportSurvey()]);
      const hostile = Object.defineProperty({}, "rows", {
        enumerable: true,
        get() {
          throw new Error("boom");
        },
      });
      expect(() => t.track("export", hostile)).not.toThrow();
      expect(errors).toHaveLength(1);
    });
  });

  describe("fatigue", () => {
    it("shows a `once` survey once, also after a reload (same storage)", () => {
      const s = survey("a", { events: [{ name: "go", where: [] }] });
      const t = start([s], { cooldownDays: 0 });
      t.track("go");
      vi.advanceTimersByTime(0);
      t.track("go");
      vi.advanceTimersByTime(0);
      t.stop();
      start([s], { cooldownDays: 0 }).track("go");
      vi.advanceTimersByTime(DAY_MS);
      expect(shown()).toEqual(["a"]);
    });

    it("holds every other survey for the cooldown (default 7 days) after one is shown", () => {
      const t = start([survey("a"), survey("b", { events: [{ name: "go", where: [] }] })]);
      vi.advanceTimersByTime(0);
      busy = false;
      t.track("go");
      vi.advanceTimersByTime(7 * DAY_MS - 1);
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a"]);
      vi.advanceTimersByTime(1);
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a", "b"]);
    });

    it("takes the cooldown in days from the options", () => {
      const t = start([survey("a"), survey("b", { events: [{ name: "go", where: [] }] })], {
        cooldownDays: 1,
      });
      vi.advanceTimersByTime(DAY_MS);
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a", "b"]);
    });

    it("shows an `untilAnswered` survey again until recordAnswered", () => {
      const s = survey("a", { events: [{ name: "go", where: [] }] }, { mode: "untilAnswered" });
      const t = start([s], { cooldownDays: 0 });
      t.track("go");
      vi.advanceTimersByTime(0);
      t.track("go");
      vi.advanceTimersByTime(0);
      t.recordAnswered("a");
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a", "a"]);
    });

    it("counts a show made outside the targeting (recordShown) for `once` and the cooldown", () => {
      const t = start([survey("a", { events: [{ name: "go", where: [] }] })]);
      t.recordShown("explicit");
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual([]);
      t.recordShown("a");
      vi.advanceTimersByTime(8 * DAY_MS);
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual([]);
    });

    it("records nothing when show answers false, so the survey may come again", () => {
      let accept = false;
      const t = start([survey("a", { events: [{ name: "go", where: [] }] })], {
        show: (s) => {
          shows.push([s.id, "event"]);
          return accept;
        },
      });
      t.track("go");
      vi.advanceTimersByTime(0);
      accept = true;
      t.track("go");
      vi.advanceTimersByTime(0);
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a", "a"]);
      expect(storage.data.get("shown:a")).toBe(T0);
    });

    it("shows nothing while something is on screen, and one survey at a time", () => {
      const go = { events: [{ name: "go", where: [] }] };
      const t = start([survey("a", go), survey("b", go)], {
        cooldownDays: 0,
        show: (s, trigger) => {
          shows.push([s.id, trigger]);
          busy = true;
        },
      });
      busy = true;
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual([]);
      busy = false;
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a"]);
    });

    it("leaves out a respondent outside the sample for good, drawing once", () => {
      let draws = 0;
      const s = survey("a", { events: [{ name: "go", where: [] }], sampleRate: 0.1 });
      const random = () => {
        draws++;
        return 0.5; // kept as the draw 0.5 > 0.1
      };
      const t = start([s], { random, cooldownDays: 0 });
      for (let i = 0; i < 10; i++) t.track("go");
      vi.advanceTimersByTime(0);
      t.stop();
      start([s], { random, cooldownDays: 0 }).track("go");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual([]);
      expect(draws).toBe(1);
    });
  });

  describe("surveys and errors", () => {
    it("shows the active version at the end of the delay, and nothing once it is gone", () => {
      const go = { events: [{ name: "go", where: [] }], delayMs: 100 };
      const versions: number[] = [];
      const t = start([survey("a", go), survey("b", go)], {
        cooldownDays: 0,
        show: (s, trigger) => {
          shows.push([s.id, trigger]);
          versions.push(s.version);
        },
      });
      t.track("go");
      t.setSurveys([survey("a", go, {}, 2)]);
      vi.advanceTimersByTime(100);
      expect(shown()).toEqual(["a"]);
      expect(versions).toEqual([2]);
    });

    it("evaluates URL rules of surveys given later with setSurveys", () => {
      const t = start([]);
      t.setSurveys([survey("a", { url: [{ match: "exact", value: "/home" }] })]);
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual(["a"]);
    });

    it("reports a regex that does not compile once, and matches nothing with it", () => {
      // The collector checks regexes, but a visitor's browser may lack some syntax: simulated.
      const valid = survey("a", { events: [{ name: "go", where: [] }] });
      const bad = {
        ...valid,
        targeting: { ...valid.targeting, url: [{ match: "regex" as const, value: "(unclosed" }] },
      };
      const t = start([bad]);
      for (let i = 0; i < 5; i++) t.track("go");
      go("/x");
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: "targeting_invalid", name: "CloseloopError" });
      expect(String((errors[0] as Error).message)).toMatch(
        /^Survey "a": targeting.url ignored, SyntaxError: .*\(unclosed/,
      );
    });

    it("reports what isBusy or show throw, and goes on", () => {
      const t = start([survey("a", { events: [{ name: "go", where: [] }] }, { mode: "always" })], {
        cooldownDays: 0,
        show: () => {
          throw new Error("widget failed");
        },
      });
      t.track("go");
      vi.advanceTimersByTime(0);
      expect(errors).toEqual([new Error("widget failed")]);
      expect(storage.data.has("shown:a")).toBe(false);
    });
  });

  describe("stop", () => {
    it("removes its listeners, clears its timers and restores the history methods", () => {
      const proto = Object.getPrototypeOf(win.history);
      const before = win.listeners();
      const t = start([survey("a", { delayMs: 100 })]);
      expect(win.listeners()).toBeGreaterThan(before);
      expect(Object.hasOwn(win.history, "pushState")).toBe(true);
      t.stop();
      vi.advanceTimersByTime(1000);
      expect(shown()).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
      expect(win.listeners()).toBe(before);
      expect(Object.hasOwn(win.history, "pushState")).toBe(false);
      expect(Object.hasOwn(win.history, "replaceState")).toBe(false);
      expect(win.history.pushState).toBe(proto.pushState);
      t.track("x");
      t.setSurveys([survey("b")]);
      vi.advanceTimersByTime(0);
      expect(shown()).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
    });

    it("puts back an own history method the page had set before", () => {
      const mine = function (this: History, ...args: Parameters<History["pushState"]>) {
        Object.getPrototypeOf(this).pushState.apply(this, args);
      };
      win.history.pushState = mine;
      start([]).stop();
      expect(win.history.pushState).toBe(mine);
    });

    it("keeps a wrapper added after it working, and stops reacting through it", () => {
      const t = start([survey("a", { url: [{ match: "exact", value: "/late" }] })]);
      const ours = win.history.pushState;
      const seen: string[] = [];
      win.history.pushState = function (this: History, ...args) {
        seen.push(String(args[2]));
        return ours.apply(this, args);
      };
      const theirs = win.history.pushState;
      t.stop();
      expect(win.history.pushState).toBe(theirs);
      go("/late");
      vi.advanceTimersByTime(0);
      expect(seen).toEqual(["/late"]);
      expect(win.location.pathname).toBe("/late");
      expect(shown()).toEqual([]);
    });
  });
});
