import {
  CloseloopError,
  type ClosureNotice,
  type Survey,
  type WidgetTranslations,
} from "@closeloop/core";
import { type BaseParts, refusal } from "./base.js";

/** A GET to the collector with the public key; a non-2xx answer becomes a `CloseloopError` with the server's code. */
async function get(parts: BaseParts, path: string, headers: Record<string, string> = {}) {
  const { endpoint_: endpoint, publicKey_: publicKey } = parts.options_;
  let res: Response;
  try {
    res = await fetch(endpoint + path, {
      headers: { authorization: `Bearer ${publicKey}`, ...headers },
      cache: "no-store",
    });
  } catch (e) {
    throw new CloseloopError("network", `could not reach ${endpoint}: ${(e as Error).message}`);
  }
  if (res.status >= 400) {
    const { error } = (await res.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
    };
    throw refusal(
      res.status,
      error?.code ?? `http_${res.status}`,
      `${path.split("?")[0]} answered ${res.status}: ${error?.message ?? res.statusText}`,
    );
  }
  return res;
}

interface CachedSurveys {
  etag: string;
  surveys: Survey[];
  /** The widget's words in other languages, sent with the surveys. */
  strings?: WidgetTranslations;
}

/** The widget's translations from the last survey list, for the views (English without). */
export const translationsOf = (parts: BaseParts): WidgetTranslations | undefined =>
  parts.kv_.get_<CachedSurveys>("surveys")?.strings;

/**
 * The environment's active surveys, revalidated with the ETag kept from the last answer (a
 * `304` costs no body). When the collector cannot be reached, the kept list is used.
 */
export async function fetchSurveys(parts: BaseParts): Promise<Survey[]> {
  const cached = parts.kv_.get_<CachedSurveys>("surveys");
  try {
    const res = await get(parts, "/v1/surveys", cached ? { "if-none-match": cached.etag } : {});
    if (res.status === 304 && cached) return cached.surveys;
    const body = (await res.json()) as { surveys?: Partial<Survey>[]; strings?: unknown };
    // Surveys come from the collector, which validated them when they were published; this
    // guard only keeps a damaged or foreign answer from reaching the widget.
    const surveys = (body.surveys ?? []).filter(
      (s): s is Survey =>
        typeof s?.id === "string" &&
        typeof s.version === "number" &&
        Array.isArray(s.questions) &&
        Array.isArray(s.locales) &&
        typeof s.loop?.routes === "object",
    );
    const strings = typeof body.strings === "object" ? (body.strings as WidgetTranslations) : {};
    const etag = res.headers.get("etag");
    if (etag) parts.kv_.set_("surveys", { etag, surveys, strings });
    return surveys;
  } catch (e) {
    parts.report_(e);
    return cached?.surveys ?? [];
  }
}

/** Closure notices for whoever answers now, and for this browser's anonymous answers before sign-in. */
export async function fetchClosures(parts: BaseParts): Promise<ClosureNotice[]> {
  const who = parts.identity_();
  const queries = [`anonymousId=${parts.anonymousId_()}`];
  if (who) {
    queries.push(`respondent=${encodeURIComponent(who.id)}&token=${encodeURIComponent(who.token)}`);
  }
  const lists = await Promise.all(
    queries.map(async (q) => {
      try {
        const res = await get(parts, `/v1/closures?${q}`);
        return ((await res.json()) as { closures?: ClosureNotice[] }).closures ?? [];
      } catch (e) {
        parts.report_(e);
        return [];
      }
    }),
  );
  return lists.flat().filter((n) => typeof n?.id === "string" && typeof n.message === "string");
}
