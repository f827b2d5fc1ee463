// The node client's outbox sends over node:http (nodeFetch) instead of the global fetch: the
// transport's outcomes must be the same — delivered, refused, retry with Retry-After, timeout,
// a connection cut mid-answer — against a real loopback server.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpTransport } from "@closeloop/core";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../src/client/client.js";
import { nodeFetch } from "../src/client/node-fetch.js";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const item = {
  type: "feedback" as const,
  idempotencyKey: "feedback:1",
  data: { channel: "s", text: "é 😀" },
};

describe("nodeFetch under the HTTP transport", () => {
  it("delivers: sends the key, the JSON body whole (UTF-8), and reads the batch result", async () => {
    let seen: { auth?: string | undefined; body?: unknown } = {};
    const endpoint = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        seen = {
          auth: req.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString()),
        };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ accepted: [{ index: 0, id: "f1" }], rejected: [] }));
      });
    });
    const transport = createHttpTransport({ endpoint, key: "sk_test", fetch: nodeFetch() });
    const outcome = await transport.send([item]);
    expect(outcome).toEqual({
      kind: "delivered",
      result: { accepted: [{ index: 0, id: "f1" }], rejected: [] },
    });
    expect(seen).toEqual({ auth: "Bearer sk_test", body: { items: [item] } });
  });

  it("passes a refusal's error and a 503's Retry-After through", async () => {
    let calls = 0;
    const endpoint = await serve((req, res) => {
      req.resume();
      req.on("end", () => {
        if (calls++ === 0) {
          res.writeHead(400, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { code: "malformed", message: "bad" } }));
        } else {
          res.writeHead(503, { "retry-after": "7" });
          res.end("busy");
        }
      });
    });
    const transport = createHttpTransport({ endpoint, key: "sk_test", fetch: nodeFetch() });
    expect(await transport.send([item])).toEqual({
      kind: "refused",
      error: { status: 400, code: "malformed", message: "bad" },
    });
    const retry = await transport.send([item]);
    expect(retry).toMatchObject({ kind: "retry", retryAfterMs: 7_000, error: { status: 503 } });
  });

  it("times out a server that never answers", async () => {
    const endpoint = await serve(() => {});
    const transport = createHttpTransport({
      endpoint,
      key: "sk_test",
      fetch: nodeFetch(),
      timeoutMs: 200,
    });
    expect(await transport.send([item])).toEqual({
      kind: "retry",
      error: { code: "timeout", message: "no answer within 200 ms" },
    });
  });

  it("retries an answer cut short and a refused connection", async () => {
    const endpoint = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"accepted":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const transport = createHttpTransport({ endpoint, key: "sk_test", fetch: nodeFetch() });
    expect(await transport.send([item])).toMatchObject({
      kind: "retry",
      error: { code: "network" },
    });
    server?.closeAllConnections();
    server?.close();
    server = undefined;
    expect(await transport.send([item])).toMatchObject({
      kind: "retry",
      error: { code: "network" },
    });
  });
});

describe("createClient's deliveryFetch", () => {
  it("sends the outbox's deliveries through the fetch it is given (e.g. the global one, for a proxy)", async () => {
    let received = 0;
    const endpoint = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const { items } = JSON.parse(Buffer.concat(chunks).toString()) as { items: unknown[] };
        received += items.length;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            accepted: items.map((_, index) => ({ index, id: `f${index}`, duplicate: false })),
            rejected: [],
          }),
        );
      });
    });
    const calls: string[] = [];
    const client = createClient({
      endpoint,
      secretKey: "sk_test",
      deliveryFetch: (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      },
    });
    await client.captureFeedback({ channel: "support", text: "The export is slow" });
    await client.close();
    expect(calls).toEqual([`${endpoint}/v1/batch`]);
    expect(received).toBe(1);
  });

  it("refuses a deliveryFetch that is not a function, naming it", () => {
    expect(() =>
      createClient({
        endpoint: "http://127.0.0.1:9",
        secretKey: "sk_test",
        deliveryFetch: "fetch" as unknown as typeof fetch,
      }),
    ).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: "deliveryFetch" })] }),
    );
  });
});
