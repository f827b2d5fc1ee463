import { CloseloopError, type Loop, type LoopState } from "@closeloop/core";
import type { DeskRole } from "../desk/roles.js";
import type { LoopScore, StoredFeedback, StoredResponse } from "./types.js";

/** A person who works loops at the desk (`closeloop users add`), in one environment. */
export interface DeskUser {
  id: string;
  envId: string;
  /** Lower-case; unique across the store: the sign-in name. */
  email: string;
  role: DeskRole;
  /** The owner id loops are assigned to this user by (`ana` for ana@example.com unless chosen). */
  handle: string;
  /** `scrypt$N$r$p$salt$key` (desk/password.ts); never the password. */
  passwordHash: string;
  createdAt: string;
}

/** A signed-in desk session: the SHA-256 of its cookie's token, never the token. */
export interface DeskSession {
  tokenHash: string;
  userId: string;
  expiresAt: string;
}

/** What the inbox asks for: open loops, filtered, most urgent first. */
export interface InboxQuery {
  /** Default: every open state (all but `closed`). */
  states?: readonly LoopState[];
  surveyId?: string;
  journey?: string;
  region?: string;
  owner?: string;
  segment?: string;
  /** Words that must all appear in what the customer wrote (full-text). */
  search?: string;
  /** Breach is judged at this instant. */
  now: string;
  offset: number;
  limit: number;
}

/** One inbox row: the loop and what the desk shows beside it. */
export interface InboxRow {
  loop: Loop;
  /** What the customer wrote, quoted. */
  youSaid?: string;
  score?: LoopScore;
  breached: boolean;
  /** The next deadline of the loop's current step, if it has one. */
  dueAt?: string;
}

/** A loop as its page shows it: the row, what opened it, and the customer's other loops. */
export interface DeskLoop extends InboxRow {
  source?:
    | { kind: "response"; response: StoredResponse }
    | { kind: "feedback"; feedback: StoredFeedback };
  /** The same customer's (or respondent's) other loops, newest first, at most 20. */
  earlier: InboxRow[];
}

/** The desk's part of a store: its users and sessions, and the inbox query. */
export interface DeskStore {
  /** Adds a user; rejects with `DeskUserExistsError` when the email is taken. */
  addDeskUser(user: DeskUser): Promise<void>;
  listDeskUsers(envId?: string): Promise<DeskUser[]>;
  /** Removes a user and their sessions; whether there was one. */
  removeDeskUser(email: string): Promise<boolean>;
  findDeskUser(email: string): Promise<DeskUser | undefined>;
  createDeskSession(session: DeskSession): Promise<void>;
  /** The session and its user, unless unknown or expired at `now`. */
  deskSession(
    tokenHash: string,
    now: string,
  ): Promise<{ session: DeskSession; user: DeskUser } | undefined>;
  deleteDeskSession(tokenHash: string): Promise<void>;
  /** One loop for its page, with `breached` judged at `now`. */
  deskLoop(envId: string, id: string, now: string): Promise<DeskLoop | undefined>;
  /** Open loops by urgency: breached first, then the nearest deadline, then the oldest. */
  inbox(envId: string, query: InboxQuery): Promise<{ rows: InboxRow[]; total: number }>;
  /** How many loops the inbox's filters match, without sorting them (the event stream's poll). */
  countInbox(envId: string, query: InboxQuery): Promise<number>;
}

/** `addDeskUser` with an email that is already a desk user. */
export class DeskUserExistsError extends CloseloopError {
  constructor(email: string) {
    super("desk_user_exists", `${email} is already a desk user`);
    this.name = "DeskUserExistsError";
  }
}
