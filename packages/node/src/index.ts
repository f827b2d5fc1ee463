/**
 * `@closeloop/node` — Closeloop on Node.js.
 *
 * Today it re-exports the core domain (survey definitions and the no-partial-loop gate,
 * feedback policies, the loop state machine, metrics) for backends. The client, the file
 * outbox, the collector with its SQLite and PostgreSQL stores, webhooks and the `closeloop`
 * CLI build on it.
 *
 * @packageDocumentation
 */

export * from "@closeloop/core";

/** The version of this package. */
export const VERSION = "0.1.0";
