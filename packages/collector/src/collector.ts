import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDesk } from "./desk/app.js";
import { envCache } from "./env-cache.js";
import { preflight, withCors } from "./http/cors.js";
import { errorResponse, HttpError } from "./http/errors.js";
import { nodeListener } from "./http/node-adapter.js";
import { createRateLimiter, type RateLimit } from "./rate-limit.js";
import { createApiRouter } from "./routes/api-router.js";
import type { RouteDeps } from "./routes/deps.js";
import { StoreFullError } from "./store/store-full.js";
import type { CollectorStore } from "./store/types.js";

/** Options of {@link createCollector}. Every limit has a default. */
export interface CollectorOptions {
  store: CollectorStore;
  limits?: {
    /** Largest request body. Default 1 MiB (413 past it). */
    maxBodyBytes?: number;
    /** Most items in one batch. Default 1,000 (413 past it, so clients split the batch). */
    maxBatchItems?: number;
    /** Requests per key. Default 500/s with bursts of 1,000 (429 with `Retry-After`). */
    rate?: RateLimit;
  };
  /** The time source, for tests. Default `Date.now`. */
  now?: () => number;
  /** Where unexpected errors are reported. Default `console.error`. */
  onError?: (error: unknown) => void;
  /** The loop desk at `/desk` (docs/desk.md); `pollMs`: how often its inbox looks for new loops. */
  desk?: { pollMs?: number };
}

/** A running collector on node:http. */
export interface ListeningCollector {
  server: Server;
  /** `http://host:port` it listens on. */
  url: string;
  /**
   * Drains: stops accepting connections, ends the desk's event streams (their pages reconnect,
   * to another collector if there is one), lets requests in flight finish (each answered with
   * `connection: close`, so no client sends another on a connection about to go), and after
   * `graceMs` (default 3 s) cuts the connections still open. It resolves once every request's
   * handler has settled, those whose client hung up midway included, or at `graceMs`: the store
   * may then be closed without a write still running on it.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** The `Retry-After` of a write refused because the database is full, in seconds. */
const STORE_FULL_RETRY_AFTER_S = 30;

/** How long `close()` lets requests in flight finish, by default, before it cuts their connections. */
const CLOSE_GRACE_MS = 3_000;

/** The collector: a web-standard handler, and `listen` to serve it on node:http. */
export interface Collector {
  fetch(request: Request): Promise<Response>;
  listen(options?: { port?: number; host?: string }): Promise<ListeningCollector>;
  /**
   * Starts computing the desk's charts of every environment that has desk users, and answers
   * once they are started, not computed. At 100,000 loops a computation takes a few hundred ms
   * (docs/benchmarks.md); without this, the first charts page after a start waits for it unless
   * the inbox was opened first. `closeloop serve` calls it once it listens.
   */
  warmDesk(): Promise<void>;
}

/**
 * Creates the collector over a store: every route of the HTTP API as one web-standard
 * `fetch(request) → Response` handler, which never throws (errors are typed JSON answers).
 *
 * @example
 * const collector = createCollector({ store: sqliteStore("closeloop.db") });
 * const { url } = await collector.listen({ port: 7345 });
 */
export function createCollector(options: CollectorOptions): Collector {
  const store = options.store;
  const nowMs = options.now ?? Date.now;
  const maxBodyBytes = options.limits?.maxBodyBytes ?? 1024 * 1024;
  const limit = createRateLimiter(options.limits?.rate ?? { perSecond: 500, burst: 1_000 }, nowMs);
  const onError = options.onError ?? ((e) => console.error("closeloop collector:", e));
  // Cached for 5 s: a rotated secret key stops validating tokens, and a changed allow-list takes
  // effect in every collector sharing the store, within that time.
  const secrets = envCache(
    (envId) =>
      store
        .listKeys(envId)
        .then((ks) =>
          ks
            .filter((k) => k.kind === "secret" && !k.revokedAt && k.secret)
            .map((k) => k.secret as string),
        ),
    5_000,
    nowMs,
  );
  const origins = envCache((envId) => store.getAllowedOrigins(envId), 5_000, nowMs);
  const deps: RouteDeps = {
    store,
    now: () => new Date(nowMs()).toISOString(),
    limits: { maxBodyBytes, maxBatchItems: options.limits?.maxBatchItems ?? 1_000 },
    secretKeys: secrets.get,
    allowedOrigins: origins.get,
    forgetAllowedOrigins: origins.forget,
  };

  const desk = createDesk({
    store,
    now: deps.now,
    ...(options.desk?.pollMs ? { pollMs: options.desk.pollMs } : {}),
  });

  const router = createApiRouter(deps);

  /** Every answer, with CORS headers on the public-key routes' (`http/cors.ts`). */
  async function handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    return withCors(await answer(request, pathname), pathname, request.headers.get("origin"));
  }

