import type { MetricsReport } from "@closeloop/core";
import {
  type BatchItem,
  type CloseloopEvents,
  CustomerValueSchema,
  createHttpTransport,
  createOutbox,
  type Dimension,
  type FeedbackInput,
  FeedbackSchema,
  MAX_CUSTOMER_VALUE,
  memoryQueueStore,
  parse,
  type QueueStore,
  type ResponseInput,
  ResponseSchema,
  ValidationError,
} from "@closeloop/core";
import { openFileQueueStore } from "../outbox/file-store.js";
import type { FsyncPolicy } from "../outbox/options.js";
import { respondentToken } from "../respondent-token.js";
import {
  type AllowedOriginsApi,
  adminApi,
  type FeedbackPolicyApi,
  type SurveysApi,
  type WebhooksApi,
} from "./admin-api.js";
import { failedStore } from "./failed-store.js";
import { feedbackReceipts } from "./feedback-receipts.js";
import { CollectorError, collectorCall, queryString } from "./http.js";
import { type LoopsApi, loopsApi } from "./loops-api.js";
import { type FetchFunction, nodeFetch } from "./node-fetch.js";
import { isPlainFeedback } from "./plain-feedback.js";
import { uuidv7 } from "./uuidv7.js";

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The collector, e.g. `http://127.0.0.1:7345`. */
  endpoint: string;
  /** The environment's secret key (`sk_…`). Keep it on the server. */
  secretKey: string;
  /**
   * Where items wait for delivery. With `dir`, an append-only file log that survives crashes
   * (`fsync`: `batch` by default); without, memory — items are lost if the process dies.
   */
  outbox?: { dir: string; fsync?: FsyncPolicy; maxBytes?: number };
  /**
   * The API calls (`loops`, `metrics`, `surveys`, `feedbackPolicy`, `allowedOrigins`,
   * `webhooks`): `timeoutMs` per attempt (default 10 s; past it, a `CollectorError` with status
   * 0 and code `timeout`), and `retries` of a GET, PUT or DELETE that met a network error, 408,
   * 429, 500, 502, 503 or 504 (default 2; after `Retry-After` when the collector sends one). A
   * POST is never retried, nor is `webhooks.register` (its secret is answered once). The
   * outbox's deliveries have their own retries.
   */
  api?: { timeoutMs?: number; retries?: number };
  /**
   * What the outbox's deliveries are sent with. Default: `node:http(s)` with a keep-alive agent,
   * which leaves far less garbage per request than the global `fetch` (docs/outbox-node.md).
   * Pass `globalThis.fetch` (or any WHATWG `fetch`) to send through it instead — for example to
   * go through a proxy set with undici's `setGlobalDispatcher`.
   */
  deliveryFetch?: typeof fetch;
}

/** What `client.metrics` asks for; every field optional. */
export interface MetricsRequest {
  /** Start of the period, inclusive (ISO-8601); default 30 days before `to`. */
  from?: string;
  /** End of the period, exclusive (ISO-8601); default now. */
  to?: string;
  groupBy?: Dimension;
}

/** The events of the node client: the outbox's, and `error` for a refused key. */
export type ClientEvents = CloseloopEvents & { error: (error: CollectorError) => void };

/** The node client. */
export interface Client {
  /** Queues a feedback item (support ticket, review, email…); resolves once it is stored. */
  captureFeedback(item: FeedbackInput): Promise<{ id: string; idempotencyKey: string }>;
  /**
   * Queues a survey response collected by your backend; resolves once it is stored. Throws
   * `ValidationError` naming every bad field.
   */
  submitResponse(response: ResponseInput): Promise<{ id: string; idempotencyKey: string }>;
  /** Records a customer gained or lost, for customer asset growth. */
  trackCustomer(event: {
    id: string;
    event: "gained" | "lost";
    value?: number;
    at?: string;
  }): Promise<void>;
  /** Act on loops from your own tools. */
  loops: LoopsApi;
  /** Publish survey versions (refused with every issue while a loop is partial). */
  surveys: SurveysApi;
  /** Set how feedback without a survey is routed. */
  feedbackPolicy: FeedbackPolicyApi;
  /** Which web pages (by origin) may use the environment's public key. */
  allowedOrigins: AllowedOriginsApi;
  /** Register, rotate and remove webhook endpoints; read their delivery logs. */
  webhooks: WebhooksApi;
  /**
   * `GET /v1/metrics`: NPS, CSAT, CES, loop health, value and customers at risk for the loops
   * opened in `[from, to)` (default: the last 30 days), grouped by `groupBy` when given.
   *
   * @example const { total, groups } = await closeloop.metrics({ groupBy: "journey" });
   */
  metrics(query?: MetricsRequest): Promise<MetricsReport>;
  /** The respondent token for a signed-in user, to hand to the browser SDK. */
  respondentToken(respondentId: string): string;
  /**
   * Listens to the outbox's events, and to `error`: the collector refused the key (401) or
   * the environment (403) — a configuration fault, told once until a delivery succeeds again
   * (and written once to `console.warn`); the items stay queued until it is fixed.
   */
  on<E extends keyof ClientEvents>(event: E, fn: ClientEvents[E]): () => void;
  /** Sends what waits now; `true` when nothing is left waiting. */
  flush(): Promise<boolean>;
  /** Delivers what waits (up to `timeoutMs`, default 5 s) and closes the outbox. */
  close(options?: { timeoutMs?: number }): Promise<{ remaining: number }>;
}

