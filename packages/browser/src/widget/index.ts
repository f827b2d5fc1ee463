// The widget: the three views the client mounts, and their options.
export { mountClosureNotice } from "./closure-view.js";
export { mountFeedback } from "./feedback-view.js";
export { mountSurvey } from "./survey-view.js";
export { mountTrigger } from "./trigger.js";
export type * from "./types.js";
