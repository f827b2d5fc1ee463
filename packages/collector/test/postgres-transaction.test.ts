// The PostgreSQL store's one transaction helper against a real server: COMMIT keeps the work,
// a rejection rolls it back and rethrows, and the client goes back to the pool either way.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../src/store/postgres/transaction.js";
import { newPgSchema, PG_URL, postgresFor } from "./pg-helper.js";

const unreachable = await postgresFor("postgres-transaction");

describe.skipIf(unreachable !== undefined)("inTransaction", () => {
  const schema = newPgSchema();
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await pool.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
    await pool.query(`CREATE TABLE ${pg.escapeIdentifier(schema)}.t (n integer PRIMARY KEY)`);
  });
  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await pool?.end();
  });
  const table = () => `${pg.escapeIdentifier(schema)}.t`;
  const count = async () =>
    Number((await pool.query(`SELECT count(*) FROM ${table()}`)).rows[0].count);

  it("commits what the body did and answers its result", async () => {
    const r = await inTransaction(pool, async (c) => {
      await c.query(`INSERT INTO ${table()} VALUES (1)`);
      return "done";
    });
    expect(r).toBe("done");
    expect(await count()).toBe(1);
  });

  it("rolls back and rethrows on a rejection, giving the client back to the pool", async () => {
    await expect(
      inTransaction(pool, async (c) => {
        await c.query(`INSERT INTO ${table()} VALUES (2)`);
        await c.query(`INSERT INTO ${table()} VALUES (1)`); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await count()).toBe(1);
    // One connection in the pool, idle and usable: it was released, not leaked.
    expect(pool.totalCount).toBe(1);
    expect(pool.idleCount).toBe(1);
  });

  it("begins as asked (a read-only snapshot refuses writes)", async () => {
    await expect(
      inTransaction(
        pool,
        (c) => c.query(`INSERT INTO ${table()} VALUES (3)`),
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
      ),
    ).rejects.toThrow(/read-only/);
    expect(await count()).toBe(1);
  });
});
