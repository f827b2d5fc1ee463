import { type Issue, ValidationError } from "../errors.js";
import type { DeliveryError } from "../events.js";
import type { BatchItem, BatchResult } from "../schemas/batch.js";
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
interface Globals {
  fetch: FetchFunction;
  AbortController: new () => Abort;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const g = globalThis as unknown as Globals;

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
  const issues: Issue[] = [];
  const endpoint = typeof options.endpoint === "string" ? options.endpoint.replace(/\/+$/, "") : "";
  if (!/^https?:\/\/[^\s/?#]+[^\s?#]*$/.test(endpoint)) {
    issues.push({
      path: "endpoint",
      code: "invalid_url",
      message: "must be an absolute http(s) URL without a query",
    });
  }
  if (typeof options.key !== "string" || options.key.length === 0) {
    issues.push({ path: "key", code: "required", message: "must be a non-empty key" });
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0)) {
    issues.push({ path: "timeoutMs", code: "out_of_range", message: "must be positive" });
  }
  if (issues.length > 0) throw new ValidationError("http transport options", issues);
  const target = `${endpoint}/v1/batch`;
  const headers = {
    authorization: `Bearer ${options.key}`,
    "content-type": "application/json",
  };

  return {
    async send(items: readonly BatchItem[], sendOptions: SendOptions = {}): Promise<SendOutcome> {
      // Plain fetch, not a client library: it is all this needs, and the browser's
      // capture-only entry has a 6 KB budget (ky alone cost 4 KB of it).
      const abort = new g.AbortController();
      const timer = g.setTimeout(() => abort.abort(), timeoutMs);
      let response: FetchResponse;
      let body: unknown;
      try {
        const init: FetchInit = {
          method: "POST",
          headers,
          body: JSON.stringify({ items }),
          signal: abort.signal,
        };
        if (sendOptions.keepalive) init.keepalive = true;
        response = (await (options.fetch ?? g.fetch)(target, init)) as FetchResponse;
        body = await readJson(response);
      } catch (e) {
        const timedOut = (abort.signal as { aborted?: boolean }).aborted === true;
        return {
          kind: "retry",
          error: {
            code: timedOut ? "timeout" : "network",
            message: timedOut
              ? `no answer within ${timeoutMs} ms`
              : String((e as Error)?.message ?? e),
          },
        };
      } finally {
        g.clearTimeout(timer);
      }
      if (response.status === 200) {
        if (isBatchResult(body)) return { kind: "delivered", result: body };
        return {
          kind: "retry",
          error: {
            status: 200,
            code: "bad_response",
            message: "the collector's answer is not a batch result",
          },
        };
      }
      const error = errorOf(response.status, body);
      if (isRetryableStatus(response.status)) {
        const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
        return retryAfterMs === undefined
          ? { kind: "retry", error }
          : { kind: "retry", error, retryAfterMs };
      }
      return { kind: "refused", error };
    },
  };
}

async function readJson(response: FetchResponse): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** The collector answers errors as `{ error: { code, message, issues? } }`; anything else is described by its status. */
function errorOf(status: number, body: unknown): DeliveryError {
  const e = (
    body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined
  )?.error;
  const error: DeliveryError = {
    status,
    code: typeof e?.code === "string" ? e.code : `http_${status}`,
    message: typeof e?.message === "string" ? e.message : `the collector answered HTTP ${status}`,
  };
  if (Array.isArray(e?.issues)) error.issues = e.issues as DeliveryError["issues"] & object;
  return error;
}

function isBatchResult(body: unknown): body is BatchResult {
  const b = body as BatchResult | undefined;
  return (
    typeof b === "object" &&
    b !== null &&
    Array.isArray(b.accepted) &&
    Array.isArray(b.rejected) &&
    b.accepted.every((a) => Number.isInteger(a?.index) && typeof a.id === "string") &&
    b.rejected.every((r) => Number.isInteger(r?.index) && typeof r.code === "string")
  );
}