  async function answer(request: Request, pathname: string): Promise<Response> {
    try {
      // The desk is a Hono app of its own: pages, forms, cookies, its own headers and errors.
      if (pathname === "/desk" || pathname.startsWith("/desk/")) return await desk.fetch(request);
      const found = router.match(request.method, pathname);
      if (request.method === "OPTIONS") {
        const answered = preflight(pathname, "allowed" in found && found.allowed.length > 0);
        if (answered) return answered;
      }
      if (!("handler" in found)) {
        if (found.allowed.length > 0) {
          throw new HttpError(405, "method_not_allowed", `Use ${found.allowed.join(" or ")}`, {
            headers: { allow: found.allowed.join(", ") },
          });
        }
        throw new HttpError(404, "not_found", `No route ${request.method} ${pathname}`);
      }
      const auth = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
      if (auth) limit(auth);
      return await found.handler(request, found.params ?? {});
    } catch (e) {
      if (e instanceof HttpError) return errorResponse(e);
      if (e instanceof StoreFullError) {
        // Space comes back on an operator's time, not in a second: ask clients to wait longer.
        onError(e);
        return errorResponse(
          new HttpError(503, e.code, `${e.message}; retry later`, {
            headers: { "retry-after": String(STORE_FULL_RETRY_AFTER_S) },
          }),
        );
      }
      // The store failed (or a bug): the request may be retried; the collector stays up.
      onError(e);
      return errorResponse(
        new HttpError(503, "unavailable", "The collector could not complete the request; retry", {
          headers: { "retry-after": "1" },
        }),
      );
    }
  }

  return {
    fetch: handle,
    async warmDesk() {
      const envs = new Set((await store.listDeskUsers()).map((u) => u.envId));
      for (const envId of envs) desk.warmCharts(envId);
    },
    async listen({ port = 7345, host = "127.0.0.1" } = {}) {
      const draining = new AbortController();
      // Handlers still running: a client that hangs up midway does not stop its handler, which
      // may still be writing to the store after the last connection has closed.
      const running = new Set<Promise<Response>>();
      const tracked = (request: Request) => {
        const answer = handle(request);
        running.add(answer);
        const done = () => running.delete(answer);
        void answer.then(done, done);
        return answer;
      };
      const server = createServer(nodeListener(tracked, maxBodyBytes, draining.signal));
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve());
      });
      const { port: bound } = server.address() as AddressInfo;
      return {
        server,
        url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`,
        close: ({ graceMs = CLOSE_GRACE_MS } = {}) =>
          new Promise<void>((resolve) => {
            // Requests in flight may finish; after the grace period every connection is cut and
            // the handlers are no longer waited for, so a request stuck on the store cannot hold
            // the stop forever.
            const deadline = Date.now() + graceMs;
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(force);
              void settledBy(running, deadline).then(resolve);
            });
            draining.abort();
            server.closeIdleConnections();
          }),
      };
    },
  };
}

/** Waits until every one of `answers` has settled, or until `deadline` (epoch ms) if sooner. */
async function settledBy(answers: ReadonlySet<Promise<unknown>>, deadline: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled(answers),
    new Promise((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    }),
  ]);
  clearTimeout(timer);
}
