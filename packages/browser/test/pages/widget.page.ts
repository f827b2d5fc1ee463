// Runs in Chromium: mounts the widget's views on demand, driven by the test through `window.w`,
// and logs every callback the views make.
import {
  type ClosureNotice,
  createSurveySession,
  defineSurvey,
  type SurveyInput,
  type SurveySession,
  WIDGET_TRANSLATIONS,
} from "@closeloop/core";
import {
  mountClosureNotice,
  mountFeedback,
  mountSurvey,
  type ThemeMode,
  type ViewHandle,
} from "../../src/widget/index.js";

/** How a test mounts a view. */
export interface MountOptions {
  locale?: string;
  mode?: ThemeMode;
  modal?: boolean;
  vars?: Record<string, string>;
  nonce?: string;
  /** `onSubmit` of the feedback form rejects. */
  fail?: boolean;
  categories?: { id: string; label: string }[];
  /** A session's saved state (`toJSON()`), to resume it as after a reload. */
  restore?: unknown;
}

const log: unknown[][] = [];
let session: SurveySession | undefined;
let view: ViewHandle | undefined;

const env = (o: MountOptions) => ({
  container: document.body,
  locale: o.locale ?? "en",
  // What the collector sends with the surveys (GET /v1/surveys), as the client passes it on.
  translations: WIDGET_TRANSLATIONS,
  theme: { mode: o.mode ?? "light", ...(o.vars ? { vars: o.vars } : {}) },
  ...(o.nonce ? { nonce: o.nonce } : {}),
});

const api = {
  log,
  /** Mounts a survey; `given` is answered (and moved past) first, to open on a later question. */
  survey(input: SurveyInput, o: MountOptions = {}, given: [string, unknown][] = []): void {
    const s = createSurveySession(defineSurvey(input), {
      locale: o.locale ?? "en",
      ...(o.restore ? { restore: o.restore } : {}),
    });
    for (const [id, value] of given) {
      s.answer(id, value);
      s.next();
    }
    session = s;
    view = mountSurvey({
      ...env(o),
      session: s,
      modal: o.modal ?? true,
      onProgress: () => log.push(["progress", s.current()?.id ?? "end"]),
      onFinish: (out) => log.push(["finish", out.segment, out.acknowledgement]),
      onAcknowledgementShown: () => log.push(["ack"]),
      onDismiss: (finished) => log.push(["dismiss", finished]),
    });
  },
  answers: () => session?.answers,
  state: () => session?.toJSON(),
  current: () => session?.current()?.id,
  feedback(o: MountOptions = {}): void {
    view = mountFeedback({
      ...env(o),
      ...(o.categories ? { categories: o.categories } : {}),
      onSubmit: async (input) => {
        log.push(["submit", input]);
        if (o.fail) throw new Error("offline");
      },
      onDismiss: () => log.push(["dismiss"]),
    });
  },
  closure(n: ClosureNotice, o: MountOptions = {}): void {
    view = mountClosureNotice({
      ...env(o),
      notice: n,
      onSeen: () => log.push(["seen", n.id]),
      onDismiss: () => log.push(["dismiss"]),
    });
  },
  close: () => view?.close(),
  /** Gives the page some content of its own: a heading, text, a form and a focused button. */
  content(): void {
    const h1 = document.createElement("h1");
    h1.textContent = "Acme Analytics";
    const p = document.createElement("p");
    p.textContent = "Your exports are ready. ".repeat(30);
    const input = document.createElement("input");
    input.id = "search";
    input.setAttribute("aria-label", "Search");
    const button = document.createElement("button");
    button.id = "opener";
    button.textContent = "Open";
    document.body.append(h1, p, input, button);
    button.focus();
  },
  /** The element with focus, looking into shadow roots, as `tag#id.class "text"`. */
  focused(): string {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return "";
    const input = el as HTMLInputElement;
    const label = input.value && el.tagName === "INPUT" ? `=${input.value}` : "";
    return `${el.tagName.toLowerCase()}${label} ${el.textContent?.trim() ?? ""}`.trim();
  },
};
(window as unknown as { w: typeof api }).w = api;
