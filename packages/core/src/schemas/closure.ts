import * as z from "zod/mini";
import { IdSchema, LocaleSchema, TimestampSchema } from "./common.js";

/**
 * What the respondent is shown when their loop is resolved with a message: "You told us …,
 * here is what we did …". Seeing it (a `closure-seen` item) closes the loop via `in-app`.
 */
export const ClosureNoticeSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  loopId: z.string().check(z.minLength(1), z.maxLength(128)),
  surveyId: z.optional(IdSchema),
  /** A short quote of what the respondent told us, when there was text. */
  youSaid: z.optional(z.string().check(z.maxLength(2_000))),
  /** What was done, as written by the person who resolved the loop. */
  message: z.string().check(z.minLength(1), z.maxLength(10_000)),
  locale: z.optional(LocaleSchema),
  createdAt: TimestampSchema,
  seenAt: z.optional(TimestampSchema),
});
/** @see ClosureNoticeSchema */
export type ClosureNotice = z.infer<typeof ClosureNoticeSchema>;
