import * as z from "zod/mini";
import { IdSchema, LocaleSchema, TimestampSchema } from "./common.js";
import { RespondentSchema, ResponseContextSchema } from "./response.js";

/** The channels Closeloop knows by name; any other id is a custom channel. */
export const KNOWN_CHANNELS = ["support", "review", "email", "call", "in-app"] as const;

/**
 * The largest customer value taken (10^15, in any currency): sums of many of them stay finite
 * and exact enough in a double, so metrics never overflow.
 */
export const MAX_CUSTOMER_VALUE = 1e15;

/** A customer's value: a finite number from 0 to {@link MAX_CUSTOMER_VALUE}. */
export const CustomerValueSchema = z.number().check(z.gte(0), z.lte(MAX_CUSTOMER_VALUE));

/** The customer behind a piece of feedback. `value` is e.g. annual revenue, used for value at risk. */
export const CustomerSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(256)),
  email: z.optional(z.email()),
  value: z.optional(CustomerValueSchema),
  region: z.optional(IdSchema),
});
/** @see CustomerSchema */
export type Customer = z.infer<typeof CustomerSchema>;

/**
 * Feedback without a survey: a support ticket, an app review, an email, a call note, or what a
 * visitor wrote in the browser's feedback form.
 *
 * `customer` is who a backend says the feedback is about (its value counts towards value at
 * risk). `respondent` is who wrote it, exactly as on a response: a signed-in user's `id` with its
 * respondent token, or the browser's `anonymousId` — what the collector keeps closure notices
 * under, so the writer sees what was done (`docs/collector.md`, `POST /v1/batch`).
 *
 * @example
 * parse(FeedbackSchema, {
 *   channel: "in-app",
 *   text: "The export button does nothing",
 *   respondent: { anonymousId: "3f0c1d2e4b5a69788796a5b4c3d2e1f0" },
 *   context: { url: "https://shop.example/orders" },
 * });
 */
export const FeedbackSchema = z.strictObject({
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  channel: IdSchema,
  text: z.string().check(z.minLength(1, "must not be empty"), z.maxLength(10_000)),
  /** An optional score on a 0–10 scale (normalise other scales before sending). */
  rating: z.optional(z.number().check(z.gte(0), z.lte(10))),
  tags: z._default(
    z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(50)),
    [],
  ),
  customer: z.optional(CustomerSchema),
  /** Who wrote it: closure notices for its loop are kept for this respondent. */
  respondent: z.optional(RespondentSchema),
  /** Where it was written: the page's URL, the user agent, journey, touchpoint, region. */
  context: z.optional(ResponseContextSchema),
  journey: z.optional(IdSchema),
  locale: z.optional(LocaleSchema),
  createdAt: z.optional(TimestampSchema),
});
/** @see FeedbackSchema */
export type Feedback = z.infer<typeof FeedbackSchema>;
/** Feedback as written by a caller (defaults not yet applied). */
export type FeedbackInput = z.input<typeof FeedbackSchema>;
