// Shared by the targeting tests: surveys with chosen targeting, a storage in memory, and a fake
// window (location, history, events, timers) for the engine's tests under Node; the same engine
// runs on the real window in targeting.chromium.test.ts.
import { defineSurvey, type Survey } from "@closeloop/core";
import type { TargetingStorage, TargetingWindow } from "../src/targeting/index.js";

type TargetingInput = Partial<Survey["targeting"]>;

/** A complete one-question survey (segment `all`) with the given targeting and display. */
export function survey(
  id: string,
  targeting: TargetingInput = {},
  display: Partial<Survey["display"]> = {},
  version = 1,
): Survey {
  return defineSurvey({
    id,
    version,
    name: `Survey ${id}`,
    locales: ["en"],
    questions: [{ id: "why", type: "open_text", required: false, text: { en: "Why?" } }],
    targeting: { url: [], events: [], delayMs: 0, sampleRate: 1, ...targeting },
    display: { mode: "once", modal: false, ...display },
    loop: { routes: { all: { action: "none", acknowledge: { message: { en: "Thank you." } } } } },
  });
}

/** A storage in memory that counts its writes. */
export function memoryStorage(): TargetingStorage & { writes: number; data: Map<string, number> } {
  const data = new Map<string, number>();
  return {
    data,
    writes: 0,
    get_: (key) => data.get(key),
    set_(key, value) {
      this.writes++;
      data.set(key, value);
    },
  };
}

/** A history whose methods live on its prototype, as in browsers. */
class FakeHistory {
  constructor(private readonly location: URL) {}
  pushState(_state: unknown, _unused: string, url?: string | URL | null) {
    if (url != null) this.location.href = new URL(url, this.location.href).href;
  }
  replaceState(_state: unknown, _unused: string, url?: string | URL | null) {
    if (url != null) this.location.href = new URL(url, this.location.href).href;
  }
}

export interface FakeWindow extends TargetingWindow, Pick<EventTarget, "dispatchEvent"> {
  readonly location: URL;
  readonly history: History;
  /** Listeners added and not removed, on the window and the document. */
  listeners(): number;
}

/** A fake window at `href`; its timers are the global ones (so `vi.useFakeTimers` drives them). */
export function fakeWindow(href: string): FakeWindow {
  const location = new URL(href);
  const history = new FakeHistory(location) as unknown as History;
  let listeners = 0;
  const target = () => {
    const t = new EventTarget();
    const add = t.addEventListener.bind(t);
    const remove = t.removeEventListener.bind(t);
    return Object.assign(t, {
      addEventListener(...args: Parameters<EventTarget["addEventListener"]>) {
        listeners++;
        add(...args);
      },
      removeEventListener(...args: Parameters<EventTarget["removeEventListener"]>) {
        listeners--;
        remove(...args);
      },
    });
  };
  const win = target();
  return Object.assign(win, {
    location,
    history,
    document: target(),
    setTimeout: ((fn: () => void, ms?: number) =>
      setTimeout(fn, ms)) as unknown as Window["setTimeout"],
    clearTimeout: ((id?: number) => clearTimeout(id)) as Window["clearTimeout"],
    listeners: () => listeners,
  }) as unknown as FakeWindow;
}

/** A seeded generator of numbers in [0, 1) (mulberry32), for sampling tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
