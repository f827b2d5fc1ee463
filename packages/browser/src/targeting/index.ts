// The targeting's public face, for the client and for `src/index.ts` to pick from.
export type { EventTrigger, PropertyFilter } from "./event-filters.js";
export { filterPasses, matchesEvent } from "./event-filters.js";
export type { FatigueRecord } from "./fatigue.js";
export { DAY_MS, fatigueAllows } from "./fatigue.js";
export { globMatches } from "./glob.js";
export type { NavigationWindow } from "./navigation.js";
export { watchNavigation } from "./navigation.js";
export { inSample } from "./sample.js";
export type { TargetingStorage } from "./storage.js";
export type {
  Targeting,
  TargetingOptions,
  TargetingWindow,
  Trigger,
} from "./targeting.js";
export { createTargeting } from "./targeting.js";
export { targetingError } from "./targeting-error.js";
export type { CompileRegex, PageLocation } from "./url-rules.js";
export { matchesUrl, urlSubject } from "./url-rules.js";
