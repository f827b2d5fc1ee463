// The OpenAPI document against real traffic: every route is called over loopback HTTP on a real
// SQLite file — with the document's own examples (the curl examples of docs/http-api.md), then
// with bad keys and bad input — and every request body and every answer, success or error, is
// validated against the schema the document gives for that route and status, by an independent
// JSON Schema 2020-12 validator (Ajv).
import { uuidv7 } from "@closeloop/core";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openApiDocument } from "../src/openapi/document.js";
import { type Running, response, startCollector } from "./collector-harness.js";

// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON, read field by field.
type Json = any;
const doc: Json = JSON.parse(JSON.stringify(openApiDocument()));
const BASE = "https://closeloop.test/openapi.json";

// A real collector on a loaded machine (the whole suite at once) takes longer than vitest's 5 s.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
// The whole document as one schema, so `#/components/schemas/…` and answers' inline error
// schemas resolve by JSON pointer, as a client generator resolves them.
ajv.addSchema(doc, BASE);

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

function validateAt(path: string, value: unknown): void {
  const validate = ajv.getSchema(`${BASE}#/${path}`);
  if (!validate) throw new Error(`no schema at ${path}`);
  if (!validate(value)) {
    throw new Error(`${path}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
  }
}

/** The operations called so far, to hold that every one was. */
const called = new Set<string>();

/** Checks an answer against the document: its status is documented, its body fits. */
function expectDocumented(
  method: string,
  path: string,
  answer: { status: number; body: unknown },
): void {
  const op = doc.paths[path]?.[method.toLowerCase()];
  expect(op, `${method} ${path} is not in the document`).toBeDefined();
  called.add(`${method} ${path}`);
  const documented = op.responses[String(answer.status)];
  expect(
    documented,
    `${method} ${path} answered ${answer.status}, which the document does not list: ${JSON.stringify(answer.body)}`,
  ).toBeDefined();
  if (!documented.content) {
    expect(answer.body).toBeUndefined();
    return;
  }
  validateAt(
    pointer(
      "paths",
      path,
      method.toLowerCase(),
      "responses",
      String(answer.status),
      "content",
      "application/json",
      "schema",
    ),
    answer.body,
  );
}

/** A request body checked against the document's schema for it before it is sent. */
function documentedBody(method: string, path: string, body: unknown): unknown {
  const op = doc.paths[path][method.toLowerCase()];
  const component = op.requestBody.content["application/json"].schema.$ref.split("/").pop();
  validateAt(pointer("components", "schemas", component), body);
  return body;
}

/** The example the document gives an operation: its body, and its parameters' values. */
function exampleOf(method: string, path: string) {
  const op = doc.paths[path][method.toLowerCase()];
  let url = path;
  const query = new URLSearchParams();
  for (const p of op.parameters ?? []) {
    if (p.example === undefined) continue;
    if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(p.example));
    else query.set(p.name, String(p.example));
  }
  const body = op.requestBody?.content["application/json"].example;
  return { url: query.size ? `${url}?${query}` : url, body };
}

let c: Running;
/** Calls the collector and checks the answer against the document, by the route's template. */
async function call(method: string, template: string, url: string, key?: string, body?: unknown) {
  const answer = await c.call(method, url, key, body);
  expectDocumented(method, template, answer);
  return answer;
}

beforeAll(async () => {
  c = await startCollector();
});
afterAll(async () => {
  await c?.close();
});

describe("the document's examples, sent to a real collector", () => {
  let loopId = "";

  it("publishes the example survey and feedback policy", async () => {
    const survey = exampleOf("PUT", "/v1/surveys/{id}");
    documentedBody("PUT", "/v1/surveys/{id}", survey.body);
    expect((await call("PUT", "/v1/surveys/{id}", survey.url, c.sk, survey.body)).status).toBe(201);
    expect((await call("PUT", "/v1/surveys/{id}", survey.url, c.sk, survey.body)).status).toBe(200);
    const policy = exampleOf("PUT", "/v1/feedback-policy");
    documentedBody("PUT", "/v1/feedback-policy", policy.body);
    expect((await call("PUT", "/v1/feedback-policy", policy.url, c.sk, policy.body)).status).toBe(
      200,
    );
  });

  it("registers the example webhook endpoint, so the loop's moves fill its log", async () => {
    const hook = exampleOf("PUT", "/v1/webhooks/{name}");
    documentedBody("PUT", "/v1/webhooks/{name}", hook.body);
    expect((await call("PUT", "/v1/webhooks/{name}", hook.url, c.sk, hook.body)).status).toBe(201);
    // Updated to every event type, so the log has more than one delivery to page through.
    const all = documentedBody("PUT", "/v1/webhooks/{name}", { url: (hook.body as Json).url });
    expect((await call("PUT", "/v1/webhooks/{name}", hook.url, c.sk, all)).status).toBe(200);
  });

  it("ingests the example batch and more item types", async () => {
    const ex = exampleOf("POST", "/v1/batch");
    documentedBody("POST", "/v1/batch", ex.body);
    const r = await call("POST", "/v1/batch", ex.url, c.pk, ex.body);
    expect(r.body.accepted).toHaveLength(1);
    const more = {
      items: [
        {
          type: "feedback",
          idempotencyKey: uuidv7(),
          data: {
            channel: "support",
            text: "The export button does nothing",
            customer: { id: "cus_1", value: 1200 },
          },
        },
        {
          type: "customer",
          idempotencyKey: uuidv7(),
          data: { customerId: "cus_1", event: "gained", value: 1200, at: new Date().toISOString() },
        },
        { type: "response", idempotencyKey: uuidv7(), data: response({ score: 11 }) },
      ],
    };
    documentedBody("POST", "/v1/batch", more);
    // A backend's batch: customer events need the secret key.
    const m = await call("POST", "/v1/batch", "/v1/batch", c.sk, more);
    expect(m.body.accepted).toHaveLength(2);
    expect(m.body.rejected[0].issues.length).toBeGreaterThan(0);
    const fromPage = await call("POST", "/v1/batch", "/v1/batch", c.pk, {
      items: [{ ...more.items[1], idempotencyKey: uuidv7() }],
    });
    expect(fromPage.body.rejected.map((x: { code: string }) => x.code)).toEqual([
      "secret_key_required",
    ]);
  });

  it("lists surveys, with a 304 for an unchanged ETag", async () => {
    const r = await call("GET", "/v1/surveys", "/v1/surveys", c.pk);
    const res = await fetch(`${c.url}/v1/surveys`, {
      headers: { authorization: `Bearer ${c.pk}`, "if-none-match": r.headers.get("etag") ?? "" },
    });
    expectDocumented("GET", "/v1/surveys", {
      status: res.status,
      body: (await res.text()) || undefined,
    });
    expect(res.status).toBe(304);
  });

  it("finds, reads and moves the loop through to closed", async () => {
    const ex = exampleOf("GET", "/v1/loops");
    await call("GET", "/v1/loops", ex.url, c.sk);
    const page = await call("GET", "/v1/loops", "/v1/loops?state=received&limit=1", c.sk);
    expect(page.body.next).toBeDefined();
    const all = await call("GET", "/v1/loops", "/v1/loops", c.sk);
    loopId = all.body.loops.find((l: Json) => l.source.kind === "response").id;
    await call("GET", "/v1/loops/{id}", `/v1/loops/${loopId}`, c.sk);
    const move = (body: unknown) => {
      documentedBody("POST", "/v1/loops/{id}/transitions", body);
      return call(
        "POST",
        "/v1/loops/{id}/transitions",
        `/v1/loops/${loopId}/transitions`,
        c.sk,
        body,
      );
    };
    const resolve = { to: "resolved", actor: "agent:ana", message: "We fixed the export button." };
    expect((await move(resolve)).body.error.code).toBe("illegal_transition");
    expect((await move(exampleOf("POST", "/v1/loops/{id}/transitions").body)).status).toBe(200);
    expect((await move({ to: "assigned", actor: "agent:ana" })).body.state).toBe("assigned");
    expect((await move(resolve)).status).toBe(200);
  });

  it("answers the respondent's closure notice, then closes the loop when it is seen", async () => {
    const ex = exampleOf("GET", "/v1/closures");
    const r = await call("GET", "/v1/closures", ex.url, c.pk);
    expect(r.body.closures).toHaveLength(1);
    const seen = {
      items: [
        {
          type: "closure-seen",
          idempotencyKey: uuidv7(),
          data: { noticeId: r.body.closures[0].id },
        },
      ],
    };
    documentedBody("POST", "/v1/batch", seen);
    expect((await call("POST", "/v1/batch", "/v1/batch", c.pk, seen)).body.accepted).toHaveLength(
      1,
    );
    const loop = await call("GET", "/v1/loops/{id}", `/v1/loops/${loopId}`, c.sk);
    expect(loop.body.state).toBe("closed");
  });

  it("reports the metrics, grouped and not", async () => {
    await call("GET", "/v1/metrics", exampleOf("GET", "/v1/metrics").url, c.sk);
    const r = await call("GET", "/v1/metrics", "/v1/metrics?groupBy=segment", c.sk);
    expect(r.body.total.loops.total).toBeGreaterThanOrEqual(2);
    expect(Object.keys(r.body.groups)).toContain("detractor");
  });

  it("reads and sets the allowed origins", async () => {
    await call("GET", "/v1/allowed-origins", "/v1/allowed-origins", c.sk);
    const ex = exampleOf("PUT", "/v1/allowed-origins");
    documentedBody("PUT", "/v1/allowed-origins", ex.body);
    expect((await call("PUT", "/v1/allowed-origins", ex.url, c.sk, ex.body)).body.origins).toEqual([
      "https://shop.example",
    ]);
    await call("PUT", "/v1/allowed-origins", ex.url, c.sk, { origins: ["*"] });
  });

  it("rotates the webhook's secret, reads its delivery log, removes it", async () => {
    const rotate = exampleOf("POST", "/v1/webhooks/{name}/rotate");
    documentedBody("POST", "/v1/webhooks/{name}/rotate", rotate.body);
    await call("POST", "/v1/webhooks/{name}/rotate", rotate.url, c.sk, rotate.body);
    const log = await call(
      "GET",
      "/v1/webhooks/{name}/deliveries",
      exampleOf("GET", "/v1/webhooks/{name}/deliveries").url,
      c.sk,
    );
    expect(log.body.deliveries.length).toBeGreaterThan(0);
    const small = await call(
      "GET",
      "/v1/webhooks/{name}/deliveries",
      "/v1/webhooks/crm/deliveries?limit=1",
      c.sk,
    );
    expect(small.body.next).toBeDefined();
    const del = exampleOf("DELETE", "/v1/webhooks/{name}");
    expect((await call("DELETE", "/v1/webhooks/{name}", del.url, c.sk)).status).toBe(204);
    expect((await call("DELETE", "/v1/webhooks/{name}", del.url, c.sk)).body.error.code).toBe(
      "not_found",
    );
  });

  it("answers the operations routes without a key", async () => {
    expect((await call("GET", "/healthz", "/healthz")).body.ok).toBe(true);
    expect((await call("GET", "/v1/openapi.json", "/v1/openapi.json")).status).toBe(200);
  });
});

describe("errors, each as the document says", () => {
  const codeOf = async (
    method: string,
    template: string,
    url: string,
    key?: string,
    body?: unknown,
  ) => (await call(method, template, url, key, body)).body.error.code;

  it("keys: missing, unknown, public where secret is needed, secret from a web page", async () => {
    expect(await codeOf("GET", "/v1/loops", "/v1/loops")).toBe("missing_key");
    expect(await codeOf("GET", "/v1/surveys", "/v1/surveys", "pk_nope_0123456789abcdefgh")).toBe(
      "invalid_key",
    );
    expect(await codeOf("GET", "/v1/metrics", "/v1/metrics", c.pk)).toBe("forbidden");
    const res = await fetch(`${c.url}/v1/loops`, {
      headers: { authorization: `Bearer ${c.sk}`, origin: "https://shop.example" },
    });
    const body = await res.json();
    expectDocumented("GET", "/v1/loops", { status: res.status, body });
    expect(body.error.code).toBe("secret_key_in_browser");
  });

  it("bad bodies and queries", async () => {
    expect(await codeOf("POST", "/v1/batch", "/v1/batch", c.pk, "{not json")).toBe("malformed");
    expect(await codeOf("POST", "/v1/batch", "/v1/batch", c.pk, { items: [] })).toBe(
      "invalid_batch",
    );
    expect(await codeOf("GET", "/v1/loops", "/v1/loops?state=lost&limit=0", c.sk)).toBe(
      "invalid_query",
    );
    expect(await codeOf("GET", "/v1/metrics", "/v1/metrics?from=yesterday", c.sk)).toBe(
      "invalid_query",
    );
    expect(await codeOf("GET", "/v1/closures", "/v1/closures", c.pk)).toBe("invalid_query");
    expect(await codeOf("GET", "/v1/closures", "/v1/closures?respondent=u1&token=nope", c.pk)).toBe(
      "invalid_token",
    );
    expect(
      await codeOf(
        "POST",
        "/v1/loops/{id}/transitions",
        `/v1/loops/${uuidv7()}/transitions`,
        c.sk,
        {
          to: "nowhere",
        },
      ),
    ).toBe("invalid_transition");
    expect(
      await codeOf("PUT", "/v1/allowed-origins", "/v1/allowed-origins", c.sk, {
        origins: ["shop"],
      }),
    ).toBe("invalid_origins");
    expect(
      await codeOf("PUT", "/v1/webhooks/{name}", "/v1/webhooks/crm", c.sk, { url: "ftp://x" }),
    ).toBe("invalid_webhook");
    expect(
      await codeOf("GET", "/v1/webhooks/{name}/deliveries", "/v1/webhooks/-bad/deliveries", c.sk),
    ).toBe("invalid_name");
    expect(
      await codeOf("POST", "/v1/webhooks/{name}/rotate", "/v1/webhooks/gone/rotate", c.sk, {
        graceSeconds: -1,
      }),
    ).toBe("invalid_rotation");
  });

  it("what does not exist, and what conflicts", async () => {
    expect(await codeOf("GET", "/v1/loops/{id}", `/v1/loops/${uuidv7()}`, c.sk)).toBe("not_found");
    expect(
      await codeOf("POST", "/v1/webhooks/{name}/rotate", "/v1/webhooks/gone/rotate", c.sk),
    ).toBe("not_found");
    const survey = exampleOf("PUT", "/v1/surveys/{id}").body as Json;
    expect(
      await codeOf("PUT", "/v1/surveys/{id}", "/v1/surveys/onboarding-nps", c.sk, {
        ...survey,
        name: "Other",
      }),
    ).toBe("version_exists");
    expect(await codeOf("PUT", "/v1/surveys/{id}", "/v1/surveys/other", c.sk, survey)).toBe(
      "id_mismatch",
    );
    const partial = {
      ...survey,
      version: 2,
      loop: { routes: { promoter: survey.loop.routes.promoter } },
    };
    expect(
      await codeOf("PUT", "/v1/surveys/{id}", "/v1/surveys/onboarding-nps", c.sk, partial),
    ).toBe("partial_loop");
    expect(
      await codeOf("PUT", "/v1/feedback-policy", "/v1/feedback-policy", c.sk, { locales: ["en"] }),
    ).toBe("partial_loop");
  });

  it("too many requests for a key", async () => {
    const limited = await startCollector({ limits: { rate: { perSecond: 1, burst: 1 } } });
    try {
      await limited.call("GET", "/v1/surveys", limited.pk);
      const r = await limited.call("GET", "/v1/surveys", limited.pk);
      expectDocumented("GET", "/v1/surveys", r);
      expect(r.body.error.code).toBe("rate_limited");
    } finally {
      await limited.close();
    }
  });

  it("called every operation of the document", () => {
    const all = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(all.filter((op) => !called.has(op))).toEqual([]);
  });
});
