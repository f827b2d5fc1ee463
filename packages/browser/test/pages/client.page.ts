// Runs in Chromium: a page that uses the browser outbox as an app would, driven by the test
// through `window.client`.
import type { DeliveryError } from "@closeloop/core";
import { createEventBus } from "@closeloop/core";
import { type BrowserOutbox, createBrowserOutbox } from "../../src/outbox/browser-outbox.js";

let outbox: BrowserOutbox | undefined;
const dropped: DeliveryError[] = [];
const fallbacks: string[] = [];

const api = {
  async start(intervalMs: number): Promise<string> {
    const bus = createEventBus();
    bus.on("delivery:dropped", (e) => dropped.push(e.error));
    bus.on("store:fallback", (e) => fallbacks.push(`${e.from}→${e.to}`));
    outbox = await createBrowserOutbox({
      endpoint_: location.origin,
      publicKey_: "pk_test",
      name_: "default",
      bus_: bus,
      batch: { intervalMs },
      retry: { baseMs: 50, maxMs: 200 },
    });
    return outbox.storeKind_;
  },
  async enqueue(from: number, count: number): Promise<void> {
    for (let n = from; n < from + count; n++) {
      await outbox?.enqueue({
        type: "feedback",
        idempotencyKey: `item-${n}`,
        data: { n, text: "slow exports" },
      });
    }
  },
  pending: () => outbox?.pending() ?? Promise.resolve(-1),
  flush: () => outbox?.flush() ?? Promise.resolve(false),
  report: () => ({ dropped, fallbacks }),
};
(window as unknown as { client: typeof api }).client = api;
