import { CloseloopError, type Issue, type Loop, type LoopState } from "@closeloop/core";

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

/** Filters of `loops.list`. */
export interface LoopQuery {
  state?: LoopState;
  breached?: boolean;
  owner?: string;
  survey?: string;
  journey?: string;
  limit?: number;
  cursor?: string;
}

/** Who moves a loop, and what they say. */
export interface Move {
  actor: string;
  note?: string;
}

/** Acting on loops from your own tools (support desk, CRM, scripts), with the secret key. */
export interface LoopsApi {
  list(query?: LoopQuery): Promise<{ loops: Loop[]; next?: string }>;
  get(id: string): Promise<Loop>;
  acknowledge(id: string, move: Move): Promise<Loop>;
  assign(id: string, move: Move & { owner?: string }): Promise<Loop>;
  /** With `message`, the respondent is shown it in-app and the loop closes when they see it. */
  resolve(id: string, move: Move & { message?: string }): Promise<Loop>;
  /** For customers you told by your own means: `informedVia` (`email`, `call`, …) and the message. */
  close(id: string, move: Move & { informedVia: string; message: string }): Promise<Loop>;
  reopen(id: string, move: Move): Promise<Loop>;
}

/** The loops API over HTTP: typed `CollectorError`s for every refusal, with the server's issues. */
export function loopsApi(
  endpoint: string,
  secretKey: string,
  fetchFn: typeof fetch = fetch,
): LoopsApi {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
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
  }
  const move = (id: string, to: LoopState, body: object) =>
    call<Loop>("POST", `/v1/loops/${encodeURIComponent(id)}/transitions`, { to, ...body });
  return {
    list(query = {}) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
      const qs = q.toString();
      return call("GET", `/v1/loops${qs ? `?${qs}` : ""}`);
    },
    get: (id) => call("GET", `/v1/loops/${encodeURIComponent(id)}`),
    acknowledge: (id, m) => move(id, "acknowledged", m),
    assign: (id, m) => move(id, "assigned", m),
    resolve: (id, m) => move(id, "resolved", m),
    close: (id, m) => move(id, "closed", m),
    reopen: (id, m) => move(id, "reopened", m),
  };
}
