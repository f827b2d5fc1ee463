import { parseAllowedOrigins } from "../allowed-origins.js";
import { createCollector } from "../collector.js";
import { provision } from "../provision.js";
import { startSweeper } from "../sweeper.js";
import { startWebhookWorker } from "../webhook-delivery/worker.js";
import { openStore } from "./open-store.js";

/**
 * `closeloop serve`: migrates the store, creates an environment and its keys on first start
 * (printed once: `public key: pk_…`, `secret key: sk_…`, or taken from CLOSELOOP_PUBLIC_KEY and
 * CLOSELOOP_SECRET_KEY), sets the environment's allowed origins when `--allowed-origins` or
 * CLOSELOOP_ALLOWED_ORIGINS gives them (comma-separated; otherwise the stored list stands),
 * listens, delivers webhooks and sweeps SLA breaches in the background, and drains on SIGTERM
 * or SIGINT: stops accepting, lets requests in flight finish, stops the background work, closes
 * the store and exits 0 — or exits 1 once `--drain-timeout` seconds (default 10) have passed.
 */
export async function serve(
  flags: {
    db?: string;
    postgres?: string;
    port?: string;
    host?: string;
    "allowed-origins"?: string;
    "drain-timeout"?: string;
    "connect-timeout"?: string;
    "statement-timeout"?: string;
  },
  out: (line: string) => void,
): Promise<() => Promise<void>> {
  const port = Number(flags.port ?? 7345);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0–65535, not ${flags.port}`);
  const drainSeconds = Number(flags["drain-timeout"] ?? 10);
  if (!Number.isFinite(drainSeconds) || drainSeconds <= 0 || drainSeconds > 3_600)
    throw new Error(
      `--drain-timeout must be seconds above 0, up to 3600, not ${flags["drain-timeout"]}`,
    );
  const drainMs = drainSeconds * 1000;
  // An empty variable is unset, as for the keys; an empty flag is refused below.
  const originsText =
    flags["allowed-origins"] ?? (process.env.CLOSELOOP_ALLOWED_ORIGINS || undefined);
  // Checked before the store opens: a typo stops the start with every bad entry named.
  const origins = originsText === undefined ? undefined : allowedOrigins(originsText);
  const { store, where } = await openStore(flags);
  await store.migrate();
  // Listen before the first start creates keys: a taken port must fail before keys are printed,
  // or they would be made, printed to a start that dies, and never printed again.
  const collector = createCollector({ store });
  const host = flags.host ?? "127.0.0.1";
  let listening: Awaited<ReturnType<typeof collector.listen>>;
  try {
    listening = await collector.listen({ port, host });
  } catch (e) {
    await store.close();
    if ((e as { code?: string }).code === "EADDRINUSE") {
      throw new Error(
        `port ${port} on ${host} is in use: stop what listens there, or pick another with --port`,
      );
    }
    throw e;
  }
  const given: { publicKey?: string; secretKey?: string } = {};
  if (process.env.CLOSELOOP_PUBLIC_KEY) given.publicKey = process.env.CLOSELOOP_PUBLIC_KEY;
  if (process.env.CLOSELOOP_SECRET_KEY) given.secretKey = process.env.CLOSELOOP_SECRET_KEY;
  const keys = await provision(store, given);
  if (keys.publicKey && !given.publicKey) out(`public key: ${keys.publicKey}`);
  if (keys.secretKey && !given.secretKey) out(`secret key: ${keys.secretKey}`);
  if (origins) {
    await store.setAllowedOrigins(keys.envId, origins, new Date().toISOString());
    out(`allowed origins: ${origins.join(", ")}`);
  }
  // Background work: webhook deliveries and SLA breaches. Safe in every collector sharing a
  // PostgreSQL store (claims use FOR UPDATE SKIP LOCKED).
  const worker = startWebhookWorker({ store });
  const sweeper = startSweeper({ store });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Requests get most of the bound; the rest is for the store to close. The background work
      // stops meanwhile: its round in flight finishes, no new one starts.
      await Promise.all([
        listening.close({ graceMs: drainMs * DRAIN_SHARE_FOR_REQUESTS }),
        worker.stop(),
        sweeper.stop(),
      ]);
      await store.close();
    })());
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      out(`closeloop collector draining (${signal}): at most ${drainSeconds} s`);
      // Past the bound the process ends anyway: what is not committed by then was never
      // acknowledged, so its sender still holds it and retries. Not unref'd: a drain stuck on a
      // promise with nothing else alive must still end here, with the line saying why.
      setTimeout(() => {
        out(
          `closeloop collector stopped (${signal}): the drain took longer than ${drainSeconds} s`,
        );
        process.exit(1);
      }, drainMs);
      stop().then(
        () => {
          out(`closeloop collector stopped (${signal})`);
          process.exit(0);
        },
        (e: unknown) => {
          out(`closeloop collector stopped (${signal}): ${(e as Error)?.message ?? e}`);
          process.exit(1);
        },
      );
    });
  }
  // Only once the signals are handled: whoever reads this line may stop the collector at once.
  out(`closeloop collector listening on ${listening.url} (${where})`);
  // The desk's charts, computed in the background so that its first charts page need not wait.
  collector.warmDesk().catch((e: unknown) => console.error("closeloop desk:", e));
  return stop;
}

/** The part of the drain bound that requests in flight may take before their connections are cut. */
const DRAIN_SHARE_FOR_REQUESTS = 0.8;

/**
 * The comma-separated list of `--allowed-origins` / CLOSELOOP_ALLOWED_ORIGINS. Empty is refused,
 * not read as "no origin": a flag left empty by a script would lock every page out. (Locking
 * every page out is `PUT /v1/allowed-origins` with `[]`.)
 */
function allowedOrigins(text: string): string[] {
  const list = text
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o !== "");
  if (list.length === 0) {
    throw new Error("--allowed-origins is empty: give origins separated by commas, or * for any");
  }
  return parseAllowedOrigins(list, "--allowed-origins");
}
