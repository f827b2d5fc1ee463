import type * as z from "zod/mini";
import { LoopTransitionError } from "../errors.js";
import { uuidv7 } from "../id.js";
import { ID_PATTERN, INFORMED_VIA_PATTERN, isTimestamp } from "../patterns.js";
import type { Customer } from "../schemas/feedback.js";
import type { Loop, LoopEvent, LoopSchema, LoopState } from "../schemas/loop.js";
import type { Route } from "../schemas/loop-policy.js";

/**
 * The moves the loop state machine allows (docs/concepts.md, "The loop"). `acknowledged → closed` is only for routes
 * with `action: "none"`, where no human step is owed; `assigned → assigned` reassigns.
 */
export const TRANSITIONS: Readonly<Record<LoopState, readonly LoopState[]>> = {
  captured: ["received"],
  received: ["acknowledged"],
  acknowledged: ["assigned", "closed"],
  assigned: ["assigned", "resolved"],
  resolved: ["closed", "reopened"],
  closed: ["reopened"],
  reopened: ["acknowledged"],
};

/** States in which the loop is still owed to the customer. */
export const OPEN_STATES: ReadonlySet<LoopState> = new Set([
  "captured",
  "received",
  "acknowledged",
  "assigned",
  "resolved",
  "reopened",
]);

/** Whether the loop state machine allows `from → to` for a route with the given action. */
export function canTransition(from: LoopState, to: LoopState, action: Route["action"]): boolean {
  if (from === "acknowledged" && to === "closed") return action === "none";
  return TRANSITIONS[from].includes(to);
}

/** What `createLoop` needs: the source, its segment and route, and when it was received. */
export interface CreateLoopInput {
  /** Defaults to a UUIDv7. */
  id?: string;
  source: { kind: "response" | "feedback"; id: string };
  segment: string;
  route: Route;
  /** When the response or feedback was received (ISO-8601). */
  at: string;
  actor?: string;
  context?: z.input<typeof LoopSchema>["context"];
  customer?: Customer;
}

/**
 * Opens a loop in state `received` for one finished response or feedback item.
 *
 * @example
 * const loop = createLoop({ source: { kind: "response", id: r.id }, segment: "detractor",
 *   route: survey.loop.routes.detractor, at: new Date().toISOString() });
 */
export function createLoop(input: CreateLoopInput): Loop {
  if (!isTimestamp(input.at)) {
    throw new LoopTransitionError(
      "none",
      "received",
      "invalid_options",
      `"at" must be an ISO-8601 timestamp`,
    );
  }
  const loop: Loop = {
    id: input.id ?? uuidv7(Date.parse(input.at)),
    source: { ...input.source },
    segment: input.segment,
    route: input.route,
    state: "received",
    openedAt: input.at,
    updatedAt: input.at,
    context: { ...input.context },
    events: [{ from: null, to: "received", actor: input.actor ?? "system", at: input.at }],
  };
  if (input.route.owner) loop.owner = input.route.owner;
  if (input.customer) loop.customer = input.customer;
  return loop;
}

/** Who moves the loop and why. `closed` needs `informedVia` and `message`; `assigned` needs an owner (given here or on the route). */
export interface TransitionOptions {
  actor: string;
  /** When (ISO-8601); never earlier than the loop's last event. */
  at: string;
  note?: string;
  /** What the customer was or will be told. */
  message?: string;
  /** How the customer was told: `in-app`, `email`, `call`, … or `webhook:<name>`. */
  informedVia?: string;
  owner?: string;
}

/** The first problem with transition options, or `undefined` (hand-checked to keep zod out of the browser path). */
function optionsProblem(o: TransitionOptions): string | undefined {
  const text = (v: unknown, max: number) =>
    v === undefined || (typeof v === "string" && v.length <= max);
  if (typeof o !== "object" || o === null) return "options must be an object";
  if (typeof o.actor !== "string" || o.actor.length < 1 || o.actor.length > 256) {
    return "actor: must be 1–256 characters";
  }
  if (!isTimestamp(o.at)) return "at: must be an ISO-8601 timestamp with an offset";
  if (!text(o.note, 10_000)) return "note: must be text of at most 10000 characters";
  if (!text(o.message, 10_000)) return "message: must be text of at most 10000 characters";
  if (o.informedVia !== undefined && !INFORMED_VIA_PATTERN.test(o.informedVia)) {
    return "informedVia: must be in-app, email, call, sms, chat, meeting or webhook:<name>";
  }
  if (o.owner !== undefined && !(typeof o.owner === "string" && ID_PATTERN.test(o.owner))) {
    return "owner: must be 1–128 letters, digits, or _ . : -";
  }
  return undefined;
}

/**
 * Moves a loop to `to`, returning a new loop with one more event; the input is not changed
 * and history is never rewritten.
 *
 * @throws LoopTransitionError on an illegal move, a time earlier than the last event, a
 *   `closed` without `informedVia` and `message`, or an `assigned` without an owner.
 * @example
 * const acked = transition(loop, "acknowledged", { actor: "agent:ana", at: now });
 */
export function transition(loop: Loop, to: LoopState, options: TransitionOptions): Loop {
  const from = loop.state;
  const fail = (reason: string, message: string): never => {
    throw new LoopTransitionError(from, to, reason, message);
  };
  const problem = optionsProblem(options);
  if (problem) fail("invalid_options", problem);
  if (!canTransition(from, to, loop.route.action)) {
    const allowed = TRANSITIONS[from].filter((s) => canTransition(from, s, loop.route.action));
    fail("illegal", `allowed from "${from}": ${allowed.join(", ") || "nothing"}`);
  }
  const last = loop.events[loop.events.length - 1];
  if (last && Date.parse(options.at) < Date.parse(last.at)) {
    fail("out_of_order", `"at" ${options.at} is before the last event (${last.at})`);
  }
  const event: LoopEvent = { from, to, actor: options.actor, at: options.at };
  if (options.note !== undefined) event.note = options.note;
  if (options.message !== undefined) event.message = options.message;
  if (options.informedVia !== undefined) event.informedVia = options.informedVia;
  const next: Loop = { ...loop, state: to, updatedAt: options.at, events: [...loop.events, event] };
  if (to === "closed") {
    if (!options.informedVia)
      fail("missing_informed_via", "closing needs informedVia: how the customer was told");
    if (!options.message?.trim())
      fail("missing_message", "closing needs the message the customer was given");
  }
  if (to === "assigned") {
    const owner = options.owner ?? loop.owner ?? loop.route.owner;
    if (!owner)
      fail("missing_owner", "assigning needs an owner (none given and the route names none)");
    event.owner = owner as string;
    next.owner = owner as string;
  }
  return next;
}
