import type { IncomingMessage, ServerResponse } from "node:http";
import { withCors } from "./cors.js";
import { errorResponse, HttpError } from "./errors.js";

/**
 * Serves a web-standard `fetch` handler on node:http. The body is read here, up to `maxBodyBytes`
 * (413 past it, without buffering the rest, with the route's CORS headers so a page can read it
 * and split its batch), so the handler gets a complete `Request`. Once `draining` aborts, every
 * answer closes its connection and event streams end (see `ListeningCollector.close`).
 */
export function nodeListener(
  handle: (request: Request) => Promise<Response>,
  maxBodyBytes: number,
  draining: AbortSignal = new AbortController().signal,
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
        void send(res, withCors(tooLarge, pathname, req.headers.origin ?? null), true, draining);
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
        (response) => send(res, response, false, draining),
        () => {
          res.statusCode = 500;
          res.end();
        },
      );
    });
  };
}

async function send(
  res: ServerResponse,
  response: Response,
  close: boolean,
  draining: AbortSignal,
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  // Each cookie its own header line: joined with commas they would not parse.
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    // One write for an ordinary answer, as small as it is.
    const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
    // Read after the body: a drain may have begun while the handler ran.
    if (close || draining.aborted) headers.connection = "close";
    res.writeHead(response.status, headers);
    res.end(body);
    return;
  }
  // An event stream (the desk's) is sent as it comes, headers first: it may be quiet a while,
  // and it ends only when the page goes away.
  if (close || draining.aborted) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const stop = () => void reader.cancel().catch(() => {});
  res.on("close", stop);
  // A stream never ends by itself: a drain ends it, and the page reconnects.
  if (draining.aborted) stop();
  else draining.addEventListener("abort", stop, { once: true });
  res.on("close", () => draining.removeEventListener("abort", stop));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // The page went away mid-stream: nothing more to send.
  }
  res.end();
}
