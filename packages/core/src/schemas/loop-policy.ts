import * as z from "zod/mini";
import { DurationSchema, dictionary, IdSchema, LocalizedTextSchema } from "./common.js";

/**
 * Where one segment's answers go: the message shown on submit, whether a person follows up,
 * who owns that, and the SLAs. Completeness (owner and `closeWithin` for follow-ups, a message
 * in every locale) is checked by `defineSurvey` / `defineFeedbackPolicy`, which list every gap.
 */
export const RouteSchema = z.strictObject({
  acknowledge: z.strictObject({ message: LocalizedTextSchema }),
  action: z.enum(["follow-up", "none"]),
  owner: z.optional(IdSchema),
  acknowledgeWithin: z.optional(DurationSchema),
  closeWithin: z.optional(DurationSchema),
});
/** @see RouteSchema */
export type Route = z.infer<typeof RouteSchema>;

/** The loop policy: a route for every segment the survey can produce. */
export const LoopPolicySchema = z.strictObject({
  routes: dictionary(IdSchema, RouteSchema),
});
/** @see LoopPolicySchema */
export type LoopPolicy = z.infer<typeof LoopPolicySchema>;
