// Builds the OpenAPI 3.1 document of the HTTP API from the route table (`operations.ts`) and the
// zod schemas the collector validates with (`components.ts`), by zod's own JSON Schema output.
// It lives in the collector: the JSON Schema code never reaches core's browser bundles.
import { TimestampSchema } from "@closeloop/core";
import * as z from "zod/mini";
import { VERSION } from "../version.js";
import { ANSWER_SCHEMAS, REQUEST_SCHEMAS, SHARED_SCHEMAS } from "./components.js";
import { type ErrorCase, type KeyNeed, OPERATIONS, type Operation } from "./operations.js";

/** A JSON Schema or OpenAPI object, as plain JSON. */
type JsonObject = { [key: string]: unknown };

const COMPONENTS = "#/components/schemas/";

/** Errors every route with a key may answer, besides its own. */
const KEY_ERRORS: Record<Exclude<KeyNeed, "none">, ErrorCase[]> = {
  public: [
    { status: 401, code: "missing_key", when: "No `authorization: Bearer <key>` header." },
    { status: 401, code: "invalid_key", when: "The key is unknown or revoked." },
    {
      status: 403,
      code: "origin_not_allowed",
      when: "A web page on an origin the environment does not allow sent it (`PUT /v1/allowed-origins`).",
    },
    {
      status: 403,
      code: "secret_key_in_browser",
      when: "A secret key came with an `Origin` header, i.e. from a web page: rotate it.",
    },
  ],
  secret: [
    { status: 401, code: "missing_key", when: "No `authorization: Bearer <key>` header." },
    { status: 401, code: "invalid_key", when: "The key is unknown or revoked." },
    {
      status: 403,
      code: "forbidden",
      when: "A public key (`pk_…`) asked: this needs the secret key.",
    },
    {
      status: 403,
      code: "secret_key_in_browser",
      when: "A secret key came with an `Origin` header, i.e. from a web page: rotate it.",
    },
  ],
};

/** Errors of any route with a key: too many requests, or the store failed. */
const LOAD_ERRORS: ErrorCase[] = [
  {
    status: 429,
    code: "rate_limited",
    when: "Too many requests for this key (500/s, bursts of 1,000 by default): wait `Retry-After` seconds.",
  },
  {
    status: 503,
    code: "unavailable",
    when: "The store failed or the database is away (a restart, a failover); nothing was done. Retry after `Retry-After` seconds.",
  },
  {
    status: 503,
    code: "store_full",
    when: "A write found the SQLite database full (its disk, or `maxBytes`); nothing was done, reads still work. Retry after `Retry-After` (30) seconds.",
  },
];

/** Errors of any route that reads a JSON body. */
const BODY_ERRORS: ErrorCase[] = [
  { status: 400, code: "malformed", when: "The body is empty or not JSON." },
  {
    status: 413,
    code: "body_too_large",
    when: "The body is larger than the collector takes (1 MiB by default).",
  },
];

/** Every error a route may answer: its own, then those its key and body bring. */
export function errorsOf(op: Operation): ErrorCase[] {
  return [
    ...(op.body ? BODY_ERRORS : []),
    ...op.errors,
    ...(op.key === "none" ? [] : [...KEY_ERRORS[op.key], ...LOAD_ERRORS]),
  ].sort((a, b) => a.status - b.status);
}

/**
 * What zod's JSON Schema leaves out: timestamps are checked by a function, which JSON Schema
 * cannot carry, so they are named by the format that means the same (RFC 3339, with an offset).
 */
function override(ctx: { zodSchema: unknown; jsonSchema: JsonObject }): void {
  if (ctx.zodSchema === TimestampSchema) ctx.jsonSchema.format = "date-time";
}

/** zod's formats for checks that its `pattern` already states. */
const PATTERN_FORMATS = new Set(["starts_with", "ends_with", "includes", "lowercase", "uppercase"]);

/** Removes what zod writes for a whole document but a component must not carry. */
function tidy(schema: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return walk(rest, (node) => {
    // `integer` already says it; zod's safe-integer bounds only add noise to every client.
    if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
    if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
    // zod names some string checks as formats JSON Schema does not have; its `pattern` says it.
    if (PATTERN_FORMATS.has(node.format as string) && node.pattern) delete node.format;
  });
}

/**
 * A request body as a caller writes it: a field with a default may be left out. (zod's `input`
 * mode would say so itself, but it also drops the record inside `dictionary`, whose key check is
 * a custom step JSON Schema cannot carry; so the output is taken and its defaults made optional.)
 */
function asInput(schema: JsonObject): JsonObject {
  return walk(schema, (node) => {
    const props = node.properties as Record<string, JsonObject> | undefined;
    if (!props || !Array.isArray(node.required)) return;
    node.required = node.required.filter((k: string) => !("default" in (props[k] ?? {})));
    if ((node.required as string[]).length === 0) delete node.required;
  });
}

/** Calls `visit` on every object inside `value`, depth first, and returns `value`. */
function walk<T>(value: T, visit: (node: JsonObject) => void): T {
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) walk(v, visit);
    visit(value as JsonObject);
  }
  return value;
}

/** Named zod schemas as components, referring to each other by `#/components/schemas/<name>`. */
function toComponents(named: Record<string, z.core.$ZodType>): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...named, ...SHARED_SCHEMAS })) {
    registry.add(schema, { id });
  }
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    uri: (id) => `${COMPONENTS}${id}`,
    override,
  }) as { schemas: Record<string, JsonObject> };
  if ("__shared" in schemas) {
    // A schema used twice that zod would extract unnamed: give it a name in SHARED_SCHEMAS.
    throw new Error("openapi: a shared schema has no name; add it to SHARED_SCHEMAS");
  }
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, tidy(s)]));
}

