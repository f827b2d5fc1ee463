// The OpenAPI document against the collector itself: the router's routes and the document's
// operations are one list, the served document is a valid OpenAPI 3.1 document whose every
// reference resolves, and every error code the sources raise is in it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { errorsOf, openApiDocument, openApiPath } from "../src/openapi/document.js";
import { OPERATIONS } from "../src/openapi/operations.js";
import { createApiRouter } from "../src/routes/api-router.js";
import type { RouteDeps } from "../src/routes/deps.js";
import { type Running, startCollector } from "./collector-harness.js";

// Compiling the OpenAPI schema to validate against takes a second or more; on a loaded machine more.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let c: Running;
beforeAll(async () => {
  c = await startCollector();
});
afterAll(async () => {
  await c?.close();
});

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

describe("the document names exactly the collector's routes", () => {
  // The handlers are never called here: only the list of routes is read.
  const routes = createApiRouter({} as RouteDeps).routes();

  it("has an operation for every route of the router", () => {
    const documented = new Set(
      Object.entries(openApiDocument().paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => key(m, path)),
      ),
    );
    const missing = routes
      .map((r) => key(r.method, openApiPath(r.path)))
      .filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
  });

  it("names no route the router does not have", () => {
    const real = new Set(routes.map((r) => key(r.method, openApiPath(r.path))));
    const invented = Object.entries(openApiDocument().paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => key(m, path)))
      .filter((r) => !real.has(r));
    expect(invented).toEqual([]);
    expect(routes.length).toBe(OPERATIONS.length);
  });
});

describe("GET /v1/openapi.json", () => {
  it("is served without a key, readable from any origin, and is the document", async () => {
    const r = await c.call("GET", "/v1/openapi.json", undefined);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const { body } = await c.call("GET", "/v1/openapi.json", undefined);
    expect(body.openapi).toMatch(/^3\.1\.\d+$/);
    expect(Object.keys(body.paths).length).toBeGreaterThan(0);
    expect(Object.keys(body.components.schemas).length).toBeGreaterThan(0);
    const validator = new Validator();
    const result = await validator.validate(body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("refers only to schemas it has", async () => {
    const { body } = await c.call("GET", "/v1/openapi.json", undefined);
    const refs = [...JSON.stringify(body).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      const name = /^#\/components\/schemas\/([A-Za-z]+)$/.exec(ref as string)?.[1];
      expect(name && body.components.schemas[name], ref).toBeTruthy();
    }
  });

  it("states the keys each route needs as security schemes", () => {
    const doc = openApiDocument();
    const batch = doc.paths["/v1/batch"]?.post as { security: unknown };
    expect(batch.security).toEqual([{ publicKey: [] }, { secretKey: [] }]);
    const metrics = doc.paths["/v1/metrics"]?.get as { security: unknown };
    expect(metrics.security).toEqual([{ secretKey: [] }]);
    const self = doc.paths["/v1/openapi.json"]?.get as { security: unknown };
    expect(self.security).toEqual([]);
  });
});

describe("error codes", () => {
  const src = join(import.meta.dirname, "../src");
  /** Every source file of the API (the desk's pages answer HTML, not these errors). */
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? e.name === "desk"
          ? []
          : sources(join(dir, e.name))
        : e.name.endsWith(".ts")
          ? [join(dir, e.name)]
          : [],
    );
  const text = sources(src)
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
  const doc = openApiDocument();
  const described = new Set(
    OPERATIONS.flatMap((op) => errorsOf(op).map((e) => `${e.status} ${e.code}`)),
  );
  const info = (doc.info as { description: string }).description;
  const batch = OPERATIONS.find((op) => op.path === "/v1/batch")?.description ?? "";

  it("documents every status and code the sources answer", () => {
    const raised = [...text.matchAll(/new HttpError\(\s*(\d{3}),\s*"([a-z_]+)"/g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(raised.length).toBeGreaterThan(20);
    // Answered for any path (404, 405) or to a preflight, so told once, in the document's info.
    const anywhere = ["404 not_found", "405 method_not_allowed", "403 cross_origin_refused"];
    for (const code of anywhere) expect(info).toContain(`\`${code.split(" ")[1]}\``);
    const missing = [...new Set(raised)].filter((r) => !described.has(r) && !anywhere.includes(r));
    expect(missing).toEqual([]);
  });

  it("documents every code a batch item may be rejected with", () => {
    const rejected = [...text.matchAll(/new ItemRejection\(\s*"([a-z_]+)"/g)].map((m) => m[1]);
    expect(rejected.length).toBeGreaterThan(5);
    for (const code of new Set(rejected)) expect(batch).toContain(`\`${code}\``);
  });
});
