import { CloseloopError, type FeedbackPolicy, type Issue, type Survey } from "@closeloop/core";
import type { KeyKind, StoreTx } from "../store/types.js";

/** What every item handler gets: the transaction, who sent the batch, and cached lookups. */
export interface IngestContext {
  tx: StoreTx;
  envId: string;
  /** The kind of key the batch came with: a secret key is a trusted backend. */
  keyKind: KeyKind;
  /** When the batch arrived (ISO-8601): `receivedAt` and the time of every transition it makes. */
  now: string;
  survey(id: string, version: number): Promise<Survey | undefined>;
  feedbackPolicy(): Promise<FeedbackPolicy | undefined>;
  /** The environment's live secret keys, to check respondent tokens. */
  secretKeys(): Promise<string[]>;
}

/** An item's fate: accepted with the id it produced, or rejected for good with why. */
export type ItemOutcome =
  | { id: string; duplicate?: boolean }
  | { reject: { code: string; message: string; issues?: Issue[] } };

/**
 * Rejects an item: the collector will never take it as sent. A `CloseloopError`, like every
 * domain refusal, so the batch answers them all the same way (`rejected[]` with code, message
 * and issues).
 */
export class ItemRejection extends CloseloopError {
  declare readonly issues: Issue[] | undefined;
  constructor(code: string, message: string, issues?: Issue[]) {
    super(code, message);
    this.name = "ItemRejection";
    this.issues = issues;
  }
}
