// The client's API calls over ky, against a tiny real HTTP server on loopback that answers what
// each test scripts: retries of idempotent requests only, Retry-After, the error mapping, an
// unreachable collector and a timeout. The happy paths against a real collector are in
// packages/collector/test/client.test.ts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Client, CollectorError, createClient, ValidationError } from "../src/index.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

type Answer = (req: Seen, res: ServerResponse, n: number) => void;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

/** A server answering request n (from 0) with `answers[n]`, or the last one past the end. */
async function fake(...answers: Answer[]) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const s = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push({ ...s, at: Date.now() });
      const n = seen.length - 1;
      (answers[n] ?? (answers.at(-1) as Answer))(seen[n] as Seen, res, n);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  open.push({
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
  return { endpoint, seen };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

const unavailable = (retryAfter?: string) =>
  json(
    503,
    { error: { code: "unavailable", message: "The collector could not complete the request" } },
    retryAfter === undefined ? {} : { "retry-after": retryAfter },
  );

function client(endpoint: string, api?: { timeoutMs?: number; retries?: number }): Client {
  const c = createClient({ endpoint, secretKey: "sk_test", ...(api ? { api } : {}) });
  open.push({ close: async () => void (await c.close({ timeoutMs: 10 })) });
  return c;
}

const rejection = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(CollectorError);
  return e as CollectorError;
};

describe("the node client's API calls", () => {
  it("sends the secret key and JSON under the endpoint's path", async () => {
    const { endpoint, seen } = await fake(json(200, { origins: ["https://shop.example"] }));
    const c = client(`${endpoint}/closeloop/`);
    expect(await c.allowedOrigins.set(["https://shop.example"])).toEqual(["https://shop.example"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: "PUT",
      url: "/closeloop/v1/allowed-origins",
      body: JSON.stringify({ origins: ["https://shop.example"] }),
    });
    expect(seen[0]?.headers.authorization).toBe("Bearer sk_test");
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
  });

  it("retries a GET after a 503 once Retry-After has passed, then answers", async () => {
    const { endpoint, seen } = await fake(unavailable("1"), json(200, { loops: [] }));
    expect(await client(endpoint).loops.list({ owner: "support" })).toEqual({ loops: [] });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET /v1/loops?owner=support",
      "GET /v1/loops?owner=support",
    ]);
    // Retry-After: 1 is honoured (ky's own backoff would be 300 ms).
    expect((seen[1] as Seen).at - (seen[0] as Seen).at).toBeGreaterThanOrEqual(950);
  });

  it("retries a PUT after a 500 and a DELETE after a 502, with backoff", async () => {
    const { endpoint, seen } = await fake(
      json(500, { error: { code: "internal", message: "x" } }),
      json(200, { origins: [] }),
      json(502, {}),
      (_req, res) => {
        res.writeHead(204);
        res.end();
      },
    );
    const c = client(endpoint);
    expect(await c.allowedOrigins.set([])).toEqual([]);
    await expect(c.webhooks.remove("crm")).resolves.toBeUndefined();
    expect(seen.map((s) => s.method)).toEqual(["PUT", "PUT", "DELETE", "DELETE"]);
  });

  it("gives up after the retry limit with the last refusal", async () => {
    const { endpoint, seen } = await fake(unavailable("0"));
    const e = await rejection(client(endpoint, { retries: 2 }).metrics());
    expect(e).toMatchObject({ status: 503, code: "unavailable" });
    expect(seen).toHaveLength(3);
  });

  it("does not wait for a Retry-After longer than the timeout: the refusal comes at once", async () => {
    const { endpoint, seen } = await fake(unavailable("60"), json(200, { loops: [] }));
    const started = Date.now();
    const e = await rejection(client(endpoint).loops.list());
    expect(e).toMatchObject({ status: 503, code: "unavailable" });
    expect(seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("never retries a POST: a loop move or a secret rotation must not happen twice", async () => {
    const { endpoint, seen } = await fake(unavailable("0"), json(200, {}));
    const c = client(endpoint);
    const e = await rejection(c.loops.acknowledge("loop-1", { actor: "agent:ana" }));
    expect(e).toMatchObject({ status: 503, code: "unavailable" });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /v1/loops/loop-1/transitions"]);
    expect(JSON.parse((seen[0] as Seen).body)).toEqual({ to: "acknowledged", actor: "agent:ana" });

    const { endpoint: e2, seen: seen2 } = await fake(
      (_req, res) => res.destroy(),
      json(200, { secret: "whsec_x" }),
    );
    const dropped = await rejection(client(e2).webhooks.rotate("crm"));
    expect(dropped).toMatchObject({ status: 0, code: "network" });
    expect(seen2).toHaveLength(1);
  });

  it("does not retry a webhook registration: its secret is answered once", async () => {
    const { endpoint, seen } = await fake(unavailable("0"), json(200, { name: "crm" }));
    const e = await rejection(
      client(endpoint).webhooks.register("crm", { url: "https://crm.example/hooks" }),
    );
    expect(e).toMatchObject({ status: 503, code: "unavailable" });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["PUT /v1/webhooks/crm"]);
  });

  it("turns an error answer into a CollectorError with its status, code, message and issues", async () => {
    const issues = [
      { path: "questions.0.followUp", code: "partial_loop", message: "has no owner" },
      { path: "slaHours", code: "required", message: "must be set" },
    ];
    const { endpoint, seen } = await fake(
      json(422, { error: { code: "partial_loop", message: "The loop is partial", issues } }),
    );
    const e = await rejection(client(endpoint).surveys.publish({ id: "nps" }));
    expect(e).toMatchObject({ status: 422, code: "partial_loop", message: "The loop is partial" });
    expect(e.issues).toEqual(issues);
    expect(e.name).toBe("CollectorError");
    // A 4xx other than 408 and 429 is an answer, not a fault: not retried.
    expect(seen).toHaveLength(1);
  });

  it("names the status when the error answer is not the collector's JSON", async () => {
    const { endpoint } = await fake((_req, res) => {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<h1>Not Found</h1>");
    });
    const e = await rejection(client(endpoint).loops.get("nope"));
    expect(e).toMatchObject({ status: 404, code: "http_404", message: "HTTP 404" });
    expect(e.issues).toEqual([]);
  });

  it("answers status 0, code network, when the collector cannot be reached", async () => {
    const { endpoint } = await fake(json(200, {}));
    await Promise.all(open.splice(0).map((o) => o.close()));
    const e = await rejection(client(endpoint, { retries: 1 }).loops.list());
    expect(e).toMatchObject({ status: 0, code: "network" });
    expect(e.message).toMatch(/^Could not reach the collector: /);
  });

  it("answers status 0, code timeout, when the collector does not answer in time", async () => {
    const { endpoint, seen } = await fake(() => {});
    const started = Date.now();
    const e = await rejection(client(endpoint, { timeoutMs: 200 }).loops.get("l1"));
    expect(e).toMatchObject({ status: 0, code: "timeout" });
    expect(e.message).toBe("The collector did not answer GET /v1/loops/l1 within 200 ms");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen).toHaveLength(1);
  });

  it("refuses a timeout or retry count that makes no sense", () => {
    const err = (() => {
      try {
        createClient({
          endpoint: "http://127.0.0.1:1",
          secretKey: "sk_test",
          api: { timeoutMs: 0, retries: -1 },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual([
      "api.timeoutMs",
      "api.retries",
    ]);
  });
});
