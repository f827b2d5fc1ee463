import type { LocalizedText } from "../schemas/common.js";

/**
 * Picks the survey locale that best serves `requested`: an exact (case-insensitive) match, then
 * the same language (`fr-CA` → `fr`), then the survey's default (its first locale).
 */
export function resolveLocale(locales: readonly string[], requested: string | undefined): string {
  const fallback = locales[0] ?? "en";
  if (!requested) return fallback;
  const want = requested.toLowerCase();
  const exact = locales.find((l) => l.toLowerCase() === want);
  if (exact) return exact;
  const language = want.split("-")[0];
  return locales.find((l) => l.toLowerCase().split("-")[0] === language) ?? fallback;
}

/** Text in `locale`, else in `fallback`, else the first text there is. */
export function localize(text: LocalizedText, locale: string, fallback?: string): string {
  return text[locale] ?? (fallback ? text[fallback] : undefined) ?? Object.values(text)[0] ?? "";
}
