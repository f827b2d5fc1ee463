import type { CloseloopBus, DeliveryError } from "../events.js";
import type { BatchItem, BatchResult } from "../schemas/batch.js";
import type { TimerHandle } from "./clock.js";
import { QueueClosedError } from "./errors.js";
import {
  type OutboxItemInput,
  type OutboxOptions,
  type PreparedItem,
  prepareItem,
  resolveOptions,
  toItem,
  withDefaults,
} from "./outbox-input.js";
import { groupedIntake, type Intake } from "./outbox-intake.js";
import { KEEPALIVE_BYTES, pageExitBuffer } from "./page-exit.js";
import type { StoredItem } from "./queue-store.js";
import { fullJitterDelay } from "./retry-policy.js";

export type { FlushLock, OutboxItemInput, OutboxOptions } from "./outbox-input.js";

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
   * `enqueue` for bursts: stores the item and schedules its delivery alike, but resolves with
   * nothing, on the promise the store gave for the item — which a store that groups its writes
   * shares among them (the file store, one per write and fsync). So a burst costs no promise
   * per item here, and the item is not held in memory while its write is pending (only the
   * newest ~60 KB, for the page-exit send, and every item while `response:queued` has a
   * listener). Rejects like `enqueue`; give it an item whose key you know.
   *
   * @example
   * const idempotencyKey = `feedback:${id}`;
   * await outbox.accept({ type: "feedback", data: { id, channel: "email", text }, idempotencyKey });
   */
  accept(input: OutboxItemInput): Promise<void>;
  /**
   * Sends everything waiting now. Resolves `true` when the queue is empty, `false` when a
   * delivery failed and items wait for a retry (see `delivery:failed`). Never rejects.
   *
   * With `keepalive` (a page being left): starts one request at once — before this call
   * returns — with up to 60 KB of the newest items this page enqueued, flagged `keepalive` so
   * it outlives the page; items from earlier pages wait in the store for the next visit.
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
  return startOutbox(o, toItem, groupedIntake(o, toItem, options.pageExit !== false));
}

/**
 * `createOutbox` without its checks, for an SDK that checked its own options and builds every
 * item itself: options are taken as given (defaults applied) and items are not validated.
 * Internal to the Closeloop packages (the browser client uses it so that its capture-only
 * bundle carries one copy of the checks, docs/size.md); may change in any release.
 */
export function createOutboxUnchecked(options: OutboxOptions): Omit<Outbox, "accept"> {
  return startOutbox(withDefaults(options), prepareItem);
}

