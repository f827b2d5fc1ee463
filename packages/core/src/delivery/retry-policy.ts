/** Statuses worth sending again: timeouts, too early, too many requests, and server errors
 * other than 501 (not implemented) and 505 (HTTP version), which no retry will change. */
export function isRetryableStatus(status: number): boolean {
  return (
    status === 408 ||
    status === 425 ||
    status === 429 ||
    (status >= 500 && status < 600 && status !== 501 && status !== 505)
  );
}

/** Longest wait a `Retry-After` may ask for; beyond it a server is misconfigured. */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * Reads a `Retry-After` header in either form RFC 9110 allows: delay-seconds (`"120"`) or an
 * HTTP-date (`"Wed, 21 Oct 2026 07:28:00 GMT"`). Returns milliseconds to wait from `now`, at
 * least 0 and at most a day, or `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number,
): number | undefined {
  const value = header?.trim() ?? "";
  // An HTTP-date always names its weekday or month in letters; a bare number or garbage doesn't.
  const ms = /^\d+$/.test(value)
    ? Number(value) * 1000
    : /[A-Za-z]{3}/.test(value)
      ? Date.parse(value) - now
      : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): a uniform wait in [0, min(maxMs, baseMs·2^(attempt−1))), so clients that failed
 * together don't retry together.
 */
export function fullJitterDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 52));
  return Math.floor(random() * ceiling);
}
