import { CloseloopError } from "@closeloop/core";

/**
 * A survey's targeting cannot work in this browser: a URL regex that does not compile or a click
 * selector the browser rejects. The rule then matches nothing; each bad value is reported once,
 * through `onError`, never thrown. A `CloseloopError` with code `targeting_invalid` whose message
 * names the survey and the field, then the browser's own error, which names the value.
 */
export const targetingError = (surveyId: string, field: string, cause: unknown) =>
  new CloseloopError("targeting_invalid", `Survey "${surveyId}": ${field} ignored, ${cause}`);
