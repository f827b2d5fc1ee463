import { CloseloopError, type Issue } from "@closeloop/core";

/** The collector answered a request with an error. */
export class CollectorError extends CloseloopError {
  /** HTTP status (0 when the collector could not be reached). */
  readonly status: number;
  readonly issues: readonly Issue[];
  constructor(status: number, code: string, message: string, issues: readonly Issue[] = []) {
    super(code, message);
    this.status = status;
    this.issues = issues;
  }
}

/** One authenticated JSON request to the collector's API. */
export type CollectorCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * Requests with the secret key; every refusal becomes a `CollectorError` carrying the server's
 * code and issues, and an unreachable collector one with status 0.
 */
export function collectorCall(
  endpoint: string,
  secretKey: string,
  fetchFn: typeof fetch = fetch,
): CollectorCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetchFn(endpoint + path, {
        method,
        headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      throw new CollectorError(
        0,
        "network",
        `Could not reach the collector: ${(e as Error).message}`,
      );
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const e = (parsed as { error?: { code?: string; message?: string; issues?: Issue[] } })
        ?.error;
      throw new CollectorError(
        res.status,
        e?.code ?? `http_${res.status}`,
        e?.message ?? `HTTP ${res.status}`,
        e?.issues ?? [],
      );
    }
    return parsed as T;
  };
}

/** `?k=v&…` of the defined fields of `query`, or `""` when there are none. */
export function queryString(query: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const qs = q.toString();
  return qs ? `?${qs}` : "";
}
