// The binary column arrays the PostgreSQL store's batched writes send (`store/postgres/row-arrays.ts`),
// read back by a real server: every type, NULLs, the edges of each encoding, and the strings
// PostgreSQL must refuse rather than store changed.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { columnArray } from "../src/store/postgres/row-arrays.js";
import type { Row } from "../src/store/records.js";
import { PG_URL, pgRequired, probePostgres } from "./pg-helper.js";

const unreachable = await probePostgres();
if (unreachable && !pgRequired) {
  console.warn(`postgres-row-arrays tests skipped: PostgreSQL unreachable (${unreachable})`);
}

describe.skipIf(unreachable !== undefined && !pgRequired)("binary column arrays", () => {
  const client = new pg.Client(PG_URL);
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  const rows: Row[] = [
    {
      t: "plain",
      j: '{"a": [1, 2.5, null, true], "b": "ü → 😀"}',
      i: 0,
      b: 1,
      f: 12.75,
      at: Date.parse("2026-12-07T14:44:56.481Z"),
    },
    { t: "", j: "{}", i: -2147483648, b: 0, f: -0.1, at: Date.parse("1969-07-20T20:17:40.001Z") },
    { t: null, j: null, i: null, b: null, f: null, at: null },
    { t: "ü → 😀 \\ \" ' , { }", j: '"text"', i: 2147483647, b: 1, f: 1e300, at: 0 },
  ];

  it("reads back every value as sent, NULLs included", async () => {
    const { rows: back } = await client.query(
      `SELECT t, j, i, b, f, to_char(at AT TIME ZONE 'UTC',
        'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
      FROM unnest($1::text[], $2::jsonb[], $3::int4[], $4::bool[], $5::float8[], $6::timestamptz[])
        AS u (t, j, i, b, f, at)`,
      [
        columnArray("text", rows, "t"),
        columnArray("jsonb", rows, "j"),
        columnArray("int4", rows, "i"),
        columnArray("bool", rows, "b"),
        columnArray("float8", rows, "f"),
        columnArray("timestamptz", rows, "at"),
      ],
    );
    expect(back).toEqual(
      rows.map((r) => ({
        t: r.t,
        j: r.j === null ? null : JSON.parse(r.j as string),
        i: r.i,
        b: r.b === null ? null : r.b === 1,
        f: r.f,
        at: r.at === null ? null : new Date(r.at as number).toISOString(),
      })),
    );
  });

  it("holds an instant to the ms, before and after PostgreSQL's epoch (2000)", async () => {
    const instants = [0, 946_684_799_999, 946_684_800_000, 946_684_800_001, 4_102_444_800_123];
    const { rows: back } = await client.query(
      `SELECT (extract(epoch FROM at) * 1000)::int8 AS ms FROM unnest($1::timestamptz[]) AS u (at)`,
      [
        columnArray(
          "timestamptz",
          instants.map((at) => ({ at })),
          "at",
        ),
      ],
    );
    expect(back.map((r) => Number(r.ms))).toEqual(instants);
  });

  it("sends a number that is not finite as NULL, as JSON writes it", async () => {
    const floats = [Number.NaN, Number.POSITIVE_INFINITY, 1.5].map((f) => ({ f }));
    const { rows: back } = await client.query("SELECT f FROM unnest($1::float8[]) AS u (f)", [
      columnArray("float8", floats, "f"),
    ]);
    expect(back.map((r) => r.f)).toEqual([null, null, 1.5]);
    const ints = await client.query("SELECT i FROM unnest($1::int4[]) AS u (i)", [
      columnArray("int4", [{ i: Number.NaN }, { i: 7 }], "i"),
    ]);
    expect(ints.rows.map((r) => r.i)).toEqual([null, 7]);
  });

  it("refuses what it cannot send exactly", () => {
    expect(() => columnArray("text", [{ t: "lone \ud800 surrogate" }], "t")).toThrow(/surrogate/);
    expect(() => columnArray("jsonb", [{ j: '"\udc00"' }], "j")).toThrow(/surrogate/);
    expect(() => columnArray("int4", [{ i: 4.5 }], "i")).toThrow(/int4/);
    expect(() => columnArray("int4", [{ i: 2 ** 31 }], "i")).toThrow(/int4/);
  });

  it("leaves NUL to the server, which refuses it in text as in a document", async () => {
    await expect(
      client.query("SELECT * FROM unnest($1::text[])", [
        columnArray("text", [{ t: "a\u0000b" }], "t"),
      ]),
    ).rejects.toThrow(/0x00/);
  });
});
