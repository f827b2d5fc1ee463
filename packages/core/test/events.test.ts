import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type BatchItem,
  type Breach,
  type CloseloopEventName,
  type CloseloopEvents,
  createEventBus,
  createLoop,
  type DeliveryError,
  type Loop,
  type LoopEvent,
  type Route,
  transition,
} from "../src/index.js";

const T0 = "2026-11-23T10:00:00.000Z";

const route: Route = {
  action: "follow-up",
  owner: "support",
  acknowledgeWithin: "4h",
  closeWithin: "48h",
  acknowledge: { message: { en: "Sorry — we will call you. Thank you." } },
};

const opened = createLoop({
  id: "loop-1",
  source: { kind: "response", id: "r-1" },
  segment: "detractor",
  route,
  at: T0,
});
const acked = transition(opened, "acknowledged", {
  actor: "agent:ana",
  at: "2026-11-23T11:00:00.000Z",
});
const ackEvent = acked.events[1] as LoopEvent;

const item: BatchItem = {
  type: "response",
  idempotencyKey: "resp-1",
  data: { surveyId: "onboarding-nps", answers: { score: 3 } },
};
const deliveryError: DeliveryError = {
  status: 422,
  code: "validation_failed",
  message: "Invalid response",
  issues: [{ path: "answers.score", code: "out_of_range", message: "must be 0–10" }],
};

/** One payload per event name; the mapped type makes it fail to compile if a name is missing. */
const samples: { [K in CloseloopEventName]: Parameters<CloseloopEvents[K]>[0] } = {
  "loop:transition": { loop: acked, event: ackEvent },
  "loop:breached": {
    loop: opened,
    breach: { deadline: "acknowledge", due: "2026-11-23T14:00:00.000Z" },
  },
  "loop:closed": { loop: acked },
  "response:queued": { item },
  "response:delivered": { item, id: "0193c4b2-0000-7000-8000-000000000000", duplicate: false },
  "delivery:failed": { items: 3, error: deliveryError, attempt: 2, retryInMs: 4_000 },
  "delivery:dropped": { item, error: deliveryError },
  "store:fallback": { from: "indexeddb", to: "memory", reason: "InvalidStateError: private mode" },
};

const NAMES = Object.keys(samples) as CloseloopEventName[];

