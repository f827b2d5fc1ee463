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

/** Adds an `invalid` issue at `path` unless `ok`. */
export const need = (issues: Issue[], path: string, ok: unknown, message: string) => {
  if (!ok) issues.push({ path, code: "invalid", message });
};

/**
 * Checks `init`'s options and names every bad field, so a typo fails at once in development
 * instead of as silence in production.
 */
export function resolveOptions(o: InitOptions): ResolvedOptions {
  const x = (o ?? {}) as Partial<InitOptions>;
  const key = x.publicKey;
  const theme = typeof x.theme === "string" ? { mode: x.theme } : { mode: "system", ...x.theme };
  const cooldownDays = x.cooldownDays ?? 7;
  const name = x.name ?? "default";
  const issues: Issue[] = [];
  need(issues, "", typeof o === "object" && o, "must be an object");
  need(
    issues,
    "endpoint",
    isText(x.endpoint, 2_000) && /^https?:\/\/[^/]/.test(x.endpoint),
    "must be an http(s) URL such as https://feedback.example.com",
  );
  // A secret key in a page is leaked to every visitor: say so rather than "invalid".
  need(
    issues,
    "publicKey",
    isText(key, 200) && key.startsWith("pk_"),
    key?.startsWith("sk_")
      ? "is a secret key: never put it in a page; use the public key (pk_...)"
      : "must be the environment's public key (pk_...)",
  );
  if (x.respondent !== undefined) identityIssues(x.respondent, "respondent.", issues);
  need(
    issues,
    "locale",
    x.locale === undefined || isText(x.locale, 35),
    "must be a locale such as fr-CA",
  );
  need(
    issues,
    "theme",
    ["light", "dark", "system"].includes(theme.mode),
    "mode must be one of: light, dark, system",
  );
  need(
    issues,
    "container",
    x.container === undefined || typeof x.container?.appendChild === "function",
    "must be a DOM element",
  );
  need(
    issues,
    "cooldownDays",
    typeof cooldownDays === "number" && cooldownDays >= 0 && cooldownDays <= 3_650,
    "must be a number of days from 0 to 3650",
  );
  need(issues, "name", /^[\w-]{1,64}$/.test(name), "must be 1 to 64 letters, digits, _ or -");
  if (issues.length > 0) throw new ValidationError("init options", issues);
  const button = x.feedbackButton;
  return {
    endpoint: (x.endpoint as string).replace(/\/+$/, ""),
    publicKey: key as string,
    respondent: x.respondent,
    locale: x.locale ?? globalThis.navigator?.language ?? "en",
    theme: theme as Theme,
    container: x.container,
    cooldownDays,
    feedbackButton: button ? (button === true ? {} : button) : undefined,
    name,
    nonce: x.nonce,
  };
}

/** Issues of an identity given to `init` or `identify`, each path under `prefix`. */
export function identityIssues(who: unknown, prefix: string, issues: Issue[]): Issue[] {
  const w = (who ?? {}) as Partial<Identity>;
  need(issues, `${prefix}id`, isText(w.id, 256), "must be 1 to 256 characters");
  need(
    issues,
    `${prefix}token`,
    isText(w.token, 256),
    "must be the respondent token your backend computed with respondentToken(id)",
  );
  return issues;
}
