import type { Issue } from "../errors.js";
import { ValidationError } from "../errors.js";
import type { LocalizedText } from "../schemas/common.js";

/**
 * The six parts of a recovery acknowledgement for an unhappy customer, in order: apologize,
 * clarify what happened, ask what else is needed, apologize again, assure, thank.
 * Each part is plain text or text per locale.
 */
export interface AcknowledgementParts {
  apologize: string | LocalizedText;
  clarify: string | LocalizedText;
  ask: string | LocalizedText;
  apologizeAgain: string | LocalizedText;
  assure: string | LocalizedText;
  thank: string | LocalizedText;
}

const ORDER = ["apologize", "clarify", "ask", "apologizeAgain", "assure", "thank"] as const;

/**
 * Builds the six-step detractor acknowledgement in one locale, joining the parts as sentences.
 *
 * @throws ValidationError naming every part that is missing or empty in `locale`.
 * @example
 * composeAcknowledgement({
 *   apologize: "We're sorry we let you down.",
 *   clarify: "The export was slow for you this week.",
 *   ask: "Is there anything else we should know?",
 *   apologizeAgain: "Again, our apologies.",
 *   assure: "Someone from our team will contact you within two days.",
 *   thank: "Thank you for telling us.",
 * }, "en")
 */
export function composeAcknowledgement(parts: AcknowledgementParts, locale: string): string {
  const issues: Issue[] = [];
  const texts: string[] = [];
  for (const key of ORDER) {
    const part = (parts as Partial<AcknowledgementParts>)[key];
    const text = typeof part === "string" ? part : part?.[locale];
    if (typeof text !== "string" || text.trim() === "") {
      issues.push({
        path: key,
        code: "missing_part",
        message: `the "${key}" step has no "${locale}" text`,
      });
    } else {
      texts.push(text.trim());
    }
  }
  if (issues.length > 0) throw new ValidationError("acknowledgement parts", issues);
  return texts.join(" ");
}

/** Words that show an apology and a thank-you, per language we can judge. */
const MARKERS: Record<string, { apology: RegExp; thanks: RegExp }> = {
  en: { apology: /\b(sorry|apolog)/i, thanks: /\bthank/i },
  fr: { apology: /(désolé|desole|excus|pardon)/i, thanks: /\bmerci/i },
  es: { apology: /(lo siento|lament|disculp|perd[oó]n)/i, thanks: /\bgracias/i },
  de: { apology: /(entschuldig|tut uns leid|bedauern)/i, thanks: /\bdank/i },
  it: { apology: /(scus|dispiac)/i, thanks: /\bgrazie/i },
  pt: { apology: /(desculp|lament|sentimos)/i, thanks: /(obrigad|agradece)/i },
  nl: { apology: /(sorry|excuses|spijt)/i, thanks: /\bbedankt|\bdank/i },
};

/**
 * Warnings for a recovery message that lacks an apology or a thank-you in a language we can
 * judge. Not errors: wording is the team's call, but the six-step pattern works.
 */
export function acknowledgementWarnings(message: LocalizedText, path: string): Issue[] {
  const warnings: Issue[] = [];
  for (const [locale, text] of Object.entries(message)) {
    const markers = MARKERS[locale.split("-")[0]?.toLowerCase() ?? ""];
    if (!markers) continue;
    if (!markers.apology.test(text)) {
      warnings.push({
        path: `${path}.${locale}`,
        code: "acknowledgement_without_apology",
        message: "a message to an unhappy customer should apologize (six-step recovery pattern)",
      });
    }
    if (!markers.thanks.test(text)) {
      warnings.push({
        path: `${path}.${locale}`,
        code: "acknowledgement_without_thanks",
        message: "a message to an unhappy customer should thank them for telling you",
      });
    }
  }
  return warnings;
}
