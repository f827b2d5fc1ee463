import type {
  ClosureNotice,
  SessionOutcome,
  SurveySession,
  WidgetTranslations,
} from "@closeloop/core";

/** Light, dark, or whatever the visitor's system prefers (`prefers-color-scheme`). */
export type ThemeMode = "light" | "dark" | "system";

/**
 * How the widget looks. `vars` sets CSS custom properties on the widget's host element, e.g.
 * `{ "--closeloop-accent": "#0b6e4f" }`; a page may also set them in its own CSS, since custom
 * properties inherit into the Shadow DOM (see docs/browser.md). Other properties have no
 * effect on the host. The properties, with their light / dark defaults:
 *
 * - `--closeloop-accent`: buttons, the chosen score, focus rings, progress (`#0b57d0` / `#a8c7fa`)
 * - `--closeloop-bg`: the dialog, and text on the accent (`#fff` / `#1f1f23`)
 * - `--closeloop-fg`: text (`#1f1f1f` / `#e8eaed`)
 * - `--closeloop-muted`: borders, progress text, scale ends (`#5f6368` / `#b4b8bf`)
 * - `--closeloop-radius`: the dialog's corners (`12px`)
 * - `--closeloop-font`: the font family (`system-ui, sans-serif`)
 *
 * A value set here applies in both light and dark; `light-dark(#fff, #111)` gives one per scheme.
 * Keep text and accent at WCAG AA contrast against the background (4.5:1).
 *
 * @example
 * { mode: "system", vars: { "--closeloop-accent": "light-dark(#0b6e4f, #7fd1b0)" } }
 */
export interface Theme {
  mode: ThemeMode;
  vars?: Record<string, string>;
}

/** What every widget view needs from the client. */
export interface ViewEnv {
  /** Where the widget's host element is appended (default `document.body`). */
  container: Element;
  theme: Theme;
  /** The locale the text is shown in (already resolved); sets `lang` and, for `ar`/`he`/…, `dir="rtl"`. */
  locale: string;
  /** The widget's words in other languages, as the collector sent them; English without. */
  translations?: WidgetTranslations | undefined;
  /** A CSP nonce for a `<style nonce>` fallback where constructable stylesheets are missing. */
  nonce?: string | undefined;
}

/** What a mounted view gives back. */
export interface ViewHandle {
  /** Removes every node and listener the view added, and gives focus back where it was. */
  close(): void;
}

/** Options of `mountSurvey`: the widget drives a session the client created (and may have restored). */
export interface SurveyViewOptions extends ViewEnv {
  session: SurveySession;
  /** A modal dialog (focus kept inside, page inert) or a non-modal one. */
  modal: boolean;
  /** After each answer is taken and the session moved on (`session.toJSON()` holds the state). */
  onProgress(): void;
  /** The session finished; called once, before the thank-you screen shows. */
  onFinish(outcome: SessionOutcome): void;
  /** The thank-you screen with the route's acknowledgement is on screen. */
  onAcknowledgementShown(): void;
  /** The respondent closed the widget (Escape, the close button) before or after finishing. */
  onDismiss(finished: boolean): void;
}

/** What the feedback form sends. */
export interface FeedbackInputFromView {
  category: string;
  text: string;
}

/** Options of `mountFeedback`. */
export interface FeedbackViewOptions extends ViewEnv {
  /** Category choices, ids with labels; default bug / idea / other. */
  categories?: { id: string; label: string }[];
  /** Called with the form's content; the view shows its thank-you after it resolves. */
  onSubmit(input: FeedbackInputFromView): void | Promise<void>;
  onDismiss(): void;
}

/** Options of `mountClosureNotice`. */
export interface ClosureViewOptions extends ViewEnv {
  notice: ClosureNotice;
  /** The notice is on screen: the client sends `closure-seen`. */
  onSeen(): void;
  onDismiss(): void;
}
