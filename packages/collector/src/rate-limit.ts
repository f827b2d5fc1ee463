import { HttpError } from "./http/errors.js";

/** Requests per second and burst allowed per key. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/**
 * A token bucket per key, in this process: each request takes a token; tokens refill at
 * `perSecond` up to `burst`. Over the limit: 429 with `Retry-After` in whole seconds.
 */
export function createRateLimiter(limit: RateLimit, now: () => number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key: string): void => {
    const t = now();
    const b = buckets.get(key) ?? { tokens: limit.burst, at: t };
    b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond);
    b.at = t;
    buckets.set(key, b);
    if (b.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / limit.perSecond));
      throw new HttpError(
        429,
        "rate_limited",
        `Too many requests for this key; retry in ${wait} s`,
        {
          headers: { "retry-after": String(wait) },
        },
      );
    }
    b.tokens -= 1;
    if (buckets.size > 10_000) buckets.clear(); // keys are few; this bounds memory against junk keys
  };
}
