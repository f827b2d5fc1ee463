// Writes docs/http-api.md from the collector's OpenAPI document (the one `GET /v1/openapi.json`
// serves), so the HTTP reference is the document read aloud. `--check` fails when the file is out
// of date; `--file PATH` writes or checks another file. The document's module is TypeScript: it
// is bundled in memory with esbuild and imported from that, so no build is needed first.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const check = args.includes("--check");
const fileAt = args.indexOf("--file");
const target = fileAt >= 0 ? args[fileAt + 1] : join(root, "docs/http-api.md");

async function loadDocument() {
  const bundled = await build({
    entryPoints: [join(root, "packages/collector/src/openapi/document.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "error",
    alias: {
      "@closeloop/core": join(root, "packages/core/src/index.ts"),
      "@closeloop/node": join(root, "packages/node/src/index.ts"),
    },
  });
  const code = Buffer.from(bundled.outputFiles[0].text).toString("base64");
  const { openApiDocument } = await import(`data:text/javascript;base64,${code}`);
  return openApiDocument();
}

const KEY_ENV = { publicKey: "$CLOSELOOP_PUBLIC_KEY", secretKey: "$CLOSELOOP_SECRET_KEY" };

/** Which key a route takes, in words. */
function keyOf(op) {
  const names = op.security.flatMap((s) => Object.keys(s));
  if (names.length === 0) return "none";
  if (names.includes("publicKey")) return "public (or secret)";
  return "secret";
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replaceAll(" ", "-");
const cell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");
const refName = (schema) => schema?.$ref?.split("/").pop();

/** The property whose constant tells a union's object variants apart (`type`), if there is one. */
function tagOf(variants) {
  const first = Object.entries(variants[0]?.properties ?? {}).find(
    ([, p]) => p.const !== undefined,
  );
  return first && variants.every((v) => v.properties?.[first[0]]?.const !== undefined)
    ? first[0]
    : undefined;
}

/** A short type for a schema: `string (date-time)`, `array of Loop`, `"a" \| "b"`. */
function typeOf(schema) {
  if (!schema || Object.keys(schema).length === 0) return "any";
  const name = refName(schema);
  if (name) return `[${name}](#${anchor(name)})`;
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(", ");
  if (schema.allOf) return schema.allOf.map(typeOf).join(" and ");
  const union = schema.oneOf ?? schema.anyOf;
  const tag = union && tagOf(union);
  if (tag)
    return `one of, by \`${tag}\`: ${union.map((v) => typeOf(v.properties[tag])).join(", ")}`;
  if (union?.every((v) => v.properties)) return `one of ${union.length} forms (their fields below)`;
  if (union) return `one of: ${union.map(typeOf).join("; ")}`;
  if (schema.type === "array") return `array of ${typeOf(schema.items)}`;
  if (schema.type === "object" && schema.additionalProperties && !schema.properties) {
    const keys = schema.propertyNames?.pattern ? ` (keys \`${schema.propertyNames.pattern}\`)` : "";
    return `map${keys} of ${typeOf(schema.additionalProperties)}`;
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "any");
  return schema.format ? `${type} (${schema.format})` : type;
}

/** What limits a value: bounds, pattern, default. */
function rulesOf(schema) {
  const out = [];
  const range = (lo, hi, unit) => {
    if (lo !== undefined && hi !== undefined) out.push(`${lo}–${hi}${unit}`);
    else if (lo !== undefined) out.push(`≥ ${lo}${unit}`);
    else if (hi !== undefined) out.push(`≤ ${hi}${unit}`);
  };
  range(schema.minimum, schema.maximum, "");
  range(schema.minLength, schema.maxLength, " characters");
  range(schema.minItems, schema.maxItems, " items");
  if (schema.pattern) out.push(`matches \`${schema.pattern}\``);
  if (schema.default !== undefined) out.push(`default \`${JSON.stringify(schema.default)}\``);
  return out.join("; ");
}

/**
 * The rows of a fields table: each property by its dotted path, nested objects and lists of
 * objects opened a few levels down, each variant of a union under its own label.
 */
function fieldRows(schema, prefix = "", depth = 0) {
  const rows = [];
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && depth < 6) {
    for (const v of variants) {
      const tag = Object.entries(v.properties ?? {}).find(([, p]) => p.const !== undefined);
      const label = tag ? `${prefix}(${tag[0]} ${JSON.stringify(tag[1].const)})` : prefix;
      rows.push(...fieldRows(v, label, depth + 1));
    }
    return rows;
  }
  if (schema.type === "array" && schema.items && !refName(schema.items) && depth < 6) {
    return fieldRows(schema.items, `${prefix}[]`, depth + 1);
  }
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const required = (schema.required ?? []).includes(name);
    rows.push(
      `| \`${path}\` | ${cell(typeOf(prop))} | ${required ? "yes" : ""} | ${cell(rulesOf(prop))} |`,
    );
    // A list's items, or a map's values (`routes.<segment>`), are opened like an object.
    const map = prop.additionalProperties?.properties ? prop.additionalProperties : undefined;
    if (depth < 5 && map) rows.push(...fieldRows(map, `${path}.<key>`, depth + 1));
    const inner = prop.type === "array" ? prop.items : prop;
    if (depth < 5 && inner && !refName(inner) && (inner.properties || inner.oneOf || inner.anyOf)) {
      rows.push(...fieldRows(inner, prop.type === "array" ? `${path}[]` : path, depth + 1));
    }
  }
  return rows;
}

function fieldsTable(schema) {
  const rows = fieldRows(schema);
  if (rows.length === 0) return [`A ${typeOf(schema)}.`, ""];
  return ["| field | type | required | rules |", "|---|---|---|---|", ...rows, ""];
}

/** A curl command that sends the operation's example. */
function curlOf(method, path, op) {
  const ex = op.requestBody?.content["application/json"].example;
  const parameters = op.parameters ?? [];
  let url = path;
  const query = [];
  for (const p of parameters) {
    const value = p.example;
    if (value === undefined) continue;
    if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(value));
    // Commas and colons are as valid in a query as they are easier to read unescaped.
    else
      query.push(`${p.name}=${encodeURIComponent(value).replace(/%2C|%3A/g, decodeURIComponent)}`);
  }
  const lines = [
    `curl -sS${method === "get" ? "" : ` -X ${method.toUpperCase()}`} "$CLOSELOOP_URL${url}${query.length ? `?${query.join("&")}` : ""}"`,
  ];
  const scheme = op.security.flatMap((s) => Object.keys(s))[0];
  if (scheme) lines.push(`  -H "authorization: Bearer ${KEY_ENV[scheme]}"`);
  if (ex !== undefined) {
    lines.push('  -H "content-type: application/json"');
    lines.push(
      `  -d '${JSON.stringify(ex, null, 2).replaceAll("'", "'\\''").replaceAll("\n", "\n  ")}'`,
    );
  }
  return ["```sh", lines.join(" \\\n"), "```", ""];
}

