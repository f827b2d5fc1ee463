/** @jsxImportSource hono/jsx */
import { LOOP_STATES } from "@closeloop/core";
import type { FC } from "hono/jsx";
import type { DeskUser, InboxQuery, InboxRow } from "../../store/desk-types.js";
import { age, due, money, segmentName } from "../format.js";
import { can } from "../roles.js";
import { Layout } from "./layout.js";

/** The filters of the inbox, as they appear in its URL. */
export interface InboxFilters {
  state?: string;
  survey?: string;
  journey?: string;
  region?: string;
  owner?: string;
  segment?: string;
  mine?: string;
  q?: string;
}

const TEXT_FILTERS = [
  ["survey", "Survey"],
  ["journey", "Journey"],
  ["region", "Region"],
  ["owner", "Owner"],
  ["segment", "Segment"],
] as const;

/** The page's URL with `changes` applied to its filters and offset. */
function link(filters: InboxFilters, offset: number): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  if (offset > 0) q.set("offset", String(offset));
  const s = q.toString();
  return s ? `/desk?${s}` : "/desk";
}

const Row: FC<{ row: InboxRow; now: string; money: boolean }> = ({ row, now, money: show }) => {
  const { loop } = row;
  return (
    <tr data-href={`/desk/loops/${encodeURIComponent(loop.id)}`} class={row.breached ? "late" : ""}>
      <td class="said">
        <a href={`/desk/loops/${encodeURIComponent(loop.id)}`}>
          {row.youSaid ?? `(${loop.source.kind} without text)`}
        </a>
      </td>
      <td class="num">{row.score ? `${row.score.value} ${row.score.type.toUpperCase()}` : "–"}</td>
      <td>{segmentName(loop.segment)}</td>
      {show && (
        <td class="num">{loop.customer?.value === undefined ? "–" : money(loop.customer.value)}</td>
      )}
      <td>{age(loop.openedAt, now)}</td>
      <td>
        {row.breached && <span class="badge late">breached</span>}{" "}
        {/* A closed loop owes nothing more: no deadline ahead. */}
        {loop.state !== "closed" && row.dueAt ? due(row.dueAt, now) : "–"}
      </td>
      <td>{loop.state}</td>
      <td>{loop.owner ?? "–"}</td>
    </tr>
  );
};

/** Open loops by urgency, with filters, search and paging. */
export const InboxPage: FC<{
  user: DeskUser;
  rows: InboxRow[];
  total: number;
  query: InboxQuery;
  filters: InboxFilters;
}> = ({ user, rows, total, query, filters }) => {
  const showMoney = can(user.role, "lead");
  const from = total === 0 ? 0 : query.offset + 1;
  const to = query.offset + rows.length;
  return (
    <Layout title="Inbox" user={user}>
      <h1>{filters.state === "closed" ? "Closed loops" : "Open loops"}</h1>
      <form method="get" action="/desk" class="filters" aria-label="Filter the inbox">
        <label>
          Search what customers wrote
          <input type="search" name="q" value={filters.q ?? ""} />
        </label>
        <label>
          State
          <select name="state">
            <option value="">every open state</option>
            {LOOP_STATES.filter((s) => s !== "captured").map((s) => (
              <option value={s} selected={filters.state === s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {TEXT_FILTERS.map(([name, label]) => (
          <label>
            {label}
            <input name={name} value={filters[name] ?? ""} />
          </label>
        ))}
        <label class="check">
          <input type="checkbox" name="mine" value="1" checked={filters.mine === "1"} />
          Mine
        </label>
        <button type="submit">Filter</button>
      </form>
      <p class="count" aria-live="polite" id="count" data-total={String(total)}>
        {total === 0 ? "No open loops match." : `${from}–${to} of ${total}, most urgent first`}
      </p>
      <table class="inbox" id="inbox">
        <thead>
          <tr>
            <th scope="col">Customer said</th>
            <th scope="col">Score</th>
            <th scope="col">Segment</th>
            {showMoney && <th scope="col">Value</th>}
            <th scope="col">Age</th>
            <th scope="col">Deadline</th>
            <th scope="col">State</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <Row row={row} now={query.now} money={showMoney} />
          ))}
        </tbody>
      </table>
      <nav class="pages" aria-label="Pages">
        {query.offset > 0 && (
          <a href={link(filters, Math.max(0, query.offset - query.limit))} rel="prev">
            Previous page
          </a>
        )}
        {to < total && (
          <a href={link(filters, to)} rel="next">
            Next page
          </a>
        )}
      </nav>
      <p class="hint">Keys: j and k move, Enter opens.</p>
    </Layout>
  );
};
