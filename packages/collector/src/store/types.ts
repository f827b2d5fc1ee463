import type {
  ClosureNotice,
  CustomerEvent,
  Feedback,
  FeedbackPolicy,
  Loop,
  LoopPage,
  LoopState,
  MetricsQuery,
  MetricsReport,
  Response,
  Survey,
} from "@closeloop/core";
import type { DeskStore } from "./desk-types.js";
import type { MetricsOptions } from "./metrics-report.js";
import type { StoredRiskSignal } from "./risk-signals.js";
import type { WebhookStore, WebhookTx } from "./webhook-types.js";

// The collector's storage port. `sqliteStore(path)` and `postgresStore(url)` implement it and
// pass one conformance suite. Everything is scoped by environment (`envId`): one set of keys,
// surveys and loops. Values cross the port as core's domain objects; how they are laid out in
// tables is each store's business. Timestamps are ISO-8601 strings, as everywhere in Closeloop.

/** An environment: one set of keys, surveys, loops. */
export interface Environment {
  id: string;
  name: string;
  createdAt: string;
}

/** `public` keys (`pk_…`) may only ingest and read surveys and closures; `secret` (`sk_…`) may do everything. */
export type KeyKind = "public" | "secret";

/** A key as stored. Lookups go by `hash`, so no comparison of the key itself ever runs on a request. */
export interface KeyRecord {
  /** Stable id for listing and rotating (`key_…`), not the key. */
  id: string;
  envId: string;
  kind: KeyKind;
  /** SHA-256 of the key, hex. */
  hash: string;
  /** The key's first characters (`pk_live_ab…`), to tell keys apart in a listing. */
  prefix: string;
  /**
   * The secret key itself: respondent tokens are `HMAC-SHA256(secretKey, respondentId)`, so the
   * collector must hold it to check them. Absent for public keys.
   */
  secret?: string;
  createdAt: string;
  revokedAt?: string;
}

/** A response as stored: the wire response plus when it arrived and the segment it fell in. */
export interface StoredResponse extends Response {
  receivedAt: string;
  /** Set once finished: the segment its scoring answer fell in. */
  segment?: string;
}

/** A feedback item as stored: it always has an id (the collector assigns one when absent). */
export interface StoredFeedback extends Feedback {
  id: string;
  receivedAt: string;
}

/** Who a closure notice is for: a verified respondent id or a browser's anonymous id. */
export type RespondentRef = { id: string } | { anonymousId: string };

/** What the store keeps beside a loop so that queries need not parse its history. */
export interface LoopMeta {
  /** Who the loop's customer is, for closures and risk signals. */
  respondent?: RespondentRef;
  /** Current deadlines, from core's `deadlines(loop)`; the sweeper scans them. */
  acknowledgeBy?: string;
  closeBy?: string;
  /** The scoring answer of the response that opened the loop: what score metrics and risk signals count. */
  score?: LoopScore;
  /** What the customer wrote, quoted (at most 280 characters) as a closure notice's `youSaid`. */
  youSaid?: string;
}

/** One entry of a respondent's score history. */
export interface ScoredLoop {
  loopId: string;
  /** When the loop opened (ISO-8601). */
  at: string;
  score: number;
  segment: string;
}

/** A response's scoring answer: its question's type and the value given. */
export interface LoopScore {
  type: "nps" | "csat" | "ces" | "rating";
  value: number;
}

/** Filters of `GET /v1/loops`; all optional, combined with AND. */
export interface LoopFilter {
  /** One state, or any of several (e.g. every open state, for a loop desk). */
  state?: LoopState | readonly LoopState[];
  /**
   * Only loops for which core's `isBreached(loop, now)` holds (true), or only the others (false):
   * a deadline of the current cycle still pending and past, or met late (late stays breached).
   */
  breached?: boolean;
  /** The instant `breached` is judged at; the current time when absent. */
  now?: string;
  owner?: string;
  surveyId?: string;
  journey?: string;
}

