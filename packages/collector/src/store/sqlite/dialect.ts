// SQLite's spelling of the shared statements' dialect pieces (docs/stores.md): instants are
// INTEGER epoch ms, so an instant is a plain parameter and a duration a subtraction.
import type { SqlDialect } from "../dialect.js";

/** The dialect for one statement, whose values `param` collects. */
export function sqliteDialect(param: (value: string | number) => string): SqlDialect {
  return {
    param,
    time: param,
    durationMs: (later, earlier) => `(${later} - ${earlier})`,
    floor: (expr) => `CAST(${expr} AS INTEGER)`,
    double: (x) => (Number.isInteger(x) ? `${x}.0` : String(x)),
  };
}
