import type { CollectorStore } from "../store/types.js";

/** What route handlers share. */
export interface RouteDeps {
  store: CollectorStore;
  /** The current time (ISO-8601). */
  now(): string;
  /** Limits on request bodies and batches. */
  limits: { maxBodyBytes: number; maxBatchItems: number };
  /** An environment's live secret keys (cached briefly), to check respondent tokens. */
  secretKeys(envId: string): Promise<string[]>;
  /** The origins an environment's public-key routes answer browsers from (cached briefly); `undefined`: any. */
  allowedOrigins(envId: string): Promise<readonly string[] | undefined>;
  /** Drops this collector's cached allowed origins of an environment, after it changed them. */
  forgetAllowedOrigins(envId: string): void;
}
