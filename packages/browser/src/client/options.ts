import { type Issue, ValidationError } from "@closeloop/core";
import type { Theme, ThemeMode } from "../widget/types.js";

/** Who is answering, when your app knows: their id and the token your backend signed for it. */
export interface Identity {
  id: string;
  /** `respondentToken(secretKey, id)` from `@closeloop/node`, computed by your backend. */
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

/**
 * The options every entry uses, with defaults applied. Its names end in `_`: internal,
 * shortened by the build (docs/size.md).
 */
export interface BaseOptions {
  endpoint_: string;
  publicKey_: string;
  respondent_: Identity | undefined;
  locale_: string;
  name_: string;
}

export const isText = (v: unknown, max: number): v is string =>
  typeof v === "string" && v.length > 0 && v.length <= max;

/** Adds an `invalid` issue at `path` unless `ok`. */
export const need = (issues: Issue[], path: string, ok: unknown, message: string) => {
  if (!ok) issues.push({ path, code: "invalid", message });
};

/**
 * Checks `init`'s options and names every bad field, so a typo fails at once in development
 * instead of as silence in production. `more` checks and resolves the options only the full
 * entry uses (the widget's), adding its issues to the same error; the lite entry passes none
 * and ignores those options.
 */
export function resolveOptions<More extends object = object>(
  o: InitOptions,
  more?: (x: Partial<InitOptions>, issues: Issue[]) => More,
): BaseOptions & More {
  const x = (o ?? {}) as Partial<InitOptions>;
  const key = x.publicKey;
  const name = x.name ?? "default";
  const issues: Issue[] = [];
  need(issues, "", typeof o === "object" && o, "must be an object");
  need(
    issues,
    "endpoint",
    isText(x.endpoint, 2_000) && /^https?:\/\/[^/]/.test(x.endpoint),
    "must be an http(s) URL",
  );
  // A secret key in a page is leaked to every visitor: say so rather than "invalid".
  need(
    issues,
    "publicKey",
    isText(key, 200) && key.startsWith("pk_"),
    key?.startsWith("sk_")
      ? "is a secret key: never put it in a page; use pk_..."
      : "must be the public key (pk_...)",
  );
  if (x.respondent !== undefined) identityIssues(x.respondent, "respondent.", issues);
  need(
    issues,
    "locale",
    x.locale === undefined || isText(x.locale, 35),
    "must be a locale such as fr-CA",
  );
  need(issues, "name", /^[\w-]{1,64}$/.test(name), "must be 1 to 64 letters, digits, _ or -");
  const extra = more?.(x, issues);
  if (issues.length > 0) throw new ValidationError("init options", issues);
  return {
    ...(extra as More),
    endpoint_: (x.endpoint as string).replace(/\/+$/, ""),
    publicKey_: key as string,
    respondent_: x.respondent,
    locale_: x.locale ?? globalThis.navigator?.language ?? "en",
    name_: name,
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
    "must be respondentToken(id) from your backend",
  );
  return issues;
}
