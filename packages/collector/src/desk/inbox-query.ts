import { LOOP_STATES, type LoopState } from "@closeloop/core";
import type { DeskUser, InboxQuery } from "../store/desk-types.js";
import type { InboxFilters } from "./pages/inbox.js";

/** Rows on one inbox page. */
const PAGE = 50;
// The states the inbox filters by: every open one, and `closed` to find a loop once it is done.
const INBOX_STATES = LOOP_STATES.filter((s) => s !== "captured");

/** The inbox's query from its URL; unknown values are ignored, never an error page. */
export function inboxQuery(
  q: Record<string, string>,
  user: DeskUser,
  at: string,
): { query: InboxQuery; filters: InboxFilters } {
  const filters: InboxFilters = {};
  const query: InboxQuery = { now: at, offset: 0, limit: PAGE };
  const text = (name: keyof InboxFilters) => {
    const v = q[name]?.trim();
    if (v) filters[name] = v.slice(0, 200);
    return filters[name];
  };
  const state = text("state");
  if (state && (INBOX_STATES as readonly string[]).includes(state)) {
    query.states = [state as LoopState];
  } else delete filters.state;
  const set = <K extends "surveyId" | "journey" | "region" | "owner" | "segment">(
    key: K,
    name: keyof InboxFilters,
  ) => {
    const v = text(name);
    if (v) query[key] = v;
  };
  set("surveyId", "survey");
  set("journey", "journey");
  set("region", "region");
  set("owner", "owner");
  set("segment", "segment");
  if (q.mine === "1") {
    filters.mine = "1";
    query.owner = user.handle;
  }
  const search = text("q");
  if (search) query.search = search;
  const offset = Number(q.offset);
  if (Number.isInteger(offset) && offset > 0) query.offset = offset;
  return { query, filters };
}
