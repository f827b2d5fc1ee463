// The widget's own words, per language. Each language is one "|"-separated line in the order of
// `S`: that keeps four languages within the widget's size budget (docs/size.md).
/**
 * The widget's strings by name: `s[S.next]`. An enum, because a bundler writes its members as
 * numbers, so no name reaches the bundle.
 */
export enum S {
  next,
  back,
  submit,
  close,
  thanks,
  required,
  invalid,
  other,
  of,
  npsLow,
  npsHigh,
  csatLow,
  csatHigh,
  cesLow,
  cesHigh,
  agree,
  feedback,
  category,
  bug,
  idea,
  cancel,
  told,
  did,
}

/** The widget's UI strings in one language, indexed by `S`. */
export type Strings = Record<S, string>;

// Arabic and Hebrew are written in ASCII: each letter is the character `?` to `~` plus its
// language's OFFSET (a bundler would write each as a six-byte `\uXXXX`, which cost 83 bytes
// gzipped). test/widget-strings.test.ts holds them readable and checks the decoding.
const LINES: Record<string, string> = {
  en: "Next|Back|Submit|Close|Thank you!|Required|Check your answer|Other|of|Not likely|Very likely|Very unsatisfied|Very satisfied|Very difficult|Very easy|I agree|Your feedback|Category|Bug|Idea|Cancel|You told us|What we did",
  fr: "Suivant|Retour|Envoyer|Fermer|Merci\u00a0!|Obligatoire|Vérifiez votre réponse|Autre|sur|Peu probable|Très probable|Très insatisfait|Très satisfait|Très difficile|Très facile|J’accepte|Votre avis|Catégorie|Bug|Idée|Annuler|Vous nous avez dit|Ce que nous avons fait",
  ar: "GdJGdj|GdSGHb|EQSGd|EZdGb|TcQkG!|eWdhH|JMbb ef ELGHJc|CNQi|ef|ZjQ eMJed|eMJed LOkG|ZjQ QGVm|QGVm LOkG|UYH LOkG|Sgd LOkG|ChGab|edGMXGJc|GdaFI|Ndd|acQI|EdZGA|CNHQJfG|eG aYdfGg",
  he: "C@?|CVDBL|XKHFC|PAHWC|YDBC!|FD@C|@BVD ?Y CYXD@C|?FW|MYDI|K? P@HW|P@HW M?DB|K? MWDUC|MWDUC M?DB|VXC M?DB|VK M?DB|MPJHL/C|CMXD@ XKI|VGADWHC|YVKC|WQHDN|@HGDK|?MWY KOD|MC QXHOD",
};

/** Added to the ASCII code of each letter of these languages. */
const OFFSET: Record<string, number> = { ar: 0x61f - 63, he: 0x5d0 - 63 };

/**
 * The UI strings for a locale such as `fr-CA` (as resolved, lower-case language): its language's, else English.
 *
 * @example
 * stringsFor("he-IL")[S.next] // "הבא"
 */
export function stringsFor(locale: string): Strings {
  const lang = locale.slice(0, 2);
  const offset = OFFSET[lang] ?? 0;
  const line = LINES[lang] ?? (LINES.en as string);
  const letters = (w: string) =>
    w.replace(/[?-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + offset));
  return line.split("|").map(offset ? letters : String) as unknown as Strings;
}

/** Whether a locale is written right to left (Arabic, Hebrew, Persian, Urdu). */
export const isRtl = (locale: string): boolean => /^(ar|he|fa|ur)\b/i.test(locale);
