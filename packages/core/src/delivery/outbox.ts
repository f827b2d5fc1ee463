import { type Issue, ValidationError } from "../errors.js";
import { type CloseloopBus, createEventBus, type DeliveryError } from "../events.js";
import { uuidv7 } from "../id.js";
import { ITEM_TYPES } from "../patterns.js";
import type { BatchItem } from "../schemas/batch.js";
import { type Clock, systemClock, type TimerHandle } from "./clock.js";
import type { QueueStore, StoredItem } from "./queue-store.js";
import { fullJitterDelay } from "./retry-policy.js";
import type { Transport } from "./transport.js";

/**
 * Runs `fn` only while this context holds the right to flush (one browser tab at a time);
 * resolves `undefined` at once when another holder has it.
 */
export type FlushLock = <T>(fn: () => Promise<T>) => Promise<T | undefined>;

/** Options of `createOutbox`. Every number has a default. */
export interface OutboxOptions {
  store: QueueStore;
  transport: Transport;
  clock?: Clock;
  /** The bus to emit `response:*` and `delivery:*` events on; a new one when absent. */
  bus?: CloseloopBus;
  batch?: {
    /** Most items in one request. Default 100. */
    maxItems?: number;
    /** Most JSON bytes in one request. Default 512 KiB. */
    maxBytes?: number;
    /** How long an item may wait for companions before a send. Default 1,000 ms. */
    intervalMs?: number;
  };
  retry?: {
    /** First backoff ceiling. Default 1,000 ms. */
    baseMs?: number;
    /** Largest backoff ceiling. Default 5 minutes. */
    maxMs?: number;
    /** Sends of one batch before its items are dropped (with `delivery:dropped`). Default: no limit. */
    maxAttempts?: number;
    /** Age after which an undelivered item is dropped (with `delivery:dropped`). Default 7 days. */
    maxAgeMs?: number;
  };
  /** One flusher at a time across contexts sharing the store (browser tabs). */
  lock?: FlushLock;
  /** Source of randomness for the jitter, in [0, 1). */
  random?: () => number;
}

/** What `enqueue` takes: an item without its idempotency key, which the outbox adds. */
export interface OutboxItemInput {
  type: BatchItem["type"];
  data: Record<string, unknown>;
  /** Reuse a key you already have (e.g. a response's own) so a resend is recognised. */
  idempotencyKey?: string;
}

/** A durable, batching, retrying queue between the SDK and the collector. */
export interface Outbox {
  /** The bus its events go out on. */
  readonly bus: CloseloopBus;
  /**
   * Stores the item (resolving once the store holds it) and schedules its delivery. Rejects
   * with `ValidationError` on a bad item, or with the store's error when it cannot be kept.
   */
  enqueue(input: OutboxItemInput): Promise<BatchItem>;
  /**
   * Sends everything waiting now. Resolves `true` when the queue is empty, `false` when a
   * delivery failed and items wait for a retry (see `delivery:failed`). Never rejects.
   * With `keepalive`, sends at most 60 KB so the request can outlive the page.
   */
  flush(options?: { keepalive?: boolean }): Promise<boolean>;
  /**
   * Stops accepting items and keeps delivering, retries included, until the queue is empty or
   * `timeoutMs` (default 5 s) has passed; resolves with how many items still wait in the store.
   */
  close(options?: { timeoutMs?: number }): Promise<{ remaining: number }>;
  /** How many items wait in the store. */
  pending(): Promise<number>;
}

const KEEPALIVE_BYTES = 60_000;

