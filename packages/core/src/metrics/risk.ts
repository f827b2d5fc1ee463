/** One scored answer of a customer, in time. */
export interface ScoredAnswer {
  at: string;
  score: number;
  /** Segment of the answer (`detractor`, …); counted as a detractor when `detractor`. */
  segment: string;
}

/** Why a customer is at risk. */
export interface RiskSignal {
  customerId: string;
  reason: "score_drop" | "repeat_detractor";
  /** When the signal fired (the later answer's time). */
  at: string;
  /** For `score_drop`: the earlier and later scores. */
  from?: number;
  to?: number;
}

const NINETY_DAYS = 90 * 86_400_000;

/**
 * Risk signals per customer: a score that drops by 3 points or more between two consecutive
 * answers, or two detractor answers within 90 days. Answers with unparseable times are ignored.
 *
 * @example riskSignals({ "cus_1": [{ at: "2026-01-01T00:00:00Z", score: 9, segment: "promoter" },
 *   { at: "2026-02-01T00:00:00Z", score: 5, segment: "detractor" }] }) // one score_drop
 */
export function riskSignals(
  byCustomer: Readonly<Record<string, readonly ScoredAnswer[]>>,
): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const [customerId, answers] of Object.entries(byCustomer)) {
    const sorted = answers
      .map((a) => ({ ...a, t: Date.parse(a.at) }))
      .filter((a) => !Number.isNaN(a.t))
      .sort((a, b) => a.t - b.t);
    let lastDetractor: number | undefined;
    let repeat = false;
    sorted.forEach((a, i) => {
      const prev = sorted[i - 1];
      if (prev && prev.score - a.score >= 3) {
        out.push({ customerId, reason: "score_drop", at: a.at, from: prev.score, to: a.score });
      }
      if (a.segment === "detractor") {
        if (!repeat && lastDetractor !== undefined && a.t - lastDetractor <= NINETY_DAYS) {
          out.push({ customerId, reason: "repeat_detractor", at: a.at });
          repeat = true;
        }
        lastDetractor = a.t;
      }
    });
  }
  return out;
}
