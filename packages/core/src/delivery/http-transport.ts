import { type Issue, ValidationError } from "../errors.js";
import type { DeliveryError } from "../events.js";
import type { BatchItem, BatchResult } from "../schemas/batch.js";
import { timers } from "./clock.js";
import { isRetryableStatus, parseRetryAfter } from "./retry-policy.js";
import type { SendOptions, SendOutcome, Transport } from "./transport.js";

// Core compiles without DOM or Node types; these are the slices of the Fetch API it uses.
interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}
/** A WHATWG `fetch` (the global one in browsers and Node 20, or a wrapper of it). */
export type FetchFunction = (input: string, init: FetchInit) => Promise<unknown>;
/** The part of `RequestInit` the transport sets. */
export interface FetchInit {
  method: "POST";
  headers: Record<string, string>;
  body: string;
  keepalive?: boolean;
  signal: unknown;
}
interface Abort {
  readonly signal: unknown;
  abort(): void;
}
// The clock's typed `globalThis` (one module-level name for both files), seen with fetch too.
// Read through a cast at each use: an alias would take a top-level name of its own in a bundle
// (docs/size.md).
type Globals = typeof timers & { fetch: FetchFunction; AbortController: new () => Abort };

/** Options of `createHttpTransport`. */
export interface HttpTransportOptions {
  /** Base URL of the collector, e.g. `https://feedback.example.com` (the path `/v1/batch` is added). */
  endpoint: string;
  /** The public (`pk_…`) or secret (`sk_…`) key, sent as `authorization: Bearer <key>`. */
  key: string;
  /** A `fetch` to use instead of the global one (tests, proxies, custom agents). */
  fetch?: FetchFunction;
  /** Give up on a request after this long and retry it later. Default 10 s. */
  timeoutMs?: number;
}

/**
 * A `Transport` that speaks the collector's `POST /v1/batch` contract over HTTP with `fetch`. It
 * never throws: network errors and timeouts, 408/425/429 and 5xx (but 501/505) come back as
 * `retry` (with the server's `Retry-After`, in seconds or HTTP-date form); other statuses as
 * `refused` with the server's error; a 200 as per-item `accepted` / `rejected`.
 *
 * @example
 * const transport = createHttpTransport({ endpoint: "https://feedback.example.com", key: "pk_live_…" });
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const { key, timeoutMs = 10_000 } = options;
  const endpoint = typeof options.endpoint === "string" ? options.endpoint.replace(/\/+$/, "") : "";
  const issues: Issue[] = [];
  const check = (ok: boolean, path: string, code: string, message: string) =>
    ok || issues.push({ path, code, message });
  check(
    /^https?:\/\/[^\s/?#]+[^\s?#]*$/.test(endpoint),
    "endpoint",
    "invalid_url",
    "must be an absolute http(s) URL without a query",
  );
  check(typeof key === "string" && key.length > 0, "key", "required", "must be a non-empty key");
  check(timeoutMs > 0, "timeoutMs", "out_of_range", "must be positive");
  if (issues.length > 0) throw new ValidationError("http transport options", issues);
  return createHttpTransportUnchecked({ ...options, endpoint });
}

/**
 * `createHttpTransport` without its checks, for an SDK that checked the endpoint and key
 * itself. Internal to the Closeloop packages (docs/size.md); may change in any release.
 */
export function createHttpTransportUnchecked(options: HttpTransportOptions): Transport {
  const { endpoint, key, timeoutMs = 10_000 } = options;
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };

  return {
    async send(items: readonly BatchItem[], sendOptions: SendOptions = {}): Promise<SendOutcome> {
      // Plain fetch, not a client library: it is all this needs, and the browser's
      // capture-only entry has a 6 KB budget (ky alone cost 4 KB of it).
      const abort = new (timers as Globals).AbortController();
      const timer = timers.setTimeout(() => abort.abort(), timeoutMs);
      let response: FetchResponse;
      let body: unknown;
      try {
        // Called before the first await: a page being left sends only what starts at once.
        response = (await (options.fetch ?? (timers as Globals).fetch)(`${endpoint}/v1/batch`, {
          method: "POST",
          headers,
          body: JSON.stringify({ items }),
          keepalive: sendOptions.keepalive === true,
          signal: abort.signal,
        })) as FetchResponse;
        // An unreadable body is described by the status alone.
        body = await response.json().catch(() => undefined);
      } catch (e) {
        const timedOut = (abort.signal as { aborted?: boolean }).aborted;
        return {
          kind: "retry",
          error: timedOut
            ? { code: "timeout", message: `no answer within ${timeoutMs} ms` }
            : { code: "network", message: String((e as Error)?.message ?? e) },
        };
      } finally {
        timers.clearTimeout(timer);
      }
      const { status } = response;
      if (status === 200) {
        // A batch result, or something else answering 200 (a proxy's or a captive portal's page).
        const b = body as Partial<BatchResult> | null | undefined;
        return entries(b?.accepted, "id") && entries(b?.rejected, "code")
          ? { kind: "delivered", result: body as BatchResult }
          : {
              kind: "retry",
              error: {
                status,
                code: "bad_response",
                message: "the collector's answer is not a batch result",
              },
            };
      }
      // The collector answers errors as `{ error: { code, message, issues? } }`; anything else is described by its status.
      const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
      const error: DeliveryError = {
        status,
        code: typeof e?.code === "string" ? e.code : `http_${status}`,
        message:
          typeof e?.message === "string" ? e.message : `the collector answered HTTP ${status}`,
        issues: Array.isArray(e?.issues) ? e.issues : undefined,
      };
      if (!isRetryableStatus(status)) return { kind: "refused", error };
      return {
        kind: "retry",
        error,
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), Date.now()),
      };
    },
  };
}

/** Whether `list` holds entries with an integer `index` and a string `field`. */
const entries = (list: unknown, field: string) =>
  Array.isArray(list) &&
  list.every((x) => Number.isInteger(x?.index) && typeof x[field] === "string");
