import * as z from "zod/mini";

/** A URL rule: the page URL (path and query) must match `value` in the given way. */
export const UrlRuleSchema = z.strictObject({
  match: z.enum(["exact", "prefix", "contains", "glob", "regex"]),
  value: z.string().check(z.minLength(1), z.maxLength(2_000)),
});

/** An event that triggers the survey, optionally only when its properties match. */
export const EventTriggerSchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  where: z._default(
    z.array(
      z.strictObject({
        property: z.string().check(z.minLength(1), z.maxLength(200)),
        op: z.enum(["eq", "neq", "lt", "lte", "gt", "gte", "in", "contains", "exists"]),
        value: z.optional(
          z.union([
            z.string(),
            z.number(),
            z.boolean(),
            z.array(z.union([z.string(), z.number()])),
          ]),
        ),
      }),
    ),
    [],
  ),
});

/** Where, when and to whom a survey may be shown. */
export const TargetingSchema = z.strictObject({
  url: z._default(z.array(UrlRuleSchema), []),
  events: z._default(z.array(EventTriggerSchema), []),
  /** CSS selector of an element whose click shows the survey. */
  selector: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
  delayMs: z._default(z.number().check(z.int(), z.gte(0), z.lte(3_600_000)), 0),
  sampleRate: z._default(z.number().check(z.gte(0), z.lte(1)), 1),
});
/** @see TargetingSchema */
export type Targeting = z.infer<typeof TargetingSchema>;

/** How often a respondent may see the survey. The global cooldown applies on top. */
export const DisplaySchema = z.strictObject({
  mode: z.enum(["once", "untilAnswered", "always"]),
  recontactDays: z.optional(z.number().check(z.int(), z.gte(0), z.lte(3_650))),
  /** Show as a modal dialog (focus trapped) or a non-modal one. */
  modal: z._default(z.boolean(), false),
});
/** @see DisplaySchema */
export type Display = z.infer<typeof DisplaySchema>;
