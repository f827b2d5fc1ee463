import type { Issue } from "../errors.js";
import { RouteSchema } from "../schemas/loop-policy.js";

/**
 * The no-partial-loop rule for one set of routes: every expected segment has a route, no route
 * names a segment that cannot occur, every message speaks every locale, and a follow-up has an
 * owner and a `closeWithin`. Used by surveys and feedback policies alike.
 */
export function routeIssues(
  routes: unknown,
  segments: readonly string[],
  locales: readonly string[],
  path: string,
  extra: readonly string[] = [],
): Issue[] {
  if (typeof routes !== "object" || routes === null || Array.isArray(routes)) return [];
  const issues: Issue[] = [];
  const given = routes as Record<string, unknown>;
  for (const segment of segments) {
    if (!Object.hasOwn(given, segment)) {
      issues.push({
        path: `${path}.${segment}`,
        code: "missing_route",
        message: `segment "${segment}" has no route: every answer must reach an acknowledgement, an owner and a deadline`,
      });
    }
  }
  for (const [segment, raw] of Object.entries(given)) {
    const at = `${path}.${segment}`;
    if (!segments.includes(segment) && !extra.includes(segment)) {
      issues.push({
        path: at,
        code: "unknown_segment",
        message: `no answer can fall in segment "${segment}"; expected ${segments.map((s) => `"${s}"`).join(", ")}`,
      });
      continue;
    }
    const parsed = RouteSchema.safeParse(raw);
    if (!parsed.success) continue; // structural issues are reported by the schema
    const route = parsed.data;
    for (const locale of locales) {
      if (!(locale in route.acknowledge.message)) {
        issues.push({
          path: `${at}.acknowledge.message.${locale}`,
          code: "missing_message",
          message: `the acknowledgement has no "${locale}" text, so "${locale}" respondents would not be told they were heard`,
        });
      }
    }
    if (route.action === "follow-up") {
      if (!route.owner) {
        issues.push({
          path: `${at}.owner`,
          code: "missing_owner",
          message: "a follow-up route needs an owner who acts on it",
        });
      }
      if (!route.closeWithin) {
        issues.push({
          path: `${at}.closeWithin`,
          code: "missing_close_within",
          message: "a follow-up route needs a closeWithin deadline such as 48h",
        });
      }
    }
  }
  return issues;
}
