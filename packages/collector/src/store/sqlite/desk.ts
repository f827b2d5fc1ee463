// The desk's part of the SQLite store (docs/desk.md): users, sessions, the inbox and a loop's
// page. Writes go through the store's writer queue like every other write.
import type Database from "better-sqlite3";
import {
  deskLoopSql,
  earlierLoopsSql,
  inboxCountSql,
  inboxPageSql,
  type WordsMatch,
} from "../desk-query.js";
import { customerOf, type DeskRow, inboxRow } from "../desk-rows.js";
import {
  type DeskSession,
  type DeskStore,
  type DeskUser,
  DeskUserExistsError,
  type InboxQuery,
} from "../desk-types.js";
import type { SqlDialect } from "../dialect.js";
import type { LoopMeta, StoredFeedback, StoredResponse } from "../types.js";
import { sqliteColumns, sqliteDialect } from "./dialect.js";
import { all, one } from "./rows.js";

type Prepared = (sql: string) => Database.Statement;
type Section = <T>(body: () => T) => Promise<T>;

const sql = {
  insertUser:
    "INSERT INTO desk_users (id, env_id, email, created_at, data) VALUES (@id, @envId, @email, @createdAt, @data)",
  listUsers: "SELECT data FROM desk_users ORDER BY created_at, email",
  listEnvUsers: "SELECT data FROM desk_users WHERE env_id = ? ORDER BY created_at, email",
  findUser: "SELECT data FROM desk_users WHERE email = ?",
  removeUser: "DELETE FROM desk_users WHERE email = ?",
  insertSession:
    "INSERT INTO desk_sessions (token_hash, user_id, expires_at) VALUES (@tokenHash, @userId, @expiresAt)",
  session: `SELECT s.token_hash, s.user_id, s.expires_at, u.data FROM desk_sessions s
    JOIN desk_users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`,
  deleteSession: "DELETE FROM desk_sessions WHERE token_hash = ?",
  deleteExpired: "DELETE FROM desk_sessions WHERE expires_at <= ?",
  getFeedback: "SELECT data FROM feedback WHERE env_id = ? AND id = ?",
  getResponse: "SELECT data FROM responses WHERE env_id = ? AND id = ?",
};

/** FTS5: every word, each quoted so that none is read as an operator. */
const matchWords: WordsMatch = (words, d) =>
  `rowid IN (SELECT rowid FROM loop_words WHERE loop_words MATCH ${d.param(
    words.map((w) => `"${w}"`).join(" "),
  )})`;

/** A statement's text and positional values, built with `?` placeholders. */
function build(make: (d: SqlDialect) => string): { text: string; values: (string | number)[] } {
  const values: (string | number)[] = [];
  const text = make(
    sqliteDialect((v) => {
      values.push(v);
      return "?";
    }),
  );
  return { text, values };
}

const ms = (iso: string) => Date.parse(iso);
const isUniqueViolation = (e: unknown) =>
  (e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" ||
  (e as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY";

/** The desk's methods over the store's connections and queues. */
export function sqliteDesk(w: Prepared, r: Prepared, write: Section, read: Section): DeskStore {
  const rows = (make: (d: SqlDialect) => string) => {
    const { text, values } = build(make);
    return (r(text).all(...values) as DeskRow<string, number>[]).map((row) =>
      inboxRow(sqliteColumns, row),
    );
  };
  const count = (envId: string, query: InboxQuery): number => {
    const { text, values } = build((d) => inboxCountSql(envId, query, d, matchWords));
    return (r(text).get(...values) as { n: number }).n;
  };
  return {
    addDeskUser: (user: DeskUser) =>
      write(() => {
        try {
          w(sql.insertUser).run({
            id: user.id,
            envId: user.envId,
            email: user.email,
            createdAt: ms(user.createdAt),
            data: JSON.stringify(user),
          });
        } catch (e) {
          throw isUniqueViolation(e) ? new DeskUserExistsError(user.email) : e;
        }
      }),
    listDeskUsers: (envId) =>
      read(() =>
        envId === undefined
          ? all<DeskUser>(r(sql.listUsers), [])
          : all<DeskUser>(r(sql.listEnvUsers), [envId]),
      ),
    removeDeskUser: (email) => write(() => w(sql.removeUser).run(email).changes > 0),
    findDeskUser: (email) => read(() => one<DeskUser>(r(sql.findUser), [email])),
    createDeskSession: (session: DeskSession) =>
      write(() => {
        // Expired sessions go as new ones come: the table holds only live ones and a few more.
        w(sql.deleteExpired).run(Date.now());
        w(sql.insertSession).run({ ...session, expiresAt: ms(session.expiresAt) });
      }),
    deskSession: (tokenHash, now) =>
      read(() => {
        const row = r(sql.session).get(tokenHash, ms(now)) as
          | { token_hash: string; user_id: string; expires_at: number; data: string }
          | undefined;
        if (!row) return undefined;
        return {
          session: {
            tokenHash: row.token_hash,
            userId: row.user_id,
            expiresAt: new Date(row.expires_at).toISOString(),
          },
          user: JSON.parse(row.data) as DeskUser,
        };
      }),
    deleteDeskSession: (tokenHash) =>
      write(() => {
        w(sql.deleteSession).run(tokenHash);
      }),
    inbox: (envId, query) =>
      read(() => ({
        rows: rows((d) => inboxPageSql(envId, query, d, matchWords)),
        total: count(envId, query),
      })),
    countInbox: (envId, query) => read(() => count(envId, query)),
    deskLoop: (envId, id, now) =>
      read(() => {
        const q = build((d) => deskLoopSql(envId, id, now, d));
        const raw = r(q.text).get(...q.values) as DeskRow<string, number> | undefined;
        if (!raw) return undefined;
        const row = inboxRow(sqliteColumns, raw);
        const who = customerOf(row.loop, JSON.parse(raw.meta) as LoopMeta);
        const earlier = who ? rows((d) => earlierLoopsSql(envId, id, who, now, d)) : [];
        const { kind, id: sourceId } = row.loop.source;
        if (kind === "response") {
          const response = one<StoredResponse>(r(sql.getResponse), [envId, sourceId]);
          return { ...row, earlier, ...(response ? { source: { kind, response } } : {}) };
        }
        const feedback = one<StoredFeedback>(r(sql.getFeedback), [envId, sourceId]);
        return { ...row, earlier, ...(feedback ? { source: { kind, feedback } } : {}) };
      }),
  };
}