/** An inline schema of a parameter. */
function inline(schema: z.core.$ZodType): JsonObject {
  return tidy(z.toJSONSchema(schema, { target: "draft-2020-12", override }) as JsonObject);
}

const ref = (name: string) => ({ $ref: `${COMPONENTS}${name}` });
const json = (schema: JsonObject) => ({ "application/json": { schema } });

const SECURITY: Record<KeyNeed, JsonObject[]> = {
  none: [],
  // Either key may call a public-key route.
  public: [{ publicKey: [] }, { secretKey: [] }],
  secret: [{ secretKey: [] }],
};

const RETRY_AFTER = {
  "retry-after": {
    description: "Seconds to wait before retrying.",
    schema: { type: "integer", minimum: 1 },
  },
};

function responsesOf(op: Operation): JsonObject {
  const responses: JsonObject = {};
  for (const a of op.answers) {
    responses[String(a.status)] = {
      description: a.description,
      ...(a.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(a.headers).map(([h, d]) => [
                h,
                { description: d, schema: { type: "string" } },
              ]),
            ),
          }
        : {}),
      ...(a.body
        ? { content: json(ref(a.body)) }
        : op.operationId === "openapi"
          ? { content: json({ type: "object" }) }
          : {}),
    };
  }
  const byStatus = new Map<number, ErrorCase[]>();
  for (const e of errorsOf(op)) byStatus.set(e.status, [...(byStatus.get(e.status) ?? []), e]);
  for (const [status, cases] of byStatus) {
    const codes = [...new Set(cases.map((c) => c.code))];
    responses[String(status)] = {
      description: cases.map((c) => `\`${c.code}\`: ${c.when}`).join("\n"),
      ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
      content: json({
        allOf: [ref("Error"), { properties: { error: { properties: { code: { enum: codes } } } } }],
      }),
      // The same, as data: what `docs/http-api.md` renders as the route's error table.
      "x-error-codes": cases.map(({ code, when }) => ({ code, when })),
    };
  }
  return responses;
}

function operationOf(op: Operation): JsonObject {
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: op.description,
    security: SECURITY[op.key],
    ...(op.parameters
      ? {
          parameters: op.parameters.map((p) => {
            const schema = inline(p.schema);
            const example = op.example[p.in]?.[p.name];
            return {
              name: p.name,
              in: p.in,
              description: p.description,
              required: p.in === "path" ? true : (p.required ?? false),
              schema,
              ...(example === undefined
                ? {}
                : { example: schema.type === "integer" ? Number(example) : example }),
            };
          }),
        }
      : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.body.required,
            content: {
              "application/json": { schema: ref(op.body.component), example: op.example.body },
            },
          },
        }
      : {}),
    responses: responsesOf(op),
  };
}

/** `/v1/loops/:id` as OpenAPI writes it: `/v1/loops/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

let built: JsonObject | undefined;

/**
 * The OpenAPI 3.1 document of the collector's HTTP API (what `GET /v1/openapi.json` answers),
 * built once. Without `servers`, a client resolves paths against where it fetched the document.
 *
 * @example
 * const doc = openApiDocument();
 * Object.keys(doc.paths); // ["/healthz", "/v1/openapi.json", "/v1/batch", …]
 */
export function openApiDocument(): JsonObject & {
  paths: Record<string, Record<string, JsonObject>>;
} {
  if (!built) {
    const requests = Object.fromEntries(
      Object.entries(toComponents(REQUEST_SCHEMAS)).map(([id, s]) => [id, asInput(s)]),
    );
    const answers = toComponents(ANSWER_SCHEMAS);
    for (const id of Object.keys(SHARED_SCHEMAS)) {
      // Named on both sides; the two must say the same, or a request's copy would be lost.
      if (JSON.stringify(requests[id]) !== JSON.stringify(answers[id])) {
        throw new Error(`openapi: ${id} reads differently as input and output`);
      }
    }
    const paths: Record<string, Record<string, JsonObject>> = {};
    for (const op of OPERATIONS) {
      const path = openApiPath(op.path);
      paths[path] = { ...paths[path], [op.method.toLowerCase()]: operationOf(op) };
    }
    built = {
      openapi: "3.1.1",
      info: {
        title: "Closeloop collector",
        version: VERSION,
        description:
          "The HTTP API of the Closeloop collector. Keys: `authorization: Bearer <key>`; the public key (`pk_…`) may only ingest, read surveys and read closure notices, and is the one for browsers; the secret key (`sk_…`) may do everything and must stay on servers. Every error is `{ error: { code, message, issues? } }` with a stable `code`. An unknown path is 404 `not_found`; a known path with another method is 405 `method_not_allowed` with `Allow`. Only the public-key routes answer web pages on other origins: a preflight (`OPTIONS`) to any other route is 403 `cross_origin_refused`. Guide: docs/http-api.md.",
        license: { name: "MIT", identifier: "MIT" },
      },
      jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
      tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
      paths,
      components: {
        schemas: { ...answers, ...requests },
        securitySchemes: {
          publicKey: {
            type: "http",
            scheme: "bearer",
            description: "The environment's public key, `pk_…`: safe in a web page.",
          },
          secretKey: {
            type: "http",
            scheme: "bearer",
            description: "The environment's secret key, `sk_…`: servers only.",
          },
        },
      },
    };
  }
  return built as ReturnType<typeof openApiDocument>;
}
