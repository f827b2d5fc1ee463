import { type Issue, ValidationError } from "../errors.js";
import { OPEN_STATES } from "../loop/transition.js";
import { isTimestamp } from "../patterns.js";
import type { Loop } from "../schemas/loop.js";
import { NEGATIVE_SEGMENTS } from "../survey/segment.js";

/** A customer won or lost, as sent by `trackCustomer`. */
export interface CustomerEvent {
  customerId: string;
  event: "gained" | "lost";
  /** The customer's value, e.g. annual revenue; 0 when unknown. */
  value?: number;
  at: string;
}

/** Count and summed value. */
export interface CountValue {
  count: number;
  value: number;
}

/** Customer asset growth over a period. */
export interface AssetGrowth {
  gained: CountValue;
  lost: CountValue;
  /** gained − lost. */
  net: CountValue;
}

/**
 * Customer asset growth in `[from, to)`: customers gained minus customers lost, in count and in
 * value.
 *
 * @throws ValidationError for a `from`/`to` or event time that is not ISO-8601, `from` after
 *   `to`, an unknown event, or a negative value.
 */
export function customerAssetGrowth(
  events: readonly CustomerEvent[],
  period: { from: string; to: string },
): AssetGrowth {
  const issues: Issue[] = [];
  const notTimestamp = "must be an ISO-8601 timestamp with an offset";
  for (const key of ["from", "to"] as const) {
    if (!isTimestamp(period[key]))
      issues.push({ path: key, code: "invalid_date", message: notTimestamp });
  }
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  if (from > to) issues.push({ path: "to", code: "invalid_period", message: "is before from" });
  events.forEach((e, i) => {
    if (!isTimestamp(e.at)) {
      issues.push({ path: `events.${i}.at`, code: "invalid_date", message: notTimestamp });
    }
    if (e.event !== "gained" && e.event !== "lost") {
      issues.push({
        path: `events.${i}.event`,
        code: "invalid_value",
        message: `must be "gained" or "lost"`,
      });
    }
    if (e.value !== undefined && !(Number.isFinite(e.value) && e.value >= 0)) {
      issues.push({
        path: `events.${i}.value`,
        code: "invalid_value",
        message: "must be a number ≥ 0",
      });
    }
  });
  if (issues.length > 0) throw new ValidationError("customer events", issues);
  const gained = { count: 0, value: 0 };
  const lost = { count: 0, value: 0 };
  for (const e of events) {
    const t = Date.parse(e.at);
    if (t < from || t >= to) continue;
    const bucket = e.event === "gained" ? gained : lost;
    bucket.count++;
    bucket.value += e.value ?? 0;
  }
  return {
    gained,
    lost,
    net: { count: gained.count - lost.count, value: gained.value - lost.value },
  };
}

/**
 * Value at risk: the summed `customer.value` of customers with an open loop that is negative —
 * by default a loop in a negative segment (detractor, unsatisfied, high-effort, low); pass
 * `isNegative` to count feedback loops too (e.g. by channel or rating). Each customer counts
 * once, at the highest value seen.
 */
export function valueAtRisk(
  loops: readonly Loop[],
  options: { isNegative?: (loop: Loop) => boolean } = {},
): { value: number; customers: number } {
  const isNegative = options.isNegative ?? ((loop: Loop) => NEGATIVE_SEGMENTS.has(loop.segment));
  const atRisk = new Map<string, number>();
  for (const loop of loops) {
    if (!loop.customer || !OPEN_STATES.has(loop.state) || !isNegative(loop)) continue;
    const value = loop.customer.value ?? 0;
    atRisk.set(loop.customer.id, Math.max(value, atRisk.get(loop.customer.id) ?? 0));
  }
  let value = 0;
  for (const v of atRisk.values()) value += v;
  return { value, customers: atRisk.size };
}