describe("createEventBus", () => {
  it("knows exactly the events of docs/concepts.md: the seven loop and delivery events, and store:fallback", () => {
    expect([...NAMES].sort()).toEqual(
      [
        "loop:transition",
        "loop:breached",
        "loop:closed",
        "response:queued",
        "response:delivered",
        "delivery:failed",
        "delivery:dropped",
        "store:fallback",
      ].sort(),
    );
  });

  it("delivers loop:transition with the loop and the event", () => {
    const bus = createEventBus();
    const got: { loop: Loop; event: LoopEvent }[] = [];
    bus.on("loop:transition", (e) => {
      expectTypeOf(e.loop).toEqualTypeOf<Loop>();
      expectTypeOf(e.event).toEqualTypeOf<LoopEvent>();
      got.push(e);
    });
    expect(bus.emit("loop:transition", samples["loop:transition"])).toBe(true);
    expect(got).toHaveLength(1);
    expect(got[0]).toBe(samples["loop:transition"]);
    expect(got[0]?.event).toEqual({
      from: "received",
      to: "acknowledged",
      actor: "agent:ana",
      at: "2026-11-23T11:00:00.000Z",
    });
    expect(got[0]?.loop.state).toBe("acknowledged");
  });

  it("delivers loop:breached with the breach", () => {
    const bus = createEventBus();
    const got: Breach[] = [];
    bus.on("loop:breached", ({ loop, breach }) => {
      expectTypeOf(breach).toEqualTypeOf<Breach>();
      expect(loop.id).toBe("loop-1");
      got.push(breach);
    });
    bus.emit("loop:breached", samples["loop:breached"]);
    expect(got).toEqual([{ deadline: "acknowledge", due: "2026-11-23T14:00:00.000Z" }]);
  });

  it("delivers loop:closed with the loop", () => {
    const bus = createEventBus();
    const got: Loop[] = [];
    bus.on("loop:closed", ({ loop }) => {
      expectTypeOf(loop).toEqualTypeOf<Loop>();
      got.push(loop);
    });
    bus.emit("loop:closed", samples["loop:closed"]);
    expect(got).toEqual([acked]);
    expect(got[0]).toBe(acked);
  });

  it("delivers response:queued with the batch item", () => {
    const bus = createEventBus();
    const got: BatchItem[] = [];
    bus.on("response:queued", (e) => {
      expectTypeOf(e.item).toEqualTypeOf<BatchItem>();
      got.push(e.item);
    });
    bus.emit("response:queued", samples["response:queued"]);
    expect(got).toEqual([item]);
  });

  it("delivers response:delivered with the item, the id and the duplicate flag", () => {
    const bus = createEventBus();
    const got: { item: BatchItem; id: string; duplicate: boolean }[] = [];
    bus.on("response:delivered", (e) => {
      expectTypeOf(e.id).toEqualTypeOf<string>();
      expectTypeOf(e.duplicate).toEqualTypeOf<boolean>();
      got.push(e);
    });
    bus.emit("response:delivered", samples["response:delivered"]);
    bus.emit("response:delivered", { item, id: "first-id", duplicate: true });
    expect(got).toEqual([
      { item, id: "0193c4b2-0000-7000-8000-000000000000", duplicate: false },
      { item, id: "first-id", duplicate: true },
    ]);
  });

  it("delivers delivery:failed with the count, error, attempt and retry delay", () => {
    const bus = createEventBus();
    const got: Parameters<CloseloopEvents["delivery:failed"]>[0][] = [];
    bus.on("delivery:failed", (e) => {
      expectTypeOf(e.error).toEqualTypeOf<DeliveryError>();
      expectTypeOf(e.retryInMs).toEqualTypeOf<number>();
      got.push(e);
    });
    bus.emit("delivery:failed", samples["delivery:failed"]);
    expect(got).toEqual([{ items: 3, error: deliveryError, attempt: 2, retryInMs: 4_000 }]);
  });

  it("delivers delivery:dropped with the item and the error", () => {
    const bus = createEventBus();
    const got: { item: BatchItem; error: DeliveryError }[] = [];
    bus.on("delivery:dropped", (e) => {
      got.push(e);
    });
    bus.emit("delivery:dropped", samples["delivery:dropped"]);
    expect(got).toEqual([{ item, error: deliveryError }]);
    expect(got[0]?.error.issues).toEqual([
      { path: "answers.score", code: "out_of_range", message: "must be 0–10" },
    ]);
  });

  it("delivers each event only to its own listeners, with exactly one argument", () => {
    const bus = createEventBus();
    const calls: { name: CloseloopEventName; args: unknown[] }[] = [];
    for (const name of NAMES) {
      bus.on(name, (...args: unknown[]) => {
        calls.push({ name, args });
      });
    }
    // The loop widens `name` to the union; each sample matches its own name by construction.
    const emitAny = bus.emit.bind(bus) as (name: CloseloopEventName, payload: unknown) => boolean;
    for (const name of NAMES) emitAny(name, samples[name]);
    expect(calls.map((c) => c.name)).toEqual(NAMES);
    for (const c of calls) {
      expect(c.args).toHaveLength(1);
      expect(c.args[0]).toBe(samples[c.name]);
    }
  });

  it("calls every listener of an event in order, honours once and off", () => {
    const bus = createEventBus();
    const order: string[] = [];
    const first = () => order.push("first");
    bus.on("loop:closed", first);
    bus.on("loop:closed", () => order.push("second"));
    bus.once("loop:closed", () => order.push("once"));
    expect(bus.listenerCount("loop:closed")).toBe(3);
    bus.emit("loop:closed", samples["loop:closed"]);
    bus.off("loop:closed", first);
    bus.emit("loop:closed", samples["loop:closed"]);
    expect(order).toEqual(["first", "second", "once", "second"]);
    expect(bus.listenerCount("loop:closed")).toBe(1);
  });

  it("returns false when an event has no listener, and each bus is separate", () => {
    const a = createEventBus();
    const b = createEventBus();
    const got: string[] = [];
    a.on("response:queued", () => got.push("a"));
    expect(b.emit("response:queued", samples["response:queued"])).toBe(false);
    expect(a.emit("response:queued", samples["response:queued"])).toBe(true);
    expect(got).toEqual(["a"]);
  });

  it("removes a once listener by its function, and every listener of a name without one", () => {
    const bus = createEventBus();
    const got: string[] = [];
    const fn = () => got.push("once");
    bus.once("loop:closed", fn).on("loop:closed", () => got.push("on"));
    bus.off("loop:closed", fn);
    bus.emit("loop:closed", samples["loop:closed"]);
    expect(got).toEqual(["on"]);
    bus.on("loop:breached", () => got.push("breached"));
    bus.off("loop:closed");
    expect(bus.listenerCount("loop:closed")).toBe(0);
    expect(bus.emit("loop:closed", samples["loop:closed"])).toBe(false);
    expect(bus.listenerCount("loop:breached")).toBe(1);
  });

  it("removeAllListeners clears one event, or all of them", () => {
    const bus = createEventBus();
    for (const name of NAMES) bus.on(name, () => {});
    bus.removeAllListeners("loop:closed");
    expect(NAMES.map((n) => bus.listenerCount(n))).toEqual(
      NAMES.map((n) => (n === "loop:closed" ? 0 : 1)),
    );
    bus.removeAllListeners();
    expect(NAMES.map((n) => bus.listenerCount(n))).toEqual(NAMES.map(() => 0));
  });

  it("applies listeners added or removed during an emit from the next emit on", () => {
    const bus = createEventBus();
    const order: string[] = [];
    const late = () => order.push("late");
    const second = () => order.push("second");
    bus.on("loop:closed", () => {
      order.push("first");
      bus.off("loop:closed", second);
      bus.on("loop:closed", late);
    });
    bus.on("loop:closed", second);
    bus.emit("loop:closed", samples["loop:closed"]);
    expect(order).toEqual(["first", "second"]);
    order.length = 0;
    bus.off("loop:closed", late);
    bus.emit("loop:closed", samples["loop:closed"]);
    expect(order).toEqual(["first"]);
  });

  it("calls a once listener a single time even when it emits the same event", () => {
    const bus = createEventBus();
    let calls = 0;
    bus.once("loop:closed", () => {
      calls++;
      bus.emit("loop:closed", samples["loop:closed"]);
    });
    bus.emit("loop:closed", samples["loop:closed"]);
    expect(calls).toBe(1);
    expect(bus.listenerCount("loop:closed")).toBe(0);
  });
});
