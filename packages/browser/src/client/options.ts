import { type Issue, ValidationError } from "@closeloop/core";
import type { Theme, ThemeMode } from "../widget/types.js";

/** Who is answering, when your app knows: their id and the token your backend signed for it. */
export interface Identity {
  id: string;
  /** `respondentToken(id)` from `@closeloop/node`, computed by your backend. */
  token: string;
  /** Facts about the respondent; `region` is sent as the response's region. */
  traits?: Record<string, unknown>;
}

/** Options of `init`. Only `endpoint` and `publicKey` are required. */
export interface InitOptions {
  /** Base URL of the collector, e.g. `https://feedback.example.com`. */
  endpoint: string;
  /** The environment's public key (`pk_…`); it can only ingest and read active surveys. */
  publicKey: string;
  /** The signed-in respondent, if any (else answers are tied to a random anonymous id). */
  respondent?: Identity;
  /** Preferred locale; default the browser's (`navigator.language`). */
  locale?: string;
  /** `light`, `dark`, `system` (default), or a mode with CSS custom properties. */
  theme?: ThemeMode | Theme;
  /** Where the widget is attached; default `document.body`. */
  container?: Element;
  /** Days after any survey was shown before another may be; default 7. */
  cooldownDays?: number;
  /** A floating "Feedback" button that opens the feedback form; default off. */
  feedbackButton?: boolean | { label?: string };
  /** Separates the storage of several instances on one origin; default `default`. */
  name?: string;
  /** A CSP nonce, used only where constructable stylesheets are unsupported. */
  nonce?: string;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  endpoint: string;
  publicKey: string;
  respondent: Identity | undefined;
  locale: string;
  theme: Theme;
  container: Element | undefined;
  cooldownDays: number;
  feedbackButton: { label?: string } | undefined;
  name: string;
  nonce: string | undefined;
}

const isText = (v: unknown, max: number): v is string =>
  typeof v === "string" && v.length > 0 && v.length <= max;

/**
 * Checks `init`'s options and names every bad field, so a typo fails at once in development
 * instead of as silence in production.
 */
export function resolveOptions(o: InitOptions): ResolvedOptions {
  const issues: Issue[] = [];
  const bad = (path: string, message: string, code = "invalid") =>
    issues.push({ path, code, message });
  if (typeof o !== "object" || o === null) bad("", "must be an object", "invalid_type");
  const opts = (o ?? {}) as Partial<InitOptions>;
  if (!isText(opts.endpoint, 2_000) || !/^https?:\/\/[^/]/.test(opts.endpoint)) {
    bad("endpoint", "must be an http(s) URL such as https://feedback.example.com");
  }
  if (typeof opts.publicKey === "string" && opts.publicKey.startsWith("sk_")) {
    bad("publicKey", "is a secret key (sk_…): never put it in a page; use the public key (pk_…)");
  } else if (!isText(opts.publicKey, 200) || !opts.publicKey.startsWith("pk_")) {
    bad("publicKey", "must be the environment's public key (pk_…)");
  }
  if (opts.respondent !== undefined) identityIssues(opts.respondent, "respondent.", issues);
  if (opts.locale !== undefined && !isText(opts.locale, 35))
    bad("locale", "must be a locale such as fr-CA");
  const theme =
    typeof opts.theme === "string" ? { mode: opts.theme } : (opts.theme ?? { mode: "system" });
  if (!["light", "dark", "system"].includes(theme.mode ?? "system")) {
    bad("theme", "mode must be one of: light, dark, system");
  }
  if (opts.container !== undefined && typeof opts.container?.appendChild !== "function") {
    bad("container", "must be a DOM element");
  }
  const cooldownDays = opts.cooldownDays ?? 7;
  if (typeof cooldownDays !== "number" || !(cooldownDays >= 0) || cooldownDays > 3_650) {
    bad("cooldownDays", "must be a number of days from 0 to 3650");
  }
  const name = opts.name ?? "default";
  if (!/^[\w-]{1,64}$/.test(name)) bad("name", "must be 1–64 letters, digits, _ or -");
  if (issues.length > 0) throw new ValidationError("init options", issues);
  const nav = globalThis.navigator as Navigator | undefined;
  return {
    endpoint: (opts.endpoint as string).replace(/\/+$/, ""),
    publicKey: opts.publicKey as string,
    respondent: opts.respondent,
    locale: opts.locale ?? nav?.language ?? "en",
    theme: { ...theme, mode: theme.mode ?? "system" } as Theme,
    container: opts.container,
    cooldownDays,
    feedbackButton: opts.feedbackButton
      ? opts.feedbackButton === true
        ? {}
        : opts.feedbackButton
      : undefined,
    name,
    nonce: opts.nonce,
  };
}

/** Issues of an identity given to `init` or `identify`, each path under `prefix`. */
export function identityIssues(who: unknown, prefix: string, issues: Issue[]): Issue[] {
  const w = (who ?? {}) as Partial<Identity>;
  if (!isText(w.id, 256)) {
    issues.push({ path: `${prefix}id`, code: "invalid", message: "must be 1–256 characters" });
  }
  if (!isText(w.token, 256)) {
    issues.push({
      path: `${prefix}token`,
      code: "invalid",
      message: "must be the respondent token your backend computed with respondentToken(id)",
    });
  }
  return issues;
}
