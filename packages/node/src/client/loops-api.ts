import type { Loop, LoopState } from "@closeloop/core";
import { type CollectorCall, queryString } from "./http.js";

/** Filters of `loops.list`. */
export interface LoopQuery {
  /** One state, or any of several (`["received", "acknowledged", "assigned"]`). */
  state?: LoopState | readonly LoopState[];
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
  /**
   * For customers you told by your own means: `informedVia` (`email`, `call`, …) and what they
   * were told; without `message`, the message the loop was resolved with.
   */
  close(id: string, move: Move & { informedVia: string; message?: string }): Promise<Loop>;
  reopen(id: string, move: Move): Promise<Loop>;
}

/** The loops API over HTTP: typed `CollectorError`s for every refusal, with the server's issues. */
export function loopsApi(call: CollectorCall): LoopsApi {
  const move = (id: string, to: LoopState, body: object) =>
    call<Loop>("POST", `/v1/loops/${encodeURIComponent(id)}/transitions`, { to, ...body });
  return {
    list: (query = {}) => call("GET", `/v1/loops${queryString(query)}`),
    get: (id) => call("GET", `/v1/loops/${encodeURIComponent(id)}`),
    acknowledge: (id, m) => move(id, "acknowledged", m),
    assign: (id, m) => move(id, "assigned", m),
    resolve: (id, m) => move(id, "resolved", m),
    close: (id, m) => move(id, "closed", m),
    reopen: (id, m) => move(id, "reopened", m),
  };
}
