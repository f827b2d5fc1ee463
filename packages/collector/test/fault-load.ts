// Ingest that counts every item, for the fault tests: senders POST batches to /v1/batch with
// plain fetch and, as the clients do, resend a batch whole (same idempotency keys) until it is
// answered 200 — through 503s, refused and dropped connections, and collector restarts. What was
// acknowledged is then looked for in the database: anything missing is lost.
import { uuidv7 } from "@closeloop/core";

/** One item of a batch, as the wire carries it. */
export interface LoadItem {
  type: string;
  idempotencyKey: string;
  data: Record<string, unknown>;
}

/** Options of {@link startLoad}. */
export interface LoadOptions {
  /** Where to send: read before every request, so a test can move the load to a new collector. */
  url: () => string;
  key: string;
  /** One item; `n` counts from 0 across every sender. */
  item: (n: number) => LoadItem;
  senders?: number;
  batchSize?: number;
  /** A batch still unanswered this long after the load is stopped counts as unacknowledged. */
  giveUpMs?: number;
}

/** What the senders saw. */
export interface Load {
  /** Items sent at least once. */
  sent(): number;
  /** The ids the collector answered for acknowledged items (200, accepted). */
  acknowledged: string[];
  /** Answers other than 200, by status (and `network` for a refused or dropped connection). */
  failures: Map<string, number>;
  /** 503 answers that carried a `Retry-After`. */
  retryAfters: number;
  /** Items the collector rejected: never expected here. */
  rejected: unknown[];
  /** Stops starting batches, and waits for the ones in flight to be acknowledged (or given up). */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `senders` loops, each sending batches one after another until stopped. */
export function startLoad(options: LoadOptions): Load {
  const batchSize = options.batchSize ?? 20;
  const giveUpMs = options.giveUpMs ?? 60_000;
  let next = 0;
  let sent = 0;
  let stopping = false;
  let stoppedAt = 0;
  const load: Load = {
    sent: () => sent,
    acknowledged: [],
    failures: new Map(),
    retryAfters: 0,
    rejected: [],
    async stop() {
      stopping = true;
      stoppedAt = Date.now();
      await Promise.all(loops);
    },
  };
  const fail = (what: string) => load.failures.set(what, (load.failures.get(what) ?? 0) + 1);

  /** Sends one batch until it is acknowledged; answers whether it was. */
  async function deliver(items: LoadItem[]): Promise<boolean> {
    const body = JSON.stringify({ items });
    for (;;) {
      if (stopping && Date.now() - stoppedAt > giveUpMs) return false;
      try {
        const res = await fetch(`${options.url()}/v1/batch`, {
          method: "POST",
          headers: { authorization: `Bearer ${options.key}`, "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        if (res.status === 200) {
          const answer = (await res.json()) as {
            accepted: { index: number; id: string }[];
            rejected: unknown[];
          };
          load.rejected.push(...answer.rejected);
          for (const a of answer.accepted) load.acknowledged.push(a.id);
          return true;
        }
        fail(String(res.status));
        if (res.status === 503 && res.headers.get("retry-after")) load.retryAfters += 1;
        await res.body?.cancel();
      } catch {
        fail("network");
      }
      // Shorter than the Retry-After the collector asks for: the test wants many tries.
      await sleep(100);
    }
  }

  async function sender(): Promise<void> {
    while (!stopping) {
      const items = Array.from({ length: batchSize }, () => options.item(next++));
      sent += items.length;
      if (!(await deliver(items))) return;
    }
  }
  const loops = Array.from({ length: options.senders ?? 4 }, () => sender());
  return load;
}

/** A feedback item with its own id and idempotency key (the environment needs a policy). */
export function feedbackItem(n: number): LoadItem {
  return {
    type: "feedback",
    idempotencyKey: uuidv7(),
    data: { id: uuidv7(), channel: "support", text: `Fault test item ${n}` },
  };
}

/** Counts what an ingest kept: prints `sent / acknowledged / stored / lost` and answers them. */
export function tally(
  name: string,
  load: Pick<Load, "sent" | "acknowledged">,
  storedIds: ReadonlySet<string>,
): { sent: number; acknowledged: number; stored: number; lost: number } {
  const acknowledged = new Set(load.acknowledged);
  const stored = [...acknowledged].filter((id) => storedIds.has(id)).length;
  const counts = {
    sent: load.sent(),
    acknowledged: acknowledged.size,
    stored,
    lost: acknowledged.size - stored,
  };
  console.log(
    `${name}: sent ${counts.sent} / acknowledged ${counts.acknowledged} / stored ${counts.stored} / lost ${counts.lost}`,
  );
  return counts;
}