/**
 * Creates the outbox over a `QueueStore` and a `Transport`. Items wait in the store, not in
 * memory; one batch is in flight at a time and a batch is retried whole before anything after
 * it is sent, so per-respondent order holds. Failures never throw into the host: they become
 * `delivery:failed` (will retry) or `delivery:dropped` (never will, with the server's error).
 *
 * @example
 * const outbox = createOutbox({ store: memoryQueueStore(), transport: createHttpTransport({ endpoint, key }) });
 * outbox.bus.on("delivery:dropped", ({ item, error }) => console.warn(item.idempotencyKey, error.message));
 * await outbox.enqueue({ type: "feedback", data: { channel: "support", text: "Export is slow" } });
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const o = resolveOptions(options);
  const { store, transport, clock, bus } = o;
  let timer: TimerHandle | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let running: Promise<boolean> | undefined;
  let unsent = 0; // items enqueued since the last send, to send early once a batch is full
  let attempt = 0; // consecutive failed sends of the head batch
  let holdUntil = 0; // no send before this (backoff or Retry-After)
  let serverHold = false; // whether holdUntil came from the server's Retry-After
  let closing = false;

  function schedule(delayMs: number): void {
    const at = clock.now() + Math.max(0, delayMs);
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timerAt = at;
    timer = clock.setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      void run(false);
    }, delayMs);
    // Waiting items are in the store; a pending send must not keep a Node process alive.
    clock.unref?.(timer);
  }

  /** Emits without letting a throwing listener (host code) derail delivery bookkeeping. */
  const emit: CloseloopBus["emit"] = (name, ...args) => {
    try {
      return bus.emit(name, ...args);
    } catch (e) {
      (globalThis as { console?: { error(...a: unknown[]): void } }).console?.error(
        `closeloop: a "${name}" listener threw`,
        e,
      );
      return true;
    }
  };

  function drop(items: readonly StoredItem[], error: DeliveryError): void {
    for (const s of items) emit("delivery:dropped", { item: s.item, error });
  }

  /** One pass: sends batches until the queue is empty (true) or a send must wait (false). */
  async function pass(keepalive: boolean, force: boolean): Promise<boolean> {
    let budget = keepalive ? KEEPALIVE_BYTES : Number.POSITIVE_INFINITY;
    let maxItems = o.maxItems; // halved when the collector says a batch is too large (413)
    for (;;) {
      const now = clock.now();
      if (now < holdUntil && (serverHold || !force)) {
        schedule(holdUntil - now);
        return false;
      }
      const maxBytes = Math.min(o.maxBytes, budget);
      const batch = await store.peek({ maxItems, maxBytes });
      if (batch.length === 0) {
        attempt = 0;
        return true;
      }
      const expired = batch.filter((s) => now - s.enqueuedAt > o.maxAgeMs);
      if (expired.length > 0) {
        drop(expired, { code: "expired", message: `not delivered within ${o.maxAgeMs} ms` });
        await store.remove(expired.map((s) => s.seq));
        continue;
      }
      const bytes = batch.reduce((n, s) => n + s.bytes, 0);
      if (keepalive && bytes > budget) return false; // the rest waits for the next page
      budget -= bytes;
      unsent = Math.max(0, unsent - batch.length);
      const outcome = await transport.send(
        batch.map((s) => s.item),
        keepalive ? { keepalive: true } : {},
      );
      if (outcome.kind === "retry") {
        attempt++;
        if (attempt >= o.maxAttempts) {
          drop(batch, {
            ...outcome.error,
            message: `${outcome.error.message} (gave up after ${attempt} attempts)`,
          });
          await store.remove(batch.map((s) => s.seq));
          attempt = 0;
          continue;
        }
        const backoff = fullJitterDelay(attempt, o.baseMs, o.maxMs, o.random);
        const retryInMs = Math.max(backoff, outcome.retryAfterMs ?? 0);
        serverHold = outcome.retryAfterMs !== undefined;
        holdUntil = clock.now() + retryInMs;
        emit("delivery:failed", { items: batch.length, error: outcome.error, attempt, retryInMs });
        schedule(retryInMs);
        return false;
      }
      attempt = 0;
      serverHold = false;
      holdUntil = 0;
      if (outcome.kind === "refused") {
        if (outcome.error.status === 413 && batch.length > 1) {
          maxItems = Math.ceil(batch.length / 2);
          continue;
        }
        drop(batch, outcome.error);
        await store.remove(batch.map((s) => s.seq));
        continue;
      }
      const done: number[] = [];
      for (const a of outcome.result.accepted) {
        const s = batch[a.index];
        if (!s) continue;
        done.push(s.seq);
        emit("response:delivered", { item: s.item, id: a.id, duplicate: a.duplicate === true });
      }
      for (const r of outcome.result.rejected) {
        const s = batch[r.index];
        if (!s) continue;
        done.push(s.seq);
        const error: DeliveryError = { code: r.code, message: r.message };
        if (r.issues) error.issues = r.issues;
        emit("delivery:dropped", { item: s.item, error });
      }
      await store.remove(done);
      // Items the collector's answer did not mention are sent again: better a duplicate the
      // idempotency key absorbs than a loss.
    }
  }

  /** Single-flight: concurrent callers share the pass in progress. */
  function run(keepalive: boolean, force = false): Promise<boolean> {
    if (running) return running;
    const go = async (): Promise<boolean> => {
      try {
        if (!o.lock) return await pass(keepalive, force);
        const r = await o.lock(() => pass(keepalive, force));
        if (r === undefined) schedule(o.intervalMs); // another tab is flushing; look again later
        return r ?? false;
      } catch (e) {
        // A store or transport fault must not escape into the host: report, back off, retry.
        attempt++;
        const retryInMs = fullJitterDelay(attempt, o.baseMs, o.maxMs, o.random);
        holdUntil = clock.now() + retryInMs;
        serverHold = false;
        const error = { code: "outbox_error", message: String((e as Error)?.message ?? e) };
        emit("delivery:failed", { items: 0, error, attempt, retryInMs });
        schedule(retryInMs);
        return false;
      }
    };
    running = go().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    bus,
    async enqueue(input) {
      if (closing)
        throw new ValidationError("outbox item", [
          { path: "", code: "closed", message: "the outbox is closed" },
        ]);
      const item = toItem(input);
      await store.append(item, clock.now());
      emit("response:queued", { item });
      if (++unsent >= o.maxItems && !running) void run(false);
      else schedule(o.intervalMs);
      return item;
    },
    async flush(flushOptions = {}) {
      if (running) await running;
      return run(flushOptions.keepalive === true, true);
    },
    async close({ timeoutMs = 5_000 } = {}) {
      closing = true;
      const deadline = clock.now() + timeoutMs;
      for (;;) {
        if (running) await running;
        if (await run(false)) break;
        const wait = Math.min(holdUntil, deadline) - clock.now();
        if (clock.now() >= deadline) break;
        await new Promise<void>((resolve) => clock.setTimeout(resolve, Math.max(wait, 0)));
      }
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      const remaining = await store.count();
      await store.close();
      return { remaining };
    },
    pending: () => store.count(),
  };
}

