import { CloseloopError, type Issue, parseRetryAfter } from "@closeloop/core";
import type { KyInstance } from "ky";

/**
 * ky, imported at the first API call rather than with the package: it reaches for the global
 * `Request` as it loads, which makes Node load undici (~7 MB of RSS), and a client that only
 * captures never needs either (its deliveries go over node:http, node-fetch.ts).
 */
const loadKy = () => import("ky");

/** The collector answered a request with an error. */
export class CollectorError extends CloseloopError {
  /** HTTP status (0 when the collector could not be reached or did not answer in time). */
  readonly status: number;
  readonly issues: readonly Issue[];
  constructor(status: number, code: string, message: string, issues: readonly Issue[] = []) {
    super(code, message);
    this.name = "CollectorError";
    this.status = status;
    this.issues = issues;
  }
}

/**
 * One authenticated JSON request to the collector's API; `once` turns the retries off for a
 * request whose answer cannot be had twice.
 */
export type CollectorCall = <T>(
  method: string,
  path: string,
  body?: unknown,
  options?: { once?: boolean },
) => Promise<T>;

/** How long one attempt of an API call may take by default. */
export const DEFAULT_API_TIMEOUT_MS = 10_000;

/** Options of {@link collectorCall}. */
export interface CollectorCallOptions {
  /** Per attempt, in ms; default {@link DEFAULT_API_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Retries of an idempotent request (GET, PUT, DELETE); default 2. */
  retries?: number;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

/**
 * Requests with the secret key through one ky instance. GET, PUT and DELETE are retried (a few
 * times, after `Retry-After` when the collector sends one); a POST never is, since a loop move
 * or a secret rotation must not happen twice. Every refusal becomes a `CollectorError` carrying
 * the server's code and issues; an unreachable collector, or one that does not answer in time,
 * one with status 0.
 */
export function collectorCall(
  endpoint: string,
  secretKey: string,
  options: CollectorCallOptions = {},
): CollectorCall {
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  let instance: Promise<KyInstance> | undefined;
  const create = async (): Promise<KyInstance> => {
    const { default: ky, HTTPError } = await loadKy();
    return ky.create({
      prefixUrl: endpoint,
      headers: { authorization: `Bearer ${secretKey}` },
      timeout: timeoutMs,
      retry: {
        limit: options.retries ?? 2,
        methods: ["get", "put", "delete"],
        // Not 413: a body too large stays too large.
        statusCodes: [408, 429, 500, 502, 503, 504],
        afterStatusCodes: [429, 503],
        // A wait longer than an attempt may take is not worth it: the caller gets the refusal now
        // rather than a retry sooner than the collector asked for (ky would shorten the wait).
        shouldRetry: ({ error }) =>
          error instanceof HTTPError &&
          (parseRetryAfter(error.response.headers.get("retry-after"), Date.now()) ?? 0) > timeoutMs
            ? false
            : undefined,
      },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  };
  return async <T>(
    method: string,
    path: string,
    body?: unknown,
    { once = false }: { once?: boolean } = {},
  ): Promise<T> => {
    let text: string;
    try {
      // ky joins prefixUrl and the path itself and refuses a leading slash.
      instance ??= create();
      const api = await instance;
      const res = await api(path.replace(/^\/+/, ""), {
        method,
        json: body,
        ...(once ? { retry: 0 } : {}),
      });
      text = await res.text();
    } catch (e) {
      throw await toCollectorError(e, method, path, timeoutMs);
    }
    return parseJson(text) as T;
  };
}

/** The one place where what ky throws becomes a `CollectorError`, as the API documents it. */
async function toCollectorError(
  e: unknown,
  method: string,
  path: string,
  timeoutMs: number,
): Promise<CollectorError> {
  const { HTTPError, TimeoutError } = await loadKy();
  if (e instanceof HTTPError) {
    const status = e.response.status;
    let text = "";
    try {
      text = await e.response.text();
    } catch {}
    const error = (
      parseJson(text) as { error?: { code?: string; message?: string; issues?: Issue[] } }
    )?.error;
    return new CollectorError(
      status,
      error?.code ?? `http_${status}`,
      error?.message ?? `HTTP ${status}`,
      error?.issues ?? [],
    );
  }
  if (e instanceof TimeoutError) {
    return new CollectorError(
      0,
      "timeout",
      `The collector did not answer ${method} ${path} within ${timeoutMs} ms`,
    );
  }
  return new CollectorError(0, "network", `Could not reach the collector: ${(e as Error).message}`);
}

/** The body's JSON; `undefined` when it is empty or not JSON (a proxy's HTML error page). */
function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** `?k=v&…` of the defined fields of `query`, or `""` when there are none. */
export function queryString(query: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const qs = q.toString();
  return qs ? `?${qs}` : "";
}
