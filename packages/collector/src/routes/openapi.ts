import { openApiDocument } from "../openapi/document.js";

let body: string | undefined;

/**
 * `GET /v1/openapi.json`, no key: the OpenAPI 3.1 document of this API. Public on purpose: it
 * describes the API's shape, the same for every collector of this version, and holds nothing of
 * any environment; a developer generating a client reads it before they have a key. Any origin
 * may read it (no credentials are involved), so API tools on other sites can load it.
 */
export async function getOpenApi(_request: Request): Promise<Response> {
  body ??= JSON.stringify(openApiDocument());
  return new Response(body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "access-control-allow-origin": "*",
      "cache-control": "public, max-age=300",
    },
  });
}
