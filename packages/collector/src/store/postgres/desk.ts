// The desk's part of the PostgreSQL store (docs/desk.md): users, sessions, the inbox and a loop's
// page, each a statement or two on the pool.
import type { Pool } from "pg";
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
import { postgresColumns, postgresDialect, toTimestamp } from "./dialect.js";
import { all, one, run } from "./queries.js";

const sql = {
  insertUser: `INSERT INTO desk_users (id, env_id, email, created_at, data)
    VALUES ($1, $2, $3, ${toTimestamp("$4")}, $5::jsonb)`,
  listUsers: "SELECT data FROM desk_users ORDER BY created_at, email",
  listEnvUsers: "SELECT data FROM desk_users WHERE env_id = $1 ORDER BY created_at, email",
  findUser: "SELECT data FROM desk_users WHERE email = $1",
  removeUser: "DELETE FROM desk_users WHERE email = $1",
  insertSession: `INSERT INTO desk_sessions (token_hash, user_id, expires_at)
    VALUES ($1, $2, ${toTimestamp("$3")})`,
  session: `SELECT s.token_hash, s.user_id, s.expires_at, u.data FROM desk_sessions s
    JOIN desk_users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > ${toTimestamp("$2")}`,
  deleteSession: "DELETE FROM desk_sessions WHERE token_hash = $1",
  deleteExpired: `DELETE FROM desk_sessions WHERE expires_at <= ${toTimestamp("$1")}`,
  getFeedback: "SELECT data FROM feedback WHERE env_id = $1 AND id = $2",
  getResponse: "SELECT data FROM responses WHERE env_id = $1 AND id = $2",
};

/** The tsvector the migration indexes, so that the planner uses the index. */
const matchWords: WordsMatch = (words, d) =>
  `to_tsvector('simple', coalesce(meta->>'youSaid', '')) @@ plainto_tsquery('simple', ${d.param(words.join(" "))})`;

function build(make: (d: SqlDialect) => string): { text: string; values: (string | number)[] } {
  const values: (string | number)[] = [];
  const text = make(postgresDialect((v) => `$${values.push(v)}`));
  return { text, values };
}

/** The desk's methods over the store's pool. */
export function postgresDesk(pool: Pool): DeskStore {
  const rows = async (make: (d: SqlDialect) => string) => {
    const { text, values } = build(make);
    const { rows: raw } = await pool.query<DeskRow<unknown, Date>>(text, values);
    return raw.map((row) => inboxRow(postgresColumns, row));
  };
  const count = async (envId: string, query: InboxQuery): Promise<number> => {
    const { text, values } = build((d) => inboxCountSql(envId, query, d, matchWords));
    return Number((await pool.query<{ n: string }>(text, values)).rows[0]?.n ?? 0);
  };
  return {
    async addDeskUser(user: DeskUser) {
      try {
        await run(pool, sql.insertUser, [
          user.id,
          user.envId,
          user.email,
          Date.parse(user.createdAt),
          JSON.stringify(user),
        ]);
      } catch (e) {
        if ((e as { code?: string }).code === "23505") throw new DeskUserExistsError(user.email);
        throw e;
      }
    },
    listDeskUsers: (envId) =>
      envId === undefined
        ? all<DeskUser>(pool, sql.listUsers, [])
        : all<DeskUser>(pool, sql.listEnvUsers, [envId]),
    async removeDeskUser(email) {
      return ((await run(pool, sql.removeUser, [email])).rowCount ?? 0) > 0;
    },
    findDeskUser: (email) => one<DeskUser>(pool, sql.findUser, [email]),
    async createDeskSession(session: DeskSession) {
      // Expired sessions go as new ones come: the table holds only live ones and a few more.
      await run(pool, sql.deleteExpired, [Date.now()]);
      await run(pool, sql.insertSession, [
        session.tokenHash,
        session.userId,
        Date.parse(session.expiresAt),
      ]);
    },
    async deskSession(tokenHash, now) {
      const { rows: found } = await run<{
        token_hash: string;
        user_id: string;
        expires_at: Date;
        data: DeskUser;
      }>(pool, sql.session, [tokenHash, Date.parse(now)]);
      const row = found[0];
      if (!row) return undefined;
      return {
        session: {
          tokenHash: row.token_hash,
          userId: row.user_id,
          expiresAt: row.expires_at.toISOString(),
        },
        user: row.data,
      };
    },
    async deleteDeskSession(tokenHash) {
      await run(pool, sql.deleteSession, [tokenHash]);
    },
    async inbox(envId, query) {
      const [page, total] = await Promise.all([
        rows((d) => inboxPageSql(envId, query, d, matchWords)),
        count(envId, query),
      ]);
      return { rows: page, total };
    },
    countInbox: (envId, query) => count(envId, query),
    async deskLoop(envId, id, now) {
      const q = build((d) => deskLoopSql(envId, id, now, d));
      const raw = (await pool.query<DeskRow<unknown, Date>>(q.text, q.values)).rows[0];
      if (!raw) return undefined;
      const row = inboxRow(postgresColumns, raw);
      const who = customerOf(row.loop, raw.meta as LoopMeta);
      const earlier = who ? await rows((d) => earlierLoopsSql(envId, id, who, now, d)) : [];
      const { kind, id: sourceId } = row.loop.source;
      if (kind === "response") {
        const response = await one<StoredResponse>(pool, sql.getResponse, [envId, sourceId]);
        return { ...row, earlier, ...(response ? { source: { kind, response } } : {}) };
      }
      const feedback = await one<StoredFeedback>(pool, sql.getFeedback, [envId, sourceId]);
      return { ...row, earlier, ...(feedback ? { source: { kind, feedback } } : {}) };
    },
  };
}