/** An idempotency record: the first id a key produced, and what it was first used for. */
export interface IdempotencyRecord {
  type: string;
  id: string;
  /** A digest of the item that claimed the key; absent on keys claimed before schema step 7. */
  digest?: string;
}

/** What may be read and written inside one `transaction`: the ingest and transition paths. */
export interface StoreTx extends WebhookTx {
  /**
   * Optional: announces the idempotency keys a batch will claim and the responses it will read,
   * so that a store can read them all at once (PostgreSQL: two statements for the batch, not two
   * per item; SQLite: a batch of new responses and feedback is written by a writer thread). The
   * calls that follow answer exactly as they would have without it. When another transaction
   * claims one of these keys before this one writes it, or (SQLite) `fn` goes where that path
   * does not, the store may run `fn` again from the start (`docs/stores.md`, Batched writes on
   * PostgreSQL, Ingest on a writer thread): call it only from an `fn` that writes nothing but
   * through `tx`.
   */
  prefetchBatch?(
    envId: string,
    batch: {
      keys: readonly string[];
      responseIds: readonly string[];
      /** Each item's type, in the batch's order (optional: a store may pick its way by them). */
      itemTypes?: readonly string[];
      /**
       * The identified respondents of its responses, whose score histories `fn` may read
       * (optional: a store may lock and read them all at once).
       */
      respondentIds?: readonly string[];
    },
  ): Promise<void>;
  /**
   * Records that `key` produced `id`, unless it already did: then answers the first record and
   * writes nothing. Concurrent claims of one key (two collectors) resolve to one winner.
   */
  claimIdempotency(
    envId: string,
    key: string,
    record: IdempotencyRecord,
    at: string,
  ): Promise<IdempotencyRecord | undefined>;
  /** The response, locked for update until the transaction ends. */
  getResponse(envId: string, id: string): Promise<StoredResponse | undefined>;
  /** Inserts or replaces a response (partial responses are merged by the caller, then put). */
  putResponse(envId: string, response: StoredResponse): Promise<void>;
  /** Inserts once per `(envId, id)`: a replay of the same id is a no-op, not an error. */
  insertFeedback(envId: string, feedback: StoredFeedback): Promise<void>;
  /** Inserts once per `(envId, id)`: a replay of the same id is a no-op, not an error. */
  insertCustomerEvent(envId: string, id: string, event: CustomerEvent): Promise<void>;
  /** The loop, locked for update until the transaction ends. */
  getLoop(envId: string, id: string): Promise<Loop | undefined>;
  /** The loop a response or feedback item opened, locked for update. */
  getLoopBySource(envId: string, source: Loop["source"]): Promise<Loop | undefined>;
  /**
   * Inserts or replaces a loop (its whole history) with what queries need beside it. Rejects a
   * second loop for the same source. Deadlines for `breached` are derived from the loop itself.
   */
  putLoop(envId: string, loop: Loop, meta: LoopMeta): Promise<void>;
  /** What `putLoop` stored beside the loop. */
  getLoopMeta(envId: string, id: string): Promise<LoopMeta | undefined>;
  /**
   * Every scoring answer of one type that opened a loop for this respondent, oldest first (by
   * opening time, then loop id): what risk signals are judged on. Until the transaction ends,
   * another transaction reading the same respondent's history waits (PostgreSQL: an advisory
   * lock; SQLite writes are serial anyway), so two concurrent answers each see the other.
   */
  scoreHistory(envId: string, respondentId: string, type: LoopScore["type"]): Promise<ScoredLoop[]>;
  /**
   * Keeps a risk signal an answer raised, for the metrics' customers at risk. Once per
   * `(loopId, reason)`: a replay is a no-op.
   */
  putRiskSignal(envId: string, signal: StoredRiskSignal): Promise<void>;
  putClosureNotice(envId: string, notice: ClosureNotice, respondent: RespondentRef): Promise<void>;
  /** The notice, locked for update. */
  getClosureNotice(envId: string, id: string): Promise<ClosureNotice | undefined>;
}

