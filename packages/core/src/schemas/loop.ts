import * as z from "zod/mini";
import { INFORMED_VIA_PATTERN } from "../patterns.js";
import { IdSchema, TimestampSchema } from "./common.js";
import { CustomerSchema } from "./feedback.js";
import { RouteSchema } from "./loop-policy.js";

/** Every state a loop can be in (docs/concepts.md, "The loop"). `captured` exists only on the client. */
export const LOOP_STATES = [
  "captured",
  "received",
  "acknowledged",
  "assigned",
  "resolved",
  "closed",
  "reopened",
] as const;
/** @see LOOP_STATES */
export const LoopStateSchema = z.enum(LOOP_STATES);
/** @see LOOP_STATES */
export type LoopState = z.infer<typeof LoopStateSchema>;

/** How the customer was told: `in-app`, `email`, `call`, `sms`, `chat`, `meeting` or `webhook:<name>`. */
export const InformedViaSchema = z
  .string()
  .check(
    z.regex(
      INFORMED_VIA_PATTERN,
      "must be in-app, email, call, sms, chat, meeting or webhook:<name>",
    ),
  );

/** One step of a loop's history: who moved it, when, from where to where, and what was said. */
export const LoopEventSchema = z.strictObject({
  from: z.nullable(LoopStateSchema),
  to: LoopStateSchema,
  actor: z.string().check(z.minLength(1), z.maxLength(256)),
  at: TimestampSchema,
  note: z.optional(z.string().check(z.maxLength(10_000))),
  message: z.optional(z.string().check(z.maxLength(10_000))),
  informedVia: z.optional(InformedViaSchema),
  owner: z.optional(IdSchema),
});
/** @see LoopEventSchema */
export type LoopEvent = z.infer<typeof LoopEventSchema>;

/** What opened the loop: a finished survey response or a feedback item. */
export const LoopSourceSchema = z.strictObject({
  kind: z.enum(["response", "feedback"]),
  id: z.string().check(z.minLength(1), z.maxLength(128)),
});

/** Dimensions a loop is grouped by in metrics. */
export const LoopContextSchema = z.strictObject({
  surveyId: z.optional(IdSchema),
  journey: z.optional(IdSchema),
  touchpoint: z.optional(IdSchema),
  region: z.optional(IdSchema),
  channel: z.optional(IdSchema),
});

/**
 * A closed-loop record: opened by one response or feedback item and tracked until the customer
 * was told what was done. `events` is append-only history; `state` is always its last `to`.
 */
export const LoopSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  source: LoopSourceSchema,
  segment: IdSchema,
  route: RouteSchema,
  state: LoopStateSchema,
  owner: z.optional(IdSchema),
  openedAt: TimestampSchema,
  updatedAt: TimestampSchema,
  context: z._default(LoopContextSchema, {}),
  customer: z.optional(CustomerSchema),
  events: z.array(LoopEventSchema).check(z.minLength(1)),
});
/** @see LoopSchema */
export type Loop = z.infer<typeof LoopSchema>;
