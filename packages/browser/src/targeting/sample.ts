import type { Survey } from "@closeloop/core";
import type { TargetingStorage } from "./storage.js";

/**
 * Whether this respondent is in a survey's sample. The draw is made once per survey version and
 * kept, so a survey at 10% is seen by about 10% of visitors, not by everyone who comes back often
 * enough; a new version draws again. Rates of 0 and 1 need no draw and store nothing.
 *
 * @example
 * if (inSample(survey, storage, Math.random)) show(survey);
 */
export function inSample(
  survey: Pick<Survey, "id" | "version" | "targeting">,
  storage: TargetingStorage,
  random: () => number,
): boolean {
  const rate = survey.targeting.sampleRate;
  if (rate >= 1 || rate <= 0) return rate >= 1;
  const key = `draw:${survey.id}:${survey.version}`;
  let draw = Number(storage.get_(key));
  // Draws are in (0, 1]; anything else (NaN for none yet) is not one.
  if (!(draw > 0 && draw <= 1)) {
    draw = 1 - random();
    storage.set_(key, draw);
  }
  return draw <= rate;
}
