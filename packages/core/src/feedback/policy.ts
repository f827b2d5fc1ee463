import * as z from "zod/mini";
import { type Issue, SurveyDefinitionError } from "../errors.js";
import { deepFreeze } from "../freeze.js";
import { dictionary, IdSchema, LocaleSchema } from "../schemas/common.js";
import type { Feedback } from "../schemas/feedback.js";
import { toIssues } from "../schemas/issues.js";
import { type Route, RouteSchema } from "../schemas/loop-policy.js";
import { acknowledgementWarnings } from "../survey/acknowledgement.js";
import { routeIssues } from "../survey/routes.js";

/** The catch-all route key: feedback from a channel with no route of its own goes here. */
export const ANY_CHANNEL = "*";

/**
 * How feedback (no survey) is routed: a route per channel and a required catch-all `"*"`, so no
 * feedback item can arrive without an acknowledgement, an owner and a deadline.
 */
export const FeedbackPolicySchema = z.strictObject({
  locales: z.array(LocaleSchema).check(z.minLength(1), z.maxLength(50)),
  /** Channels to route explicitly, e.g. `support`, `review`, or a custom id. */
  channels: z._default(z.array(IdSchema), []),
  routes: dictionary(z.string(), RouteSchema),
});
/** @see FeedbackPolicySchema */
export type FeedbackPolicy = z.infer<typeof FeedbackPolicySchema>;
/** A feedback policy as written by a person. */
export type FeedbackPolicyInput = z.input<typeof FeedbackPolicySchema>;

/**
 * Defines a feedback policy under the same completeness rule as surveys: every declared channel
 * and the catch-all `"*"` need a route, every message needs every locale, every follow-up needs
 * an owner and `closeWithin`. Throws `SurveyDefinitionError` listing every gap.
 *
 * @example
 * const policy = defineFeedbackPolicy({ locales: ["en"], channels: ["support"], routes: {
 *   support: { action: "follow-up", owner: "support", closeWithin: "48h", acknowledge: { message: { en: "…" } } },
 *   "*": { action: "follow-up", owner: "cx", closeWithin: "7d", acknowledge: { message: { en: "…" } } } } });
 */
export function defineFeedbackPolicy(input: FeedbackPolicyInput): FeedbackPolicy & {
  warnings: Issue[];
} {
  const parsed = FeedbackPolicySchema.safeParse(input);
  const issues: Issue[] = parsed.success ? [] : toIssues(parsed.error.issues, [], input);
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const locales = Array.isArray(raw.locales)
    ? raw.locales.filter((l): l is string => typeof l === "string")
    : [];
  const channels = Array.isArray(raw.channels)
    ? raw.channels.filter((c): c is string => typeof c === "string")
    : [];
  issues.push(...routeIssues(raw.routes, [...channels, ANY_CHANNEL], locales, "routes"));
  if (!parsed.success || issues.length > 0) {
    throw new SurveyDefinitionError("Feedback policy", issues);
  }
  const warnings = Object.entries(parsed.data.routes)
    .filter(([, r]) => r.action === "follow-up")
    .flatMap(([c, r]) =>
      acknowledgementWarnings(r.acknowledge.message, `routes.${c}.acknowledge.message`),
    );
  return deepFreeze({ ...parsed.data, warnings });
}

/** The route a feedback item takes: its channel's, else the catch-all. Its segment is the route key. */
export function feedbackRoute(
  policy: FeedbackPolicy,
  feedback: Pick<Feedback, "channel">,
): { segment: string; route: Route } {
  const own = Object.hasOwn(policy.routes, feedback.channel)
    ? policy.routes[feedback.channel]
    : undefined;
  if (own) return { segment: feedback.channel, route: own };
  return { segment: ANY_CHANNEL, route: policy.routes[ANY_CHANNEL] as Route };
}
