import { type Issue, ValidationError } from "../errors.js";
import { OPEN_STATES } from "../loop/transition.js";
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
 * @throws ValidationError for an unparseable `from`/`to` or an event with a bad time or value.
 */
export function customerAssetGrowth(
  events: readonly CustomerEvent[],
  period: { from: string; to: string },
): AssetGrowth {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const issues: Issue[] = [];
  if (Number.isNaN(from))
    issues.push({ path: "from", code: "invalid_date", message: "is not a date" });
  if (Number.isNaN(to)) issues.push({ path: "to", code: "invalid_date", message: "is not a date" });
  events.forEach((e, i) => {
    if (Number.isNaN(Date.parse(e.at))) {
      issues.push({ path: `events.${i}.at`, code: "invalid_date", message: "is not a date" });
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
 * Value at risk: the summed `customer.value` of customers with an open loop in a negative
 * segment (detractor, unsatisfied, high-effort, low). Each customer counts once.
 */
export function valueAtRisk(loops: readonly Loop[]): { value: number; customers: number } {
  const atRisk = new Map<string, number>();
  for (const loop of loops) {
    if (!loop.customer || !OPEN_STATES.has(loop.state) || !NEGATIVE_SEGMENTS.has(loop.segment)) {
      continue;
    }
    atRisk.set(loop.customer.id, loop.customer.value ?? 0);
  }
  let value = 0;
  for (const v of atRisk.values()) value += v;
  return { value, customers: atRisk.size };
}
