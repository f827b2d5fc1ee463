import type { DeliveryError } from "../events.js";
import type { BatchItem, BatchResult } from "../schemas/batch.js";

/** Options for one send. */
export interface SendOptions {
  /** Send with `keepalive` so the request outlives the page (bodies under 64 KB). */
  keepalive?: boolean;
}

/**
 * What a send came to:
 * - `delivered`: the collector answered 200 with per-item `accepted` / `rejected`;
 * - `retry`: nothing was taken (network error, timeout, 408/425/429/5xx but 501/505); send the
 *   same items again later, not before `retryAfterMs` when the server said so;
 * - `refused`: the whole batch was refused for good (other 4xx, 501, 505).
 */
export type SendOutcome =
  | { kind: "delivered"; result: BatchResult }
  | { kind: "retry"; error: DeliveryError; retryAfterMs?: number | undefined }
  | { kind: "refused"; error: DeliveryError };

/** The delivery port: sends one batch to the collector. Never throws; failures are outcomes. */
export interface Transport {
  send(items: readonly BatchItem[], options?: SendOptions): Promise<SendOutcome>;
}