function render(doc) {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const out = [
    "# The HTTP API",
    "",
    "Generated from the collector's OpenAPI document by `node scripts/http-api-docs.mjs`; do not edit by hand.",
    "",
    `Every route of the collector (version ${doc.info.version}), for any language. The same contract,`,
    "machine-readable, is served by every collector at `GET /v1/openapi.json` (OpenAPI 3.1, no key):",
    "generate a client from it with any OpenAPI tool. Its schemas are produced from the very zod",
    "schemas the collector validates requests with, so the document cannot promise a shape the",
    "collector does not take.",
    "",
    "## Calling it",
    "",
    "- **Base URL**: where the collector listens (`closeloop serve`, port 7345 by default). The",
    "  document has no `servers`: paths resolve against wherever you fetched it from.",
    "- **Keys**: `authorization: Bearer <key>`. Each environment has two:",
    "  - the **public key** (`pk_…`) may only send items (`POST /v1/batch`), read the active surveys",
    "    and read a respondent's closure notices. It is meant to be seen: browsers and mobile apps",
    "    carry it.",
    "  - the **secret key** (`sk_…`) may call every route and must stay on your servers. Sent from a",
    "    web page (with an `Origin` header) it is refused with 403 `secret_key_in_browser`.",
    "  - `GET /healthz` and `GET /v1/openapi.json` take no key.",
    "- **Bodies** are JSON (`content-type: application/json`), at most 1 MiB by default.",
    "- **Errors** are JSON with a stable `code` to branch on, a message that says what is allowed,",
    "  and, for bad input, every issue with its path:",
    "",
    "  ```json",
    "  {",
    '    "error": {',
    '      "code": "invalid_transition",',
    '      "message": "Invalid transition (1 issue):\\n  - to: must be one of: captured, received, acknowledged, assigned, resolved, closed, reopened [invalid_value]",',
    '      "issues": [',
    '        { "path": "to", "code": "invalid_value", "message": "must be one of: captured, received, acknowledged, assigned, resolved, closed, reopened" }',
    "      ]",
    "    }",
    "  }",
    "  ```",
    "",
    "  Besides each route's own codes below: an unknown path is 404 `not_found`; a known path",
    "  with another method is 405 `method_not_allowed` with an `Allow` header. 429 and 503 carry",
    "  `Retry-After`; both are safe to retry (a batch is one transaction, and items are idempotent).",
    "- **Browsers**: only the public-key routes (`POST /v1/batch`, `GET /v1/surveys`,",
    "  `GET /v1/closures`) answer web pages on other origins, from the origins the environment",
    "  allows (`PUT /v1/allowed-origins`); a preflight to any other route is 403",
    "  `cross_origin_refused`.",
    "- **Not here**: the loop desk at `/desk` is a web app for people (pages, forms, a session",
    "  cookie), not part of this API; see [desk.md](desk.md).",
    "",
    "The curl examples read the collector's URL and keys from the environment:",
    "",
    "```sh",
    "export CLOSELOOP_URL=http://127.0.0.1:7345",
    "export CLOSELOOP_PUBLIC_KEY=pk_…   # printed once by `closeloop serve` on an empty store",
    "export CLOSELOOP_SECRET_KEY=sk_…",
    "```",
    "",
    "They build on each other: the survey, the feedback policy and the batch's response fit",
    "together. The loop examples carry a placeholder id; use one that `GET /v1/loops` lists.",
    "",
    "## Routes",
    "",
    "| method | path | key | what |",
    "|---|---|---|---|",
    ...ops.map(
      ({ path, method, op }) =>
        `| ${method.toUpperCase()} | [\`${path}\`](#${anchor(`${method} ${path}`)}) | ${keyOf(op)} | ${cell(op.summary)} |`,
    ),
    "",
  ];
  for (const { path, method, op } of ops) {
    out.push(`### ${method.toUpperCase()} ${path}`, "");
    out.push(`**${op.summary}.** Key: ${keyOf(op)}.`, "", op.description, "");
    if (op.parameters?.length) {
      out.push("| parameter | in | type | required | what |", "|---|---|---|---|---|");
      for (const p of op.parameters) {
        const rules = rulesOf(p.schema);
        out.push(
          `| \`${p.name}\` | ${p.in} | ${cell(typeOf(p.schema))} | ${p.required ? "yes" : ""} | ${cell(p.description)}${rules ? ` (${cell(rules)})` : ""} |`,
        );
      }
      out.push("");
    }
    if (op.requestBody) {
      const name = refName(op.requestBody.content["application/json"].schema);
      out.push(
        `Body${op.requestBody.required ? "" : " (optional)"}: [${name}](#${anchor(name)}).`,
        "",
      );
    }
    out.push("| status | answer |", "|---|---|");
    const errors = [];
    for (const [status, answer] of Object.entries(op.responses)) {
      if (answer["x-error-codes"]) {
        for (const e of answer["x-error-codes"])
          errors.push(`| ${status} | \`${e.code}\` | ${cell(e.when)} |`);
        continue;
      }
      const schema = answer.content?.["application/json"]?.schema;
      const body =
        schema && refName(schema) ? ` [${refName(schema)}](#${anchor(refName(schema))})` : "";
      out.push(`| ${status} | ${cell(answer.description)}${body} |`);
    }
    out.push("");
    if (errors.length > 0) {
      out.push("| status | error code | when |", "|---|---|---|", ...errors, "");
    }
    out.push(...curlOf(method, path, op));
  }
  out.push("## Schemas", "");
  out.push(
    "Request bodies (the `…Request` and `…Input` schemas) as you send them: a field with a default may",
    "be left out. Answers as the collector sends them, defaults filled in. Objects take no fields",
    "besides those listed (an unknown field in a request is an issue naming it).",
    "",
  );
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    out.push(`### ${name}`, "", ...fieldsTable(schema));
  }
  return `${out.join("\n").trimEnd()}\n`;
}

const text = render(await loadDocument());
const shown = relative(process.cwd(), target) || target;
if (check) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {}
  if (current !== text) {
    console.error(`${shown} is out of date: run \`node scripts/http-api-docs.mjs\``);
    process.exit(1);
  }
  console.log(`${shown} is up to date`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${shown}`);
}