function toItem(input: OutboxItemInput): BatchItem {
  const issues: Issue[] = [];
  if (!ITEM_TYPES.includes(input?.type)) {
    issues.push({
      path: "type",
      code: "invalid_enum",
      message: `must be one of ${ITEM_TYPES.join(", ")}`,
    });
  }
  const data = input?.data;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    issues.push({ path: "data", code: "invalid_type", message: "must be an object" });
  } else {
    try {
      JSON.stringify(data);
    } catch (e) {
      issues.push({
        path: "data",
        code: "not_json",
        message: `must be JSON-serialisable: ${(e as Error).message}`,
      });
    }
  }
  const key = input?.idempotencyKey ?? uuidv7();
  if (typeof key !== "string" || key.length === 0 || key.length > 200) {
    issues.push({
      path: "idempotencyKey",
      code: "invalid_key",
      message: "must be 1–200 characters",
    });
  }
  if (issues.length > 0) throw new ValidationError("outbox item", issues);
  return { type: input.type, idempotencyKey: key, data };
}

interface Resolved {
  store: QueueStore;
  transport: Transport;
  clock: Clock;
  bus: CloseloopBus;
  maxItems: number;
  maxBytes: number;
  intervalMs: number;
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  maxAgeMs: number;
  lock: FlushLock | undefined;
  random: () => number;
}

function resolveOptions(options: OutboxOptions): Resolved {
  const issues: Issue[] = [];
  const num = (path: string, value: number | undefined, fallback: number, min: number): number => {
    const v = value ?? fallback;
    if (typeof v !== "number" || Number.isNaN(v) || v < min) {
      issues.push({ path, code: "out_of_range", message: `must be a number ≥ ${min}` });
    }
    return v;
  };
  if (!options?.store)
    issues.push({ path: "store", code: "required", message: "a QueueStore is required" });
  if (!options?.transport)
    issues.push({ path: "transport", code: "required", message: "a Transport is required" });
  const b = options?.batch ?? {};
  const r = options?.retry ?? {};
  const resolved: Resolved = {
    store: options?.store,
    transport: options?.transport,
    clock: options?.clock ?? systemClock,
    bus: options?.bus ?? createEventBus(),
    maxItems: num("batch.maxItems", b.maxItems, 100, 1),
    maxBytes: num("batch.maxBytes", b.maxBytes, 512 * 1024, 1),
    intervalMs: num("batch.intervalMs", b.intervalMs, 1_000, 0),
    baseMs: num("retry.baseMs", r.baseMs, 1_000, 1),
    maxMs: num("retry.maxMs", r.maxMs, 300_000, 1),
    maxAttempts: num("retry.maxAttempts", r.maxAttempts, Number.POSITIVE_INFINITY, 1),
    maxAgeMs: num("retry.maxAgeMs", r.maxAgeMs, 7 * 86_400_000, 1),
    lock: options?.lock,
    random: options?.random ?? Math.random,
  };
  if (issues.length > 0) throw new ValidationError("outbox options", issues);
  return resolved;
}