/**
 * Opens the file outbox now, so that the first captures reach it directly (docs/node.md); a
 * directory that cannot be opened makes every capture reject with the reason, not `createClient`
 * throw.
 */
function openOutboxStore(outbox: NonNullable<ClientOptions["outbox"]>): QueueStore {
  try {
    return openFileQueueStore({
      dir: outbox.dir,
      fsync: outbox.fsync ?? "batch",
      maxBytes: outbox.maxBytes ?? 1024 ** 3,
    });
  } catch (e) {
    return failedStore(e, "file");
  }
}

/** Answers what it is bound to: the receipt of a capture, once the item is stored. */
function receipt<R>(this: R): R {
  return this;
}

/**
 * The Node client: feedback, responses and customer events go through a durable outbox to the
 * collector; loops are acted on over its HTTP API.
 *
 * @example
 * const closeloop = createClient({ endpoint: "http://127.0.0.1:7345", secretKey: process.env.CLOSELOOP_SECRET_KEY!,
 *   outbox: { dir: ".closeloop/outbox" } });
 * await closeloop.captureFeedback({ channel: "support", text: "Invoices export empty", customer: { id: "acme", value: 24000 } });
 * await closeloop.close();
 */
export function createClient(options: ClientOptions): Client {
  const issues = [];
  if (typeof options?.secretKey !== "string" || !options.secretKey.startsWith("sk_")) {
    issues.push({
      path: "secretKey",
      code: "invalid_key",
      message: "must be the environment's secret key (sk_…)",
    });
  }
  if (options?.outbox && typeof options.outbox.dir !== "string") {
    issues.push({ path: "outbox.dir", code: "required", message: "must be a directory path" });
  }
  const api = options?.api ?? {};
  if (
    api.timeoutMs !== undefined &&
    !(Number.isFinite(api.timeoutMs) && api.timeoutMs > 0 && api.timeoutMs <= 2_147_483_647)
  ) {
    issues.push({
      path: "api.timeoutMs",
      code: "out_of_range",
      message: "must be a number of milliseconds above 0",
    });
  }
  if (api.retries !== undefined && !(Number.isInteger(api.retries) && api.retries >= 0)) {
    issues.push({
      path: "api.retries",
      code: "out_of_range",
      message: "must be a whole number, 0 or more",
    });
  }
  if (options?.deliveryFetch !== undefined && typeof options.deliveryFetch !== "function") {
    issues.push({
      path: "deliveryFetch",
      code: "invalid_type",
      message: "must be a fetch function, e.g. globalThis.fetch",
    });
  }
  if (issues.length > 0) throw new ValidationError("client options", issues);
  const endpoint = options.endpoint.replace(/\/+$/, "");
  // One authenticated caller for every API method (loops, metrics, setup).
  const call = collectorCall(endpoint, options.secretKey, api);
  const transport = createHttpTransport({
    endpoint,
    key: options.secretKey,
    fetch: (options.deliveryFetch as FetchFunction | undefined) ?? nodeFetch(),
  });
  const store = options.outbox ? openOutboxStore(options.outbox) : memoryQueueStore();
  // No page-exit buffer: a server is never a page being left, and keeping the newest items for
  // one cost a burst ~10 MB of old-generation garbage (docs/benchmarks.md).
  const outbox = createOutbox({ store, transport, pageExit: false });
  const errors = new Set<(error: CollectorError) => void>();
  // A wrong or revoked key refuses every send alike: the outbox keeps the items and backs off,
  // and the client says so once (docs/outbox-node.md), not on every retry.
  const told = new Set<string>();
  // Only when something was told: `clear()` on a Set gives it a new table, which V8 allocates
  // in the old generation for a long-lived Set — ~110 bytes of old-space garbage per delivered
  // item, 11 MB over a burst of 100,000 (docs/benchmarks.md).
  outbox.bus.on("response:delivered", () => {
    if (told.size > 0) told.clear();
  });
  outbox.bus.on("delivery:failed", ({ error }) => {
    if ((error.status !== 401 && error.status !== 403) || told.has(error.code)) return;
    told.add(error.code);
    const refused = new CollectorError(
      error.status,
      error.code,
      `the collector refused this client (HTTP ${error.status}): ${error.message}; items stay queued until the key is fixed`,
    );
    console.warn(`closeloop: ${refused.message} [${refused.code}]`);
    for (const fn of errors) {
      try {
        fn(refused);
      } catch {}
    }
  });

  // Not async, nor the methods below that queue: through `accept`, a burst of captures holds
  // one promise and one small receipt per item while their writes are pending (for feedback,
  // only its id: feedback-receipts.ts), not the item and a suspended call per layer; the
  // receipt is given by a bound function, not a closure over it (~50 bytes less per capture,
  // docs/benchmarks.md).
  const receipts = feedbackReceipts();
  const enqueue = <R>(
    type: BatchItem["type"],
    data: Record<string, unknown>,
    idempotencyKey: string,
    result: R,
  ): Promise<R> =>
    outbox.accept({ type, data, idempotencyKey }).then(receipt.bind(result) as () => R);

  return {
    captureFeedback(item) {
      try {
        // zod only for what the plain check cannot vouch for; it words every issue.
        if (!isPlainFeedback(item)) parse(FeedbackSchema, item, "feedback");
        const id = item.id ?? uuidv7();
        const idempotencyKey = `feedback:${id}`;
        // Not `{ ...item, id }`: on Node 20, a spread followed by a new key gives every object
        // its own hidden class, ~260 bytes each that live as long as the item waits (and the
        // time to make them), seen in a heap snapshot of a burst (docs/benchmarks.md).
        const data: Record<string, unknown> = Object.assign({}, item);
        data.id = id;
        return receipts(outbox.accept({ type: "feedback", data, idempotencyKey }), id);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    submitResponse(input) {
      try {
        const now = new Date().toISOString();
        const id = typeof input?.id === "string" ? input.id : uuidv7();
        const idempotencyKey =
          typeof input?.idempotencyKey === "string"
            ? input.idempotencyKey
            : `response:${id}:${now}`;
        const response = parse(
          ResponseSchema,
          { createdAt: now, ...input, id, idempotencyKey },
          "response",
        );
        const data = response as unknown as Record<string, unknown>;
        return enqueue("response", data, idempotencyKey, { id, idempotencyKey });
      } catch (e) {
        return Promise.reject(e);
      }
    },
    async trackCustomer(event) {
      const at = event.at ?? new Date().toISOString();
      const data: Record<string, unknown> = { customerId: event.id, event: event.event, at };
      if (event.value !== undefined) data.value = event.value;
      const issues = [
        ...(!event.id ? [{ path: "id", code: "required", message: "must name the customer" }] : []),
        ...(event.event !== "gained" && event.event !== "lost"
          ? [{ path: "event", code: "invalid_enum", message: "must be gained or lost" }]
          : []),
        ...(event.value !== undefined && !CustomerValueSchema.safeParse(event.value).success
          ? [
              {
                path: "value",
                code: "out_of_range",
                message: `must be a number from 0 to ${MAX_CUSTOMER_VALUE}`,
              },
            ]
          : []),
      ];
      if (issues.length > 0) throw new ValidationError("customer event", issues);
      await enqueue("customer", data, `customer:${event.id}:${event.event}:${at}`, undefined);
    },
    loops: loopsApi(call),
    ...adminApi(call),
    metrics: (query = {}) => call("GET", `/v1/metrics${queryString(query)}`),
    respondentToken: (respondentId) => respondentToken(options.secretKey, respondentId),
    on(event, fn) {
      if (event === "error") {
        const listener = fn as (error: CollectorError) => void;
        errors.add(listener);
        return () => errors.delete(listener);
      }
      outbox.bus.on(event as keyof CloseloopEvents, fn as never);
      return () => outbox.bus.off(event as keyof CloseloopEvents, fn as never);
    },
    flush: () => outbox.flush(),
    close: (o) => outbox.close(o),
  };
}