function startOutbox(
  o: ReturnType<typeof withDefaults>,
  prepare: (input: OutboxItemInput) => PreparedItem,
): Omit<Outbox, "accept">;
function startOutbox(
  o: ReturnType<typeof withDefaults>,
  prepare: (input: OutboxItemInput) => PreparedItem,
  intake: Intake,
): Outbox;
function startOutbox(
  o: ReturnType<typeof withDefaults>,
  prepare: (input: OutboxItemInput) => PreparedItem,
  intake?: Intake,
): Omit<Outbox, "accept"> {
  // The store, transport, clock and bus are read as `o.store_` etc., not destructured: every name
  // of this closure takes a name of its own in an esbuild bundle (docs/size.md).
  let timer: TimerHandle | undefined;
  let timerAt = Infinity; // when `timer` fires; Infinity when none is pending
  let running: Promise<boolean> | undefined;
  let unsent = 0; // items enqueued since the last send, to send early once a batch is full
  let attempt = 0; // consecutive failed sends of the head batch
  let holdUntil = 0; // no send before this (backoff or Retry-After)
  let serverHold = false; // whether holdUntil came from the server's Retry-After
  let closing = false;
  const exit = pageExitBuffer();

  function schedule(delayMs: number): void {
    const at = o.clock_.now() + Math.max(0, delayMs);
    if (timerAt <= at) return; // a pending timer fires soon enough
    o.clock_.clearTimeout(timer);
    timerAt = at;
    timer = o.clock_.setTimeout(() => {
      timerAt = Infinity;
      void run(false);
    }, delayMs);
    // Waiting items are in the store; a pending send must not keep a Node process alive.
    o.clock_.unref?.(timer);
  }

  /** Emits without letting a throwing listener (host code) derail delivery bookkeeping. */
  const emit: CloseloopBus["emit"] = (name, payload) => {
    try {
      return o.bus_.emit(name, payload);
    } catch (e) {
      (globalThis as { console?: { error(...a: unknown[]): void } }).console?.error(
        `closeloop: a "${name}" listener threw`,
        e,
      );
      return true;
    }
  };

  const forget = (batch: readonly StoredItem[]) => o.store_.remove(batch.map((s) => s.seq));

  /** Reports items as never to be delivered and removes them from the store. */
  function drop(batch: readonly StoredItem[], error: DeliveryError): Promise<void> {
    for (const { item } of batch) {
      exit.settled_(item.idempotencyKey);
      emit("delivery:dropped", { item, error });
    }
    return forget(batch);
  }

  /** A send failed (`attempt` counts it): holds sending for a backoff, or what the server asked. */
  function retryLater(items: number, error: DeliveryError, retryAfterMs?: number): false {
    const retryInMs = Math.max(
      fullJitterDelay(attempt, o.baseMs_, o.maxMs_, o.random_),
      retryAfterMs ?? 0,
    );
    serverHold = retryAfterMs !== undefined;
    holdUntil = o.clock_.now() + retryInMs;
    emit("delivery:failed", { items, error, attempt, retryInMs });
    schedule(retryInMs);
    return false;
  }

  /**
   * Reports the collector's per-item answer and returns the indexes it settled. A keepalive
   * answer reports only what the store pass has not reported already, and the reverse.
   */
  function settle(items: readonly BatchItem[], result: BatchResult, onExit: boolean): number[] {
    const done: number[] = [];
    const report = (index: number): BatchItem | undefined => {
      const item = items[index];
      if (!item) return undefined;
      done.push(index);
      const key = item.idempotencyKey;
      if (onExit ? !exit.answer_(key) : exit.consumeAnswered_(key)) return undefined;
      if (!onExit) exit.settled_(key);
      return item;
    };
    for (const a of result.accepted) {
      const item = report(a.index);
      if (item) emit("response:delivered", { item, id: a.id, duplicate: a.duplicate === true });
    }
    for (const r of result.rejected) {
      const item = report(r.index);
      if (!item) continue;
      emit("delivery:dropped", {
        item,
        error: { code: r.code, message: r.message, issues: r.issues },
      });
    }
    return done;
  }

  /** The page-exit send: one keepalive request, started before the first await. */
  async function sendOnExit(items: BatchItem[]): Promise<boolean> {
    const outcome = await o.transport_.send(items, { keepalive: true });
    if (outcome.kind === "delivered") settle(items, outcome.result, true);
    else exit.giveBack_(items); // still in the store: the next pass, here or on the next page, sends them
    return outcome.kind === "delivered" && (await o.store_.count()) === 0;
  }

  /** One pass: sends batches until the queue is empty (true) or a send must wait (false). */
  async function pass(keepalive: boolean, force: boolean): Promise<boolean> {
    let budget = keepalive ? KEEPALIVE_BYTES : Infinity;
    let maxItems = o.maxItems_; // halved when the collector says a batch is too large (413)
    for (;;) {
      const now = o.clock_.now();
      if (now < holdUntil && (serverHold || !force)) {
        schedule(holdUntil - now);
        return false;
      }
      const maxBytes = Math.min(o.maxBytes_, budget);
      const batch = await o.store_.peek({ maxItems, maxBytes });
      if (batch.length === 0) {
        attempt = 0;
        return true;
      }
      const answered = batch.filter((s) => exit.consumeAnswered_(s.item.idempotencyKey));
      if (answered.length > 0) {
        await forget(answered);
        continue;
      }
      const expired = batch.filter((s) => now - s.enqueuedAt > o.maxAgeMs_);
      if (expired.length > 0) {
        await drop(expired, { code: "expired", message: `not delivered within ${o.maxAgeMs_} ms` });
        continue;
      }
      const bytes = batch.reduce((n, s) => n + s.bytes, 0);
      if (keepalive && bytes > budget) return false; // the rest waits for the next page
      budget -= bytes;
      unsent = Math.max(0, unsent - batch.length);
      const outcome = await o.transport_.send(
        batch.map((s) => s.item),
        { keepalive },
      );
      if (outcome.kind === "retry") {
        if (++attempt < o.maxAttempts_) {
          return retryLater(batch.length, outcome.error, outcome.retryAfterMs);
        }
        const message = `${outcome.error.message} (gave up after ${attempt} attempts)`;
        attempt = 0;
        await drop(batch, { ...outcome.error, message });
        continue;
      }
      if (
        outcome.kind === "refused" &&
        (outcome.error.status === 401 || outcome.error.status === 403)
      ) {
        // A refused key or origin is configuration, not a bad item: no resend can change the
        // answer until someone fixes it, but the items are fine. Keep them and back off (never
        // dropped for attempts, only for age), so fixing the key delivers them (docs/delivery.md).
        attempt++;
        return retryLater(batch.length, outcome.error);
      }
      attempt = 0;
      serverHold = false;
      holdUntil = 0;
      if (outcome.kind === "refused") {
        if (outcome.error.status === 413 && batch.length > 1) {
          maxItems = Math.ceil(batch.length / 2);
          continue;
        }
        await drop(batch, outcome.error);
        continue;
      }
      const done = settle(
        batch.map((s) => s.item),
        outcome.result,
        false,
      );
      await o.store_.remove(done.map((i) => (batch[i] as StoredItem).seq));
      // Items the collector's answer did not mention are sent again: better a duplicate the
      // idempotency key absorbs than a loss.
    }
  }

  /** Single-flight: concurrent callers share the pass in progress. */
  function run(keepalive: boolean, force = false): Promise<boolean> {
    if (running) return running;
    const go = async (): Promise<boolean> => {
      try {
        const r = await (o.lock_ ? o.lock_(() => pass(keepalive, force)) : pass(keepalive, force));
        if (r === undefined) schedule(o.intervalMs_); // another tab is flushing; look again later
        return r ?? false;
      } catch (e) {
        // A store or transport fault must not escape into the host: report, back off, retry.
        attempt++;
        return retryLater(0, { code: "outbox_error", message: String((e as Error)?.message ?? e) });
      }
    };
    running = go().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    bus: o.bus_,
    async enqueue(input: OutboxItemInput) {
      if (closing) throw new QueueClosedError("outbox", "The outbox is closed: cannot enqueue");
      const { item_: item, bytes_: bytes, json_: json } = prepare(input);
      await o.store_.append(item, o.clock_.now(), json);
      exit.add_(item, bytes);
      emit("response:queued", { item });
      if (++unsent >= o.maxItems_ && !running) void run(false);
      else schedule(o.intervalMs_);
      return item;
    },
    // `createOutbox`'s intake (outbox-intake.ts) replaces `enqueue` and adds `accept`, for a
    // server's bursts; the browser's outbox keeps the one above, one item at a time (size.md).
    // Its parts are passed positionally: see `Intake`.
    ...intake?.(
      exit,
      emit,
      () => {
        if (closing) throw new QueueClosedError("outbox", "The outbox is closed: cannot enqueue");
      },
      (count) => {
        unsent += count;
        if (unsent >= o.maxItems_ && !running) void run(false);
        else schedule(o.intervalMs_);
      },
    ),
    async flush(flushOptions = {}) {
      if (flushOptions.keepalive) {
        // No await before the send: the browser may end the page at the next task.
        const items = exit.take_();
        if (items.length === 0) return run(true, true);
        return sendOnExit(items);
      }
      if (running) await running;
      return run(false, true);
    },
    async close({ timeoutMs = 5_000 } = {}) {
      closing = true;
      const deadline = o.clock_.now() + timeoutMs;
      for (;;) {
        if (running) await running;
        if (await run(false)) break;
        const wait = Math.min(holdUntil, deadline) - o.clock_.now();
        if (o.clock_.now() >= deadline) break;
        await new Promise<void>((resolve) => o.clock_.setTimeout(resolve, Math.max(wait, 0)));
      }
      o.clock_.clearTimeout(timer);
      timerAt = Infinity;
      const remaining = await o.store_.count();
      await o.store_.close();
      return { remaining };
    },
    pending: () => o.store_.count(),
  };
}
