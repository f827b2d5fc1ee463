// Desk rows → the desk's records, on both stores: only how a driver answers JSON, instants and
// booleans differs, and that is passed in (row-readers.ts).
import type { Loop } from "@closeloop/core";
import type { InboxRow } from "./desk-types.js";
import type { ColumnReader } from "./row-readers.js";
import type { LoopMeta } from "./types.js";

/** A row of `desk-query.ts`'s columns. */
export interface DeskRow<Json, Instant> {
  data: Json;
  meta: Json;
  breached: boolean | number;
  due_at: Instant | null;
}

/** The inbox row a desk query's row stands for. */
export function inboxRow<J, I>(read: ColumnReader<J, I>, row: DeskRow<J, I>): InboxRow {
  const meta = read.json<LoopMeta>(row.meta);
  const out: InboxRow = { loop: read.json<Loop>(row.data), breached: Boolean(row.breached) };
  if (meta.youSaid) out.youSaid = meta.youSaid;
  if (meta.score) out.score = meta.score;
  if (row.due_at !== null) out.dueAt = read.iso(row.due_at);
  return out;
}

/** Who a loop's earlier loops are looked up by: the customer, else the respondent, else the browser. */
export function customerOf(
  loop: Loop,
  meta: LoopMeta | undefined,
): { column: "customer_id" | "respondent_id" | "anonymous_id"; value: string } | undefined {
  if (loop.customer?.id) return { column: "customer_id", value: loop.customer.id };
  const r = meta?.respondent;
  if (r && "id" in r) return { column: "respondent_id", value: r.id };
  if (r && "anonymousId" in r) return { column: "anonymous_id", value: r.anonymousId };
  return undefined;
}
