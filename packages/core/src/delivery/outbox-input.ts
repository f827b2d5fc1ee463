import { type Issue, ValidationError } from "../errors.js";
import { type CloseloopBus, createEventBus } from "../events.js";
import { uuidv7 } from "../id.js";
import { ITEM_TYPES } from "../patterns.js";
import type { BatchItem } from "../schemas/batch.js";
import { type Clock, systemClock } from "./clock.js";
import type { QueueStore } from "./queue-store.js";
import type { Transport } from "./transport.js";
import { utf8Length } from "./utf8.js";

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
  lock?: FlushLock | undefined;
  /** Source of randomness for the jitter, in [0, 1). */
  random?: () => number;
  /**
   * `createOutbox` only. Whether to keep the newest ~60 KB of enqueued items in memory, for
   * `flush({ keepalive: true })` to send at once when a page is left. Default `true`. A server
   * passes `false` (the Node client does): it is never a page being left, and keeping them
   * costs a burst of captures a Map update per item and its garbage. Without it, a keepalive
   * flush sends up to 60 KB from the store.
   */
  pageExit?: boolean;
}

/** What `enqueue` takes: an item without its idempotency key, which the outbox adds. */
export interface OutboxItemInput {
  type: BatchItem["type"];
  data: Record<string, unknown>;
  /** Reuse a key you already have (e.g. a response's own) so a resend is recognised. */
  idempotencyKey?: string;
}

/**
 * An item ready for the store, with `bytes_`, its JSON size near enough for budgets. Its names
 * end in `_`: internal, shortened by the build (docs/size.md).
 */
export interface PreparedItem {
  item_: BatchItem;
  bytes_: number;
  /** `JSON.stringify(item.data)`, handed to the store. */
  json_: string;
}

/** Checks an item given to `enqueue` (a `ValidationError` names every bad field) and prepares it. */
export function toItem(input: OutboxItemInput): PreparedItem {
  const issues: Issue[] = [];
  if (!ITEM_TYPES.includes(input?.type)) {
    issues.push({
      path: "type",
      code: "invalid_enum",
      message: `must be one of ${ITEM_TYPES.join(", ")}`,
    });
  }
  const data = input?.data;
  let json = "";
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    issues.push({ path: "data", code: "invalid_type", message: "must be an object" });
  } else {
    try {
      json = JSON.stringify(data);
    } catch (e) {
      issues.push({
        path: "data",
        code: "not_json",
        message: `must be JSON-serialisable: ${(e as Error).message}`,
      });
    }
  }
  const key = input?.idempotencyKey;
  if (key != null && (typeof key !== "string" || key.length === 0 || key.length > 200)) {
    issues.push({
      path: "idempotencyKey",
      code: "invalid_key",
      message: "must be 1–200 characters",
    });
  }
  if (issues.length > 0) throw new ValidationError("outbox item", issues);
  return prepareItem(input, json);
}

/** Gives an item its idempotency key (a new UUIDv7 unless it has one) and measures it, unchecked. */
export function prepareItem(
  input: OutboxItemInput,
  json = JSON.stringify(input.data),
): PreparedItem {
  const key = input.idempotencyKey ?? uuidv7();
  // The wire form adds `{"type":…,"idempotencyKey":…,"data":}` around the data: ≤ 60 + key bytes.
  return {
    item_: { type: input.type, idempotencyKey: key, data: input.data },
    bytes_: utf8Length(json) + key.length + 60,
    json_: json,
  };
}

/**
 * Options with every default applied. Internal to the outbox: its names end in `_`, which the
 * build shortens (docs/size.md).
 */
export interface Resolved {
  store_: QueueStore;
  transport_: Transport;
  clock_: Clock;
  bus_: CloseloopBus;
  maxItems_: number;
  maxBytes_: number;
  intervalMs_: number;
  baseMs_: number;
  maxMs_: number;
  maxAttempts_: number;
  maxAgeMs_: number;
  lock_: FlushLock | undefined;
  random_: () => number;
}

// Every number option as [group, name, least allowed], in the order issues are listed (their
// defaults are in `withDefaults`).
const NUMBERS = [
  ["batch", "maxItems", 1],
  ["batch", "maxBytes", 1],
  ["batch", "intervalMs", 0],
  ["retry", "baseMs", 1],
  ["retry", "maxMs", 1],
  ["retry", "maxAttempts", 1],
  ["retry", "maxAgeMs", 1],
] as const;

/** Applies the defaults; throws a `ValidationError` naming every bad option. */
export function resolveOptions(options: OutboxOptions): Resolved {
  const issues: Issue[] = [];
  for (const path of ["store", "transport"] as const) {
    if (!options?.[path]) issues.push({ path, code: "required", message: "is required" });
  }
  for (const [group, name, min] of NUMBERS) {
    const v = (options?.[group] as Record<string, unknown> | undefined)?.[name];
    // `!(v >= min)` also catches NaN.
    if (v !== undefined && (typeof v !== "number" || !(v >= min))) {
      issues.push({
        path: `${group}.${name}`,
        code: "out_of_range",
        message: `must be a number ≥ ${min}`,
      });
    }
  }
  if (issues.length > 0) throw new ValidationError("outbox options", issues);
  return withDefaults(options);
}

/** Applies the defaults, unchecked: for options already known good. */
export function withDefaults(options: OutboxOptions): Resolved {
  const { batch, retry } = options;
  return {
    store_: options.store,
    transport_: options.transport,
    clock_: options.clock ?? systemClock,
    bus_: options.bus ?? createEventBus(),
    lock_: options.lock,
    random_: options.random ?? Math.random,
    maxItems_: batch?.maxItems ?? 100,
    maxBytes_: batch?.maxBytes ?? 512 * 1024,
    intervalMs_: batch?.intervalMs ?? 1_000,
    baseMs_: retry?.baseMs ?? 1_000,
    maxMs_: retry?.maxMs ?? 300_000,
    maxAttempts_: retry?.maxAttempts ?? Infinity,
    maxAgeMs_: retry?.maxAgeMs ?? 7 * 86_400_000,
  };
}
