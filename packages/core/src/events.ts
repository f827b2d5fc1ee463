import EventEmitter from "eventemitter3";
import type { Issue } from "./errors.js";
import type { Breach } from "./loop/deadlines.js";
import type { BatchItem } from "./schemas/batch.js";
import type { Loop, LoopEvent } from "./schemas/loop.js";

/** The server's answer for an item that will never be accepted. */
export interface DeliveryError {
  /** HTTP status of the batch, when the whole batch was refused. */
  status?: number;
  code: string;
  message: string;
  issues?: Issue[];
}

/**
 * Every event on the Closeloop bus with its payload. Listeners get one typed argument.
 *
 * @example
 * bus.on("loop:closed", ({ loop }) => console.log(`loop ${loop.id} closed`));
 */
export interface CloseloopEvents {
  "loop:transition": (e: { loop: Loop; event: LoopEvent }) => void;
  "loop:breached": (e: { loop: Loop; breach: Breach }) => void;
  "loop:closed": (e: { loop: Loop }) => void;
  "response:queued": (e: { item: BatchItem }) => void;
  "response:delivered": (e: { item: BatchItem; id: string; duplicate: boolean }) => void;
  "delivery:failed": (e: {
    items: number;
    error: DeliveryError;
    attempt: number;
    retryInMs: number;
  }) => void;
  "delivery:dropped": (e: { item: BatchItem; error: DeliveryError }) => void;
  /** The durable queue was unavailable and a less durable one is used (e.g. IndexedDB → memory). */
  "store:fallback": (e: { from: string; to: string; reason: string }) => void;
}

/** Names of the bus's events. */
export type CloseloopEventName = keyof CloseloopEvents;

/** The typed event bus shared by clients, the outbox and the collector. */
export type CloseloopBus = EventEmitter<CloseloopEvents>;

/** Creates a typed eventemitter3 bus. */
export function createEventBus(): CloseloopBus {
  return new EventEmitter<CloseloopEvents>();
}
