// A PostgreSQL server of a test's own, to stop and start at will: `initdb` and `pg_ctl` from the
// installed PostgreSQL, run as the `postgres` user when the tests run as root (initdb refuses
// root), in a temp directory, on a port of 25432–25440. The shared server at 5432 is never
// touched. Under CI=true a missing PostgreSQL installation fails the file; locally its cases
// skip with the reason printed.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

// Below the ephemeral range (Linux: 32768–60999). A client reconnecting to a port in that range
// while the server is down can be handed that very port as its own source port and connect to
// itself (TCP simultaneous open), holding the port: the restart then fails with "Address already
// in use" — seen once in the soak's restart at 55432.
const PORTS = Array.from({ length: 9 }, (_, i) => 25_432 + i);

/** A running server of the test's own. */
export interface OwnPostgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<database>`. */
  url(database?: string): string;
  /** Creates an empty database and answers its URL. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m <mode>`: `immediate` is a crash (no checkpoint, every client cut). */
  stop(mode?: "immediate" | "fast"): Promise<void>;
  /** `pg_ctl start`, waiting until it accepts connections (after crash recovery, if any). */
  start(): Promise<void>;
  /** Stops the server and removes its directory. */
  remove(): Promise<void>;
}

/** The newest installed PostgreSQL's `bin` directory, or why there is none. */
function binDir(): { dir: string } | { missing: string } {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) return { missing: `no initdb under ${root}/*/bin` };
  return { dir: join(root, newest, "bin") };
}

/** The user the server runs as: `postgres` when we are root, else ourselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString().trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** Why this machine cannot run a server of the test's own, or `undefined` when it can. */
export function ownPostgresMissing(): string | undefined {
  const bin = binDir();
  if ("missing" in bin) return bin.missing;
  if (process.getuid?.() === 0 && spawnSync("id", ["postgres"]).status !== 0) {
    return "running as root without a postgres user to run the server as";
  }
  return undefined;
}

/**
 * Probes for the cases named `what`: under CI=true a missing installation fails the file;
 * locally it prints why those cases skip. Answers why, or `undefined`.
 */
export function ownPostgresFor(what: string): string | undefined {
  const missing = ownPostgresMissing();
  if (missing !== undefined && process.env.CI === "true") {
    throw new Error(`CI=true requires a PostgreSQL installation for ${what}: ${missing}`);
  }
  if (missing !== undefined) console.warn(`${what} skipped: ${missing}`);
  return missing;
}

async function freePort(): Promise<number> {
  for (const port of PORTS) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${PORTS[0]}–${PORTS[PORTS.length - 1]} for a test PostgreSQL`);
}

/** Starts a new server in a temp directory. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  if ("missing" in bin) throw new Error(bin.missing);
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "closeloop-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  // Asynchronous, so the test's own clients keep sending while the server stops and starts.
  const as = (command: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [file, argv] = user
        ? ["runuser", ["-u", "postgres", "--", join(bin.dir, command), ...args]]
        : [join(bin.dir, command), args];
      execFile(file, argv, { encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${stderr || stdout}`));
        else resolve();
      });
    });
  // Trust on loopback only; fsync stays on, as in production: a crash must not lose commits.
  await as("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`;
  const server: OwnPostgres = {
    port,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const client = new pg.Client(server.url());
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return server.url(name);
    },
    stop: (mode = "fast") => as("pg_ctl", ["stop", "-D", data, "-m", mode, "-w"]),
    start: () => as("pg_ctl", ["start", "-D", data, "-l", log, "-w", "-t", "60", "-o", options]),
    async remove() {
      await server.stop("immediate").catch(() => undefined); // already stopped
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