/** The collector's storage. Every method may reject; the collector answers 503 then. */
export interface CollectorStore extends DeskStore {
  readonly kind: "sqlite" | "postgres";
  /** Webhook endpoints and the durable delivery queue (`docs/webhooks.md`). */
  readonly webhooks: WebhookStore;
  /** Creates or upgrades the schema; safe to call on every start and from many collectors at once. */
  migrate(): Promise<void>;
  /** Throws when the store cannot be reached (`/healthz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs `fn` in one transaction: all its writes or none. Rows read through `tx` stay locked
   * until it ends, so concurrent transitions of one loop are serialised. Rejections roll back.
   * Inside `fn` use `tx`: `transaction`, `migrate` and the write methods reject when called from
   * `fn` (they would wait for `fn` itself). Reads outside `tx` see committed data only. `fn` must
   * not wait for another transaction to settle: on SQLite, transactions queued together share one
   * COMMIT, each `fn` in its own savepoint (see `sqliteStore`).
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;

  createEnvironment(env: Environment): Promise<void>;
  /**
   * First start, atomic across collectors sharing the store: when the store has no environment
   * yet, creates `env` with `keys` (their `envId` is `env.id`) and answers `env`; otherwise
   * writes nothing and answers the first environment. Collectors that call it at once make one
   * environment, and every one of them learns which (PostgreSQL: an advisory lock; SQLite: the
   * file's write lock).
   */
  createFirstEnvironment(env: Environment, keys: readonly KeyRecord[]): Promise<Environment>;
  listEnvironments(): Promise<Environment[]>;
  addKey(key: KeyRecord): Promise<void>;
  /** The key with this hash, revoked or not (the caller refuses revoked keys). */
  findKey(hash: string): Promise<KeyRecord | undefined>;
  listKeys(envId?: string): Promise<KeyRecord[]>;
  /** Sets `revokedAt` once (a second revocation keeps the first time); unknown ids are a no-op. */
  revokeKey(id: string, at: string): Promise<void>;

  /**
   * Stores a survey version and makes it the active one for its id, unless a higher version is
   * already stored (versions only move forward). Answers `conflict` when that version exists with
   * other content (versions are immutable), `unchanged` when it is the same (key order aside).
   */
  publishSurvey(
    envId: string,
    survey: Survey,
    at: string,
  ): Promise<"published" | "unchanged" | "conflict">;
  /** The active version of every survey, by survey id. */
  activeSurveys(envId: string): Promise<Survey[]>;
  getSurvey(envId: string, id: string, version: number): Promise<Survey | undefined>;
  setFeedbackPolicy(envId: string, policy: FeedbackPolicy, at: string): Promise<void>;
  getFeedbackPolicy(envId: string): Promise<FeedbackPolicy | undefined>;
  /**
   * Replaces the origins the environment's public-key routes answer browsers from, as given
   * (validated by the caller; `["*"]` is any origin, `[]` none). See `docs/collector.md`.
   */
  setAllowedOrigins(envId: string, origins: readonly string[], at: string): Promise<void>;
  /** The origins last set, in their order; `undefined` when never set (any origin). */
  getAllowedOrigins(envId: string): Promise<string[] | undefined>;

  getLoop(envId: string, id: string): Promise<Loop | undefined>;
  listLoops(
    envId: string,
    filter: LoopFilter,
    page: { after?: string; limit: number },
  ): Promise<LoopPage>;
  /** Closure notices for one respondent, oldest first, unseen and seen. */
  closures(envId: string, respondent: RespondentRef): Promise<ClosureNotice[]>;
  getResponse(envId: string, id: string): Promise<StoredResponse | undefined>;
  /** The metrics of `GET /v1/metrics`, aggregated in SQL (`docs/metrics.md`). */
  metrics(envId: string, query: MetricsQuery, options?: MetricsOptions): Promise<MetricsReport>;
}
