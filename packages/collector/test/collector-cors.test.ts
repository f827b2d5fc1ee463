// The collector as web pages on other origins meet it, over real loopback HTTP and a real SQLite
// file: preflights, CORS headers on every answer of the public-key routes (errors included),
// none on the secret-key routes, the per-environment allow-list, secret keys sent by browsers.
import { uuidv7 } from "@closeloop/core";
import { CollectorError, createClient } from "@closeloop/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollector } from "../src/collector.js";
import type { CollectorStore } from "../src/store/types.js";
import {
  batch,
  feedbackPolicy,
  type Running,
  response,
  startCollector,
  survey,
} from "./collector-harness.js";

const SHOP = "https://shop.example";
const EVIL = "https://evil.example";

let c: Running;
beforeAll(async () => {
  c = await startCollector();
  expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
});
afterAll(async () => {
  await c?.close();
});

/** A request as a browser on `origin` sends it (undici lets a test set `Origin`). */
async function send(
  method: string,
  path: string,
  options: { origin?: string; key?: string; body?: unknown; headers?: Record<string, string> } = {},
  base = c.url,
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.origin) headers.origin = options.origin;
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + path, {
    method,
    headers,
    ...(options.body !== undefined
      ? { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests probe arbitrary JSON answers field by field.
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: res.status, headers: res.headers, body };
}

const preflightOf = (path: string, method: string, origin = SHOP) =>
  send("OPTIONS", path, {
    origin,
    headers: {
      "access-control-request-method": method,
      "access-control-request-headers": "authorization,content-type",
    },
  });

/** The headers a page needs to read an answer: its origin echoed, and ETag / Retry-After exposed. */
function expectReadableBy(origin: string, headers: Headers) {
  expect(headers.get("access-control-allow-origin")).toBe(origin);
  expect(headers.get("access-control-expose-headers")).toBe("etag, retry-after");
  expect(headers.get("vary")?.toLowerCase()).toContain("origin");
}

const withoutCors = (headers: Headers) => {
  expect(headers.get("access-control-allow-origin")).toBeNull();
  expect(headers.get("access-control-allow-methods")).toBeNull();
};

describe("preflights", () => {
  it("answers each public-key route's preflight with 204 for any origin", async () => {
    for (const [path, method] of [
      ["/v1/batch", "POST"],
      ["/v1/surveys", "GET"],
      ["/v1/closures", "GET"],
    ] as const) {
      for (const origin of [SHOP, EVIL, "http://localhost:3000"]) {
        const r = await preflightOf(path, method, origin);
        expect(r.status, `${path} from ${origin}`).toBe(204);
        expect(r.headers.get("access-control-allow-origin")).toBe(origin);
        expect(r.headers.get("access-control-allow-methods")).toBe(method);
        expect(r.headers.get("access-control-allow-headers")).toBe(
          "authorization, content-type, if-none-match",
        );
        expect(r.headers.get("access-control-max-age")).toBe("7200");
        expect(r.headers.get("vary")).toBe("origin");
        expect(r.headers.get("access-control-allow-credentials")).toBeNull();
      }
    }
  });

  it("refuses preflights on the secret-key routes with 403 and no CORS headers", async () => {
    for (const [path, method] of [
      ["/v1/loops", "GET"],
      [`/v1/loops/${uuidv7()}`, "GET"],
      [`/v1/loops/${uuidv7()}/transitions`, "POST"],
      ["/v1/surveys/onboarding-nps", "PUT"],
      ["/v1/feedback-policy", "PUT"],
      ["/v1/metrics", "GET"],
      ["/v1/allowed-origins", "PUT"],
      ["/v1/webhooks/crm", "PUT"],
      ["/v1/webhooks/crm/deliveries", "GET"],
    ] as const) {
      const r = await preflightOf(path, method);
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe("cross_origin_refused");
      withoutCors(r.headers);
    }
    expect((await preflightOf("/v2/nothing", "GET")).status).toBe(404);
    expect((await preflightOf("/healthz", "GET")).status).toBe(403);
  });

  it("reads a path as the router does: //v1/batch (an endpoint with a trailing slash) is the batch route", async () => {
    const pre = await preflightOf("//v1/batch/", "POST");
    expect(pre.status).toBe(204);
    const r = await send("POST", "//v1/batch", { origin: SHOP, key: c.pk, body: batch() });
    expect(r.status).toBe(400);
    expectReadableBy(SHOP, r.headers);
  });
});

describe("CORS headers on the public-key routes' answers", () => {
  it("makes successes, 304 and ETag readable by the page", async () => {
    const ok = await send("POST", "/v1/batch", {
      origin: SHOP,
      key: c.pk,
      body: batch({ type: "response", data: response({ score: 9 }) }),
    });
    expect(ok.status).toBe(200);
    expectReadableBy(SHOP, ok.headers);

    const surveys = await send("GET", "/v1/surveys", { origin: SHOP, key: c.pk });
    expect(surveys.status).toBe(200);
    expectReadableBy(SHOP, surveys.headers);
    const etag = surveys.headers.get("etag") as string;
    expect(etag).toMatch(/^".+"$/);
    const same = await send("GET", "/v1/surveys", {
      origin: SHOP,
      key: c.pk,
      headers: { "if-none-match": etag },
    });
    expect(same.status).toBe(304);
    expectReadableBy(SHOP, same.headers);

    const closures = await send("GET", "/v1/closures?anonymousId=anon-0123456789abcdef", {
      origin: SHOP,
      key: c.pk,
    });
    expect(closures.status).toBe(200);
    expectReadableBy(SHOP, closures.headers);
  });

  it("makes 400, 401 and 403 bodies readable by the page", async () => {
    const cases = [
      await send("POST", "/v1/batch", { origin: SHOP, body: batch() }),
      await send("POST", "/v1/batch", { origin: SHOP, key: c.pk, body: "{not json" }),
      await send("GET", "/v1/closures", { origin: SHOP, key: c.pk }),
      await send("GET", "/v1/closures?respondent=u1&token=nope", { origin: SHOP, key: c.pk }),
    ];
    expect(cases.map((r) => [r.status, r.body.error.code])).toEqual([
      [401, "missing_key"],
      [400, "malformed"],
      [400, "invalid_query"],
      [403, "invalid_token"],
    ]);
    for (const r of cases) expectReadableBy(SHOP, r.headers);
  });

  it("makes 413 (from the node adapter), 429 and 503 readable, with Retry-After exposed", async () => {
    const failing = new Proxy(c.store, {
      get(target, p, receiver) {
        if (p === "activeSurveys") return () => Promise.reject(new Error("disk on fire"));
        return Reflect.get(target, p, receiver);
      },
    }) as CollectorStore;
    const collector = createCollector({
      store: failing,
      limits: { rate: { perSecond: 1, burst: 2 }, maxBodyBytes: 1024 },
      onError: () => undefined,
    });
    const l = await collector.listen({ port: 0 });
    try {
      const big = await send(
        "POST",
        "/v1/batch",
        { origin: SHOP, key: c.pk, body: "x".repeat(4096) },
        l.url,
      );
      expect(big.status).toBe(413);
      expectReadableBy(SHOP, big.headers);
      const down = await send("GET", "/v1/surveys", { origin: SHOP, key: c.pk }, l.url);
      expect(down.status).toBe(503);
      expect(down.headers.get("retry-after")).toBe("1");
      expectReadableBy(SHOP, down.headers);
      await send("GET", "/v1/surveys", { origin: SHOP, key: c.pk }, l.url);
      const limited = await send("GET", "/v1/surveys", { origin: SHOP, key: c.pk }, l.url);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe("rate_limited");
      expectReadableBy(SHOP, limited.headers);
    } finally {
      await l.close();
    }
  });

  it("varies on Origin without echoing one when the request has none (servers, apps)", async () => {
    const r = await send("GET", "/v1/surveys", { key: c.pk });
    expect(r.status).toBe(200);
    expect(r.headers.get("vary")).toBe("origin");
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("secret keys and secret-key routes", () => {
  it("never puts CORS headers on a secret-key route's answers", async () => {
    for (const [method, path] of [
      ["GET", "/v1/loops"],
      ["GET", "/v1/metrics"],
      ["GET", "/v1/allowed-origins"],
    ] as const) {
      const fromServer = await send(method, path, { key: c.sk });
      expect(fromServer.status, path).toBe(200);
      withoutCors(fromServer.headers);
      expect(fromServer.headers.get("vary")).toBeNull();
      const fromPage = await send(method, path, { key: c.pk, origin: SHOP });
      expect(fromPage.status).toBe(403);
      withoutCors(fromPage.headers);
    }
  });

  it("refuses a secret key sent with an Origin on every route: 403 secret_key_in_browser", async () => {
    const onSecretRoute = await send("GET", "/v1/loops", { key: c.sk, origin: SHOP });
    expect(onSecretRoute.status).toBe(403);
    expect(onSecretRoute.body.error.code).toBe("secret_key_in_browser");
    withoutCors(onSecretRoute.headers);
    // Same-origin pages send Origin on POST too: the key is in a page all the same.
    const sameOrigin = await send("PUT", "/v1/allowed-origins", {
      key: c.sk,
      origin: c.url,
      body: { origins: ["*"] },
    });
    expect(sameOrigin.body.error.code).toBe("secret_key_in_browser");
    // On a public-key route the page can read why, to report it.
    const onBatch = await send("POST", "/v1/batch", { key: c.sk, origin: SHOP, body: batch() });
    expect(onBatch.status).toBe(403);
    expect(onBatch.body.error.code).toBe("secret_key_in_browser");
    expect(onBatch.body.error.message).toContain("Rotate it");
    expectReadableBy(SHOP, onBatch.headers);
  });
});

describe("allowed origins", () => {
  let a: Running;
  beforeAll(async () => {
    a = await startCollector();
  });
  afterAll(async () => {
    await a?.close();
  });
  const surveysFrom = (origin?: string) =>
    send("GET", "/v1/surveys", { key: a.pk, ...(origin ? { origin } : {}) }, a.url);

  it("lets any origin in until a list is set; GET answers [*]", async () => {
    expect((await a.call("GET", "/v1/allowed-origins", a.sk)).body).toEqual({ origins: ["*"] });
    expect((await surveysFrom(EVIL)).status).toBe(200);
  });

  it("refuses other origins with a readable 403 naming the origin and the fix, on every public route", async () => {
    const set = await a.call("PUT", "/v1/allowed-origins", a.sk, {
      origins: [SHOP, "http://localhost:3000", SHOP],
    });
    expect(set).toMatchObject({ status: 200, body: { origins: [SHOP, "http://localhost:3000"] } });
    expect((await a.call("GET", "/v1/allowed-origins", a.sk)).body.origins).toEqual([
      SHOP,
      "http://localhost:3000",
    ]);

    expect((await surveysFrom(SHOP)).status).toBe(200);
    expect((await surveysFrom("http://localhost:3000")).status).toBe(200);
    // Not a browser on another origin: servers and apps are not restricted.
    expect((await surveysFrom()).status).toBe(200);
    for (const origin of [EVIL, "https://shop.example:8443", "http://shop.example", "null"]) {
      const r = await surveysFrom(origin);
      expect(r.status, origin).toBe(403);
      expect(r.body.error.code).toBe("origin_not_allowed");
      expect(r.body.error.message).toContain(origin);
      expect(r.body.error.message).toContain("PUT /v1/allowed-origins");
      expectReadableBy(origin, r.headers);
    }
    const item = batch({ type: "response", data: response({ score: 10 }) });
    const refused = await send("POST", "/v1/batch", { key: a.pk, origin: EVIL, body: item }, a.url);
    expect(refused.body.error.code).toBe("origin_not_allowed");
    const closures = await send(
      "GET",
      "/v1/closures?anonymousId=anon-0123456789abcdef",
      { key: a.pk, origin: EVIL },
      a.url,
    );
    expect(closures.body.error.code).toBe("origin_not_allowed");
    // The preflight cannot know the environment: it stays permissive.
    expect((await preflightOf("/v1/batch", "POST", EVIL)).status).toBe(204);
  });

  it("[] lets no page in; [*] lets every page in again", async () => {
    await a.call("PUT", "/v1/allowed-origins", a.sk, { origins: [] });
    expect((await surveysFrom(SHOP)).status).toBe(403);
    expect((await surveysFrom()).status).toBe(200);
    await a.call("PUT", "/v1/allowed-origins", a.sk, { origins: ["*"] });
    expect((await surveysFrom(EVIL)).status).toBe(200);
  });

  it("refuses a bad list with 400 invalid_origins naming each entry by index, and public keys with 403", async () => {
    const r = await a.call("PUT", "/v1/allowed-origins", a.sk, {
      origins: [SHOP, "https://shop.example/", "ftp://files.example", "shop.example", "*"],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_origins");
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      "origins.1",
      "origins.2",
      "origins.3",
      "origins.4",
    ]);
    expect(r.body.error.issues[0].message).toContain('did you mean "https://shop.example"?');
    const shape = await a.call("PUT", "/v1/allowed-origins", a.sk, {
      origins: "https://x.example",
    });
    expect(shape.body.error).toMatchObject({ code: "invalid_origins" });
    expect(shape.body.error.issues[0].path).toBe("origins");
    expect((await a.call("PUT", "/v1/allowed-origins", a.pk, { origins: [] })).status).toBe(403);
    expect((await a.call("GET", "/v1/allowed-origins", a.pk)).status).toBe(403);
    // Nothing was stored by the refused calls.
    expect((await a.call("GET", "/v1/allowed-origins", a.sk)).body.origins).toEqual(["*"]);
  });

  it("is set and read by the node client", async () => {
    const client = createClient({ endpoint: a.url, secretKey: a.sk });
    try {
      expect(await client.allowedOrigins.set([SHOP])).toEqual([SHOP]);
      expect(await client.allowedOrigins.get()).toEqual([SHOP]);
      const error = await client.allowedOrigins.set(["https://shop.example/path"]).catch((e) => e);
      expect(error).toBeInstanceOf(CollectorError);
      expect(error).toMatchObject({ status: 400, code: "invalid_origins" });
      expect(error.issues[0].path).toBe("origins.0");
      expect((await surveysFrom(EVIL)).status).toBe(403);
      expect(await client.allowedOrigins.set(["*"])).toEqual(["*"]);
    } finally {
      await client.close();
    }
  });

  it("reaches another collector on the same store within 5 s (its cache)", async () => {
    let now = Date.now();
    const other = createCollector({ store: a.store, now: () => now });
    const l = await other.listen({ port: 0 });
    try {
      const from = (origin: string) => send("GET", "/v1/surveys", { key: a.pk, origin }, l.url);
      expect((await from(EVIL)).status).toBe(200);
      await a.call("PUT", "/v1/allowed-origins", a.sk, { origins: [SHOP] });
      expect((await from(EVIL)).status).toBe(200);
      now += 5_000;
      expect((await from(EVIL)).status).toBe(403);
      expect((await from(SHOP)).status).toBe(200);
    } finally {
      await l.close();
      await a.call("PUT", "/v1/allowed-origins", a.sk, { origins: ["*"] });
    }
  });
});

describe("feedback from a browser names its respondent", () => {
  let f: Running;
  beforeAll(async () => {
    f = await startCollector();
    expect((await f.call("PUT", "/v1/feedback-policy", f.sk, feedbackPolicy())).status).toBe(200);
    // No worker runs here: deliveries stay queued, and their log shows each body as it would go.
    const hook = await f.call("PUT", "/v1/webhooks/crm", f.sk, { url: "http://127.0.0.1:9/hooks" });
    expect(hook.status).toBe(201);
  });
  afterAll(async () => {
    await f?.close();
  });
  const feedback = (extra: Record<string, unknown>) => ({
    channel: "in-app",
    text: "The export button does nothing",
    context: { url: "https://shop.example/orders", userAgent: "Chromium" },
    ...extra,
  });
  const loopOfFeedback = async (id: string) => {
    const { loops } = (await f.call("GET", "/v1/loops?limit=500", f.sk)).body;
    return loops.find((l: { source: { id: string } }) => l.source.id === id);
  };
  /** Acknowledges, assigns and resolves a loop with a message, which leaves its closure notice. */
  const resolve = async (loopId: string, message: string) => {
    const move = (body: unknown) => f.call("POST", `/v1/loops/${loopId}/transitions`, f.sk, body);
    expect((await move({ to: "acknowledged", actor: "agent:ana" })).status).toBe(200);
    expect((await move({ to: "assigned", actor: "agent:ana", owner: "dev" })).status).toBe(200);
    const resolved = await move({ to: "resolved", actor: "dev:li", message });
    expect(resolved.status).toBe(200);
    return resolved;
  };

  it("an anonymous writer finds the closure notice of their feedback's loop by anonymousId", async () => {
    const anonymousId = `anon-${uuidv7()}`;
    const r = await f.call(
      "POST",
      "/v1/batch",
      f.pk,
      batch({ type: "feedback", data: feedback({ respondent: { anonymousId } }) }),
    );
    expect(r.body.rejected).toEqual([]);
    const loop = await loopOfFeedback(r.body.accepted[0].id);
    expect(loop.context).toEqual({ channel: "in-app" });
    expect((await resolve(loop.id, "Fixed the export button.")).status).toBe(200);
    const closures = await f.call("GET", `/v1/closures?anonymousId=${anonymousId}`, f.pk);
    expect(closures.body.closures).toMatchObject([
      { loopId: loop.id, message: "Fixed the export button." },
    ]);
  });

  it("a named writer needs their respondent token from a public key; then closures need it too", async () => {
    const id = `user-${uuidv7()}`;
    const missing = await f.call(
      "POST",
      "/v1/batch",
      f.pk,
      batch({ type: "feedback", data: feedback({ respondent: { id } }) }),
    );
    expect(missing.body.rejected).toMatchObject([{ code: "invalid_token" }]);
    const forged = await f.call(
      "POST",
      "/v1/batch",
      f.pk,
      batch({ type: "feedback", data: feedback({ respondent: { id, token: "x".repeat(43) } }) }),
    );
    expect(forged.body.rejected[0].issues[0].path).toBe("respondent.token");

    const client = createClient({ endpoint: f.url, secretKey: f.sk });
    const token = client.respondentToken(id);
    await client.close();
    const ok = await f.call(
      "POST",
      "/v1/batch",
      f.pk,
      batch({
        type: "feedback",
        data: feedback({ respondent: { id, token }, customer: { id: "acme", value: 24_000 } }),
      }),
    );
    expect(ok.body.rejected).toEqual([]);
    // Webhooks never carry the token, a credential: feedback.received sends the writer's id only.
    const { deliveries } = (await f.call("GET", "/v1/webhooks/crm/deliveries", f.sk)).body;
    const sent = deliveries
      .map((d: { body: string }) => JSON.parse(d.body))
      .find(
        (p: { type: string; data: { feedback?: { id: string } } }) =>
          p.type === "feedback.received" && p.data.feedback?.id === ok.body.accepted[0].id,
      );
    expect(sent.data.feedback.respondent).toEqual({ id });
    const loop = await loopOfFeedback(ok.body.accepted[0].id);
    // The customer stays the loop's customer; the writer is whom its closure notices are for.
    expect(loop.customer).toEqual({ id: "acme", value: 24_000 });
    await resolve(loop.id, "Exports work again.");
    const mine = await f.call(
      "GET",
      `/v1/closures?respondent=${id}&token=${encodeURIComponent(token)}`,
      f.pk,
    );
    expect(mine.body.closures).toMatchObject([{ loopId: loop.id, message: "Exports work again." }]);
    const customers = await f.call(
      "GET",
      `/v1/closures?respondent=acme&token=${encodeURIComponent(client.respondentToken("acme"))}`,
      f.pk,
    );
    expect(customers.body.closures).toEqual([]);
  });

  it("keeps `customer` as before: without a respondent, closures go to the customer id", async () => {
    const r = await f.call(
      "POST",
      "/v1/batch",
      f.sk,
      batch({
        type: "feedback",
        data: { channel: "support", text: "Slow", customer: { id: "globex" } },
      }),
    );
    const loop = await loopOfFeedback(r.body.accepted[0].id);
    await resolve(loop.id, "Faster now.");
    const client = createClient({ endpoint: f.url, secretKey: f.sk });
    const token = client.respondentToken("globex");
    await client.close();
    const closures = await f.call(
      "GET",
      `/v1/closures?respondent=globex&token=${encodeURIComponent(token)}`,
      f.pk,
    );
    expect(closures.body.closures).toMatchObject([{ loopId: loop.id }]);
  });
});
