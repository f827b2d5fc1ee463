// Rows sent to PostgreSQL as one binary array per column, for `INSERT … SELECT * FROM unnest($1,
// $2, …)` (docs/stores.md, Batched writes on PostgreSQL). A parameter that is a `Buffer` goes in
// PostgreSQL's binary format, so the server reads each value as it is — no JSON to lex twice (a
// batch sent as one JSON array spent 38% of its backend's CPU parsing it, docs/benchmarks.md), no
// quoting, no column names repeated per row. Only the documents (`jsonb`) are parsed, as they
// must be. The formats are PostgreSQL's `array_send` and each type's `*_send`.
import type { Row } from "../records.js";

/** The column types the batched writes use. */
export type ColumnType = "text" | "int4" | "bool" | "float8" | "timestamptz" | "jsonb";

/** Each type's OID, which `array_recv` checks against the column's element type. */
const OID: Record<ColumnType, number> = {
  text: 25,
  int4: 23,
  bool: 16,
  float8: 701,
  timestamptz: 1184,
  jsonb: 3802,
};

/** The SQL name of the array type a parameter of `type` is cast to. */
export const arrayType = (type: ColumnType) => `${type}[]`;

/** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps, in ms since 1970. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 2 ** 32;

type Value = Row[string] | undefined;

/**
 * Whether `v` goes as NULL: absent, or a number column's value that is not finite, which JSON
 * (the rows' earlier form, and the document beside them) writes as `null` too.
 */
const isNull = (type: ColumnType, v: Value): v is null | undefined =>
  v === null ||
  v === undefined ||
  ((type === "float8" || type === "int4") && !Number.isFinite(Number(v)));
/** `String.prototype.isWellFormed` (Node 20; ES2024, past the library this package compiles with). */
type WellFormed = string & { isWellFormed(): boolean };

/** The bytes of one value (without its length), or its byte length when `out` is undefined. */
function valueBytes(type: ColumnType, v: string | number, out?: Buffer, at = 0): number {
  switch (type) {
    case "text":
    case "jsonb": {
      const s = String(v);
      // jsonb's binary form is a version byte (1) and the document's JSON text.
      const head = type === "jsonb" ? 1 : 0;
      if (out === undefined) {
        // A lone surrogate would be written as U+FFFD, stored changed; PostgreSQL refuses one
        // in text or a document (docs/stores.md, Limits), so it is refused here too.
        if (!(s as WellFormed).isWellFormed())
          throw new RangeError("a string holds an unpaired UTF-16 surrogate");
        return head + Buffer.byteLength(s);
      }
      if (head === 1) out[at] = 1;
      return head + out.write(s, at + head);
    }
    case "int4": {
      const n = Number(v);
      if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) {
        throw new RangeError(`not an int4: ${v}`);
      }
      if (out !== undefined) out.writeInt32BE(n, at);
      return 4;
    }
    case "bool":
      if (out !== undefined) out[at] = v ? 1 : 0;
      return 1;
    case "float8":
      if (out !== undefined) out.writeDoubleBE(Number(v), at);
      return 8;
    case "timestamptz": {
      // Microseconds since PostgreSQL's epoch, as a signed 64-bit integer: exact for every ms
      // (|µs| < 2^53), written as its high and low 32 bits.
      const us = (Number(v) - PG_EPOCH_MS) * 1000;
      if (!Number.isSafeInteger(us)) throw new RangeError(`not an instant in ms: ${v}`);
      if (out !== undefined) {
        const high = Math.floor(us / TWO_32);
        out.writeInt32BE(high, at);
        out.writeUInt32BE(us - high * TWO_32, at + 4);
      }
      return 8;
    }
  }
}

/** One column of `rows` (`key`, absent values NULL) as a one-dimensional binary array of `type`. */
export function columnArray(type: ColumnType, rows: readonly Row[], key: string): Buffer {
  const n = rows.length;
  let size = 20 + 4 * n;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v: Value = (rows[i] as Row)[key];
    if (isNull(type, v)) nulls = 1;
    else size += valueBytes(type, v);
  }
  const out = Buffer.allocUnsafe(size);
  out.writeInt32BE(1, 0); // dimensions
  out.writeInt32BE(nulls, 4); // has NULLs
  out.writeInt32BE(OID[type], 8);
  out.writeInt32BE(n, 12); // length of the dimension
  out.writeInt32BE(1, 16); // its lower bound
  let at = 20;
  for (let i = 0; i < n; i++) {
    const v: Value = (rows[i] as Row)[key];
    if (isNull(type, v)) {
      out.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    const length = valueBytes(type, v, out, at + 4);
    out.writeInt32BE(length, at);
    at += 4 + length;
  }
  return out;
}
