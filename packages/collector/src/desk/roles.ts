/** What a desk user may do: read, act on loops, or also lead (surveys' owners, money). */
export const DESK_ROLES = ["viewer", "agent", "lead"] as const;
/** A desk user's role: `viewer` reads; `agent` also acts on loops; `lead` also edits surveys' owners and sees money. */
export type DeskRole = (typeof DESK_ROLES)[number];

/** The desk's permissions, each held by a role and every role above it. */
const NEEDS = {
  read: "viewer",
  act: "agent",
  lead: "lead",
} as const satisfies Record<string, DeskRole>;

/** A permission of the desk: `read`, `act` (on loops) or `lead` (owners, money). */
export type DeskPermission = keyof typeof NEEDS;

/** Whether `role` holds `permission`. */
export const can = (role: DeskRole, permission: DeskPermission): boolean =>
  DESK_ROLES.indexOf(role) >= DESK_ROLES.indexOf(NEEDS[permission]);

/** Whether `value` names a desk role. */
export const isDeskRole = (value: unknown): value is DeskRole =>
  DESK_ROLES.includes(value as DeskRole);
