// Failed sign-ins are limited per email and per client address, in this process: 5 failures,
// then one attempt every 12 s. Guessing a scrypt-hashed password at 5 a minute is hopeless,
// while a person who mistypes twice never notices; signing in clears the email's count.
const BURST = 5;
const REFILL_MS = 12_000;

/** A sign-in limiter (see `createSignInLimiter`). */
export interface SignInLimiter {
  /** Seconds to wait before this attempt may be tried (0: go ahead). */
  wait(email: string, client: string): number;
  /** Counts a failed attempt. */
  failed(email: string, client: string): void;
  /** Forgets the email's failures. */
  succeeded(email: string): void;
}

/** The desk's sign-in limiter over the clock `now` (epoch ms). */
export function createSignInLimiter(now: () => number): SignInLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const level = (key: string) => {
    const t = now();
    const b = buckets.get(key) ?? { tokens: BURST, at: t };
    b.tokens = Math.min(BURST, b.tokens + (t - b.at) / REFILL_MS);
    b.at = t;
    return b;
  };
  const waitFor = (key: string) => {
    const b = level(key);
    return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) * REFILL_MS) / 1000);
  };
  const keys = (email: string, client: string) =>
    client ? [`email:${email}`, `client:${client}`] : [`email:${email}`];
  return {
    wait: (email, client) => Math.max(...keys(email, client).map(waitFor)),
    failed(email, client) {
      if (buckets.size > 10_000) buckets.clear(); // bounds memory against junk emails
      for (const key of keys(email, client)) {
        const b = level(key);
        b.tokens = Math.max(0, b.tokens - 1);
        buckets.set(key, b);
      }
    },
    succeeded: (email) => void buckets.delete(`email:${email}`),
  };
}
