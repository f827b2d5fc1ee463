/**
 * `@closeloop/browser/lite` — capture only: `init`, `identify`, `track`, `captureFeedback` and
 * the durable outbox (IndexedDB, then localStorage, then memory; one tab flushing; a
 * `keepalive` flush when the page is left), with no survey widget. For pages that send
 * feedback from their own UI. Importing it has no side effects and touches no `window`.
 *
 * @packageDocumentation
 * @module @closeloop/browser/lite
 */

import { createBase, type LiteClient } from "./client/base.js";
import type { InitOptions } from "./client/options.js";

export type { CloseloopError, ValidationError } from "@closeloop/core";
export type { FeedbackCapture, LiteClient } from "./client/base.js";
export type { ClientEvents } from "./client/events.js";
export type { Identity, InitOptions } from "./client/options.js";

/**
 * Starts the capture-only client. Throws `ValidationError` naming every bad option; after
 * that nothing is thrown at the page — background failures are `error` events.
 *
 * @example
 * import { init } from "@closeloop/browser/lite";
 * const closeloop = init({ endpoint: "https://feedback.example.com", publicKey: "pk_…" });
 * await closeloop.captureFeedback({ text: "The export button is hard to find", category: "idea" });
 */
export function init(options: InitOptions): LiteClient {
  return createBase(options)[0];
}
