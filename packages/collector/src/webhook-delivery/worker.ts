import type { DeliveryAttempt } from "@closeloop/core";
import { parseRetryAfter } from "@closeloop/core";
import { signWebhook } from "@closeloop/node";
import { backoffDelay, pause, STORE_BACKOFF_CAP_MS } from "../backoff.js";
import type { CollectorStore } from "../store/types.js";
import type { AttemptOutcome, ClaimedDelivery } from "../store/webhook-types.js";

/**
 * The default retry schedule, in ms after each failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h. After the last one the delivery is `failed`.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/** The first wait before recording an attempt again, in ms; it doubles up to 5 s. */
const RECORD_RETRY_MS = 250;
const RECORD_RETRY_CAP_MS = 5_000;

/** Options of {@link startWebhookWorker}. */
export interface WebhookWorkerOptions {
  store: CollectorStore;
  /** The HTTP client. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** The time source (epoch ms). Default `Date.now`. */
  now?: () => number;
  /**
   * How often the queue is polled when it was empty, in ms. Default 1000. `0`: never (call
   * `runOnce`). While the store fails, polls back off from this, doubling, up to 30 s.
   */
  intervalMs?: number;
  /** Deliveries claimed per round. Default 20. */
  batchSize?: number;
  /** How long one attempt may take before it counts as failed, in ms. Default 10 s. */
  timeoutMs?: number;
  /** Delays after each failed attempt, in ms. Default {@link DEFAULT_RETRY_SCHEDULE_MS}. */
  retryScheduleMs?: readonly number[];
  /** A random number in [0, 1) for the ±10% jitter of retries. Default `Math.random`. */
  random?: () => number;
  /** Where unexpected errors (the store) are reported. Default `console.error`. */
  onError?: (error: unknown) => void;
}

/** A running delivery worker. */
export interface WebhookWorker {
  /** Claims and delivers one round of due deliveries; answers how many were attempted. */
  runOnce(): Promise<number>;
  /**
   * Stops polling and waits for the round in flight. An attempt whose outcome could not be
   * recorded yet (the store is down) stops retrying the record: that delivery is sent again
   * once its lease ends, with the same `webhook-id`.
   */
  stop(): Promise<void>;
}

/**
 * What an HTTP answer (or its absence) means for a delivery that has had `attempts` attempts
 * before this one: 2xx delivered; 410 disables the endpoint; 408, 429, 5xx and network errors
 * are retried on the schedule (or after `Retry-After`, when given) until it runs out; any other
 * status failed for good.
 */
export function outcomeOf(
  status: number | undefined,
  retryAfter: number | undefined,
  attempts: number,
  at: number,
  schedule: readonly number[],
  random: () => number,
): AttemptOutcome {
  if (status !== undefined && status >= 200 && status < 300) return { status: "delivered" };
  if (status === 410) return { status: "disabled" };
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
  const base = schedule[attempts];
  if (!retryable || base === undefined) return { status: "failed" };
  // Retry-After is honoured up to a day; without it, the schedule with ±10% jitter.
  const delay =
    retryAfter !== undefined
      ? Math.min(retryAfter, 86_400_000)
      : Math.round(base * (0.9 + 0.2 * random()));
  return { status: "pending", nextAttemptAt: new Date(at + delay).toISOString() };
}

/**
 * Delivers queued webhooks: claims due deliveries (leased, so that no other worker, in this
 * process or another collector, sends them meanwhile), signs each attempt afresh (during a
 * secret rotation's grace, with the new and the old secret), POSTs it with a timeout and records
 * the attempt and its outcome in the delivery log.
 *
 * @example
 * const worker = startWebhookWorker({ store });
 * process.on("SIGTERM", () => worker.stop());
 */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const store = options.store;
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1000;
  const batchSize = options.batchSize ?? 20;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const schedule = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
  const random = options.random ?? Math.random;
  const onError = options.onError ?? ((e) => console.error("closeloop webhooks:", e));
  // Long enough for the attempt and for recording it; a worker that dies frees it at lease end.
  const leaseMs = timeoutMs * 2 + 30_000;

  async function attempt(delivery: ClaimedDelivery): Promise<void> {
    const started = now();
    const record: DeliveryAttempt = { at: new Date(started).toISOString(), durationMs: 0 };
    let status: number | undefined;
    let retryAfter: number | undefined;
    const clock = performance.now();
    try {
      const headers = signWebhook({
        id: delivery.id,
        timestamp: new Date(started),
        body: delivery.body,
        // During a rotation's grace, one signature per secret: receivers holding either accept.
        secret: delivery.previousSecret
          ? [delivery.secret, delivery.previousSecret]
          : delivery.secret,
      });
      const res = await doFetch(delivery.url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "user-agent": "closeloop" },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      record.status = status;
      retryAfter = parseRetryAfter(res.headers.get("retry-after"), started);
      await res.body?.cancel().catch(() => undefined);
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      record.error =
        err?.name === "TimeoutError"
          ? `timeout after ${timeoutMs} ms`
          : (err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e));
    }
    record.durationMs = Math.round(performance.now() - clock);
    const outcome = outcomeOf(status, retryAfter, delivery.attempts, started, schedule, random);
    await recordWhileLeased(delivery, record, outcome, clock);
  }

  /**
   * Records the attempt, retrying while the store fails and the lease lasts (less one attempt's
   * time, the margin for the record itself). The receiver has the delivery already: unrecorded,
   * it would be sent again when the lease ends, so a database restart would deliver it twice.
   * A retry after a record whose answer was lost changes nothing: the first cleared the lease.
   */
  async function recordWhileLeased(
    delivery: ClaimedDelivery,
    record: DeliveryAttempt,
    outcome: AttemptOutcome,
    claimedAt: number,
  ): Promise<void> {
    const until = claimedAt + leaseMs - timeoutMs;
    for (let failures = 1; ; failures++) {
      try {
        await store.webhooks.recordAttempt(delivery, record, outcome);
        return;
      } catch (e) {
        const wait = backoffDelay(failures, RECORD_RETRY_MS, RECORD_RETRY_CAP_MS);
        if (stopping.signal.aborted || performance.now() + wait > until) throw e;
        await pause(wait, stopping.signal);
      }
    }
  }

  async function runOnce(): Promise<number> {
    const due = await store.webhooks.claimDeliveries(
      new Date(now()).toISOString(),
      batchSize,
      leaseMs,
    );
    await Promise.all(due.map((d) => attempt(d).catch(onError)));
    return due.length;
  }

  let stopped = false;
  const stopping = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let failures = 0;
  const loop = () => {
    timer = undefined;
    if (stopped) return;
    inFlight = runOnce().then(
      (n) => {
        failures = 0;
        if (!stopped) timer = setTimeout(loop, n === batchSize ? 0 : intervalMs);
      },
      (e) => {
        failures += 1;
        onError(e);
        const wait = backoffDelay(failures, intervalMs, Math.max(intervalMs, STORE_BACKOFF_CAP_MS));
        if (!stopped) timer = setTimeout(loop, wait);
      },
    );
  };
  if (intervalMs > 0) timer = setTimeout(loop, 0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      stopping.abort();
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
