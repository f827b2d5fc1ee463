import type { IncomingMessage, ServerResponse } from "node:http";
import { withCors } from "./cors.js";
import { errorResponse, HttpError } from "./errors.js";

/**
 * Serves a web-standard `fetch` handler on node:http. The body is read here, up to `maxBodyBytes`
 * (413 past it, without buffering the rest, with the route's CORS headers so a page can read it
 * and split its batch), so the handler gets a complete `Request`.
 */
export function nodeListener(
  handle: (request: Request) => Promise<Response>,
  maxBodyBytes: number,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        refused = true;
        const tooLarge = errorResponse(
          new HttpError(413, "body_too_large", `The body is larger than ${maxBodyBytes} bytes`),
        );
        const { pathname } = new URL(req.url ?? "/", "http://localhost");
        void send(res, withCors(tooLarge, pathname, req.headers.origin ?? null), true);
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => res.destroy());
    req.on("end", () => {
      if (refused) return;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const method = req.method ?? "GET";
      const init: RequestInit = { method, headers };
      if (method !== "GET" && method !== "HEAD" && size > 0)
        init.body = Buffer.concat(chunks, size);
      const request = new Request(
        `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`,
        init,
      );
      handle(request).then(
        (response) => send(res, response, false),
        () => {
          res.statusCode = 500;
          res.end();
        },
      );
    });
  };
}

async function send(res: ServerResponse, response: Response, close: boolean): Promise<void> {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  if (close) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(body);
}
