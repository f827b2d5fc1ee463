import * as z from "zod/mini";
import { IdSchema, LocaleSchema, TimestampSchema, UuidSchema } from "./common.js";
import { AnswersSchema } from "./question.js";

/** Who answered: a verified id (with its respondent token) or a random anonymous id. */
export const RespondentSchema = z.union([
  z.strictObject({
    id: z.string().check(z.minLength(1), z.maxLength(256)),
    token: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  }),
  z.strictObject({ anonymousId: z.string().check(z.minLength(16), z.maxLength(128)) }),
]);
/** @see RespondentSchema */
export type Respondent = z.infer<typeof RespondentSchema>;

/** Where and how a response was given. */
export const ResponseContextSchema = z.strictObject({
  url: z.optional(z.string().check(z.maxLength(2_000))),
  userAgent: z.optional(z.string().check(z.maxLength(1_000))),
  journey: z.optional(IdSchema),
  touchpoint: z.optional(IdSchema),
  region: z.optional(IdSchema),
});
/** @see ResponseContextSchema */
export type ResponseContext = z.infer<typeof ResponseContextSchema>;

/**
 * A respondent's answers to one survey version. Partial responses (`finished: false`) are sent
 * as answered and merged by `id` on the server.
 */
export const ResponseSchema = z.strictObject({
  id: UuidSchema,
  surveyId: IdSchema,
  surveyVersion: z.number().check(z.int(), z.gte(1)),
  respondent: RespondentSchema,
  answers: AnswersSchema,
  finished: z.boolean(),
  locale: LocaleSchema,
  context: z._default(ResponseContextSchema, {}),
  createdAt: TimestampSchema,
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(200)),
});
/** @see ResponseSchema */
export type Response = z.infer<typeof ResponseSchema>;
/**
 * A response as a backend submits it: `id`, `createdAt` and `idempotencyKey` may be left to the
 * client (a new UUIDv7, now, and `response:<id>:<createdAt>`), `context` defaults to `{}`.
 */
export type ResponseInput = Omit<
  z.input<typeof ResponseSchema>,
  "id" | "createdAt" | "idempotencyKey"
> &
  Partial<Pick<Response, "id" | "createdAt" | "idempotencyKey">>;
