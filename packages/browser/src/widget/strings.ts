// The widget's own words: English built in, other languages as the collector sends them with
// the active surveys (`WIDGET_TRANSLATIONS` in core), so the bundle carries one language
// (docs/size.md).
import { WIDGET_STRINGS_EN, type WidgetStrings, type WidgetTranslations } from "@closeloop/core";

/** The widget's words in one language, by name: `s.next`. */
export type Strings = WidgetStrings;

/**
 * The words for a locale such as `fr-CA`: its language's from `translations`, each missing one
 * (or a language not there) in English.
 *
 * @example
 * stringsFor("fr-CA", { fr: { next: "Suivant" } }).next // "Suivant"
 */
export const stringsFor = (locale: string, translations?: WidgetTranslations): Strings => ({
  ...WIDGET_STRINGS_EN,
  ...translations?.[locale.slice(0, 2)],
});

/** Whether a locale is written right to left (Arabic, Hebrew, Persian, Urdu). */
export const isRtl = (locale: string): boolean => /^(ar|he|fa|ur)\b/i.test(locale);
