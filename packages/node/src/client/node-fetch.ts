import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { createHttpTransport } from "@closeloop/core";

export type FetchFunction = NonNullable<Parameters<typeof createHttpTransport>[0]["fetch"]>;

/**
 * The slice of `fetch` the outbox's HTTP transport uses, over `node:http(s)` with a keep-alive
 * agent. Node's global `fetch` (undici) allocates so much per request that a delivery of 100,000
 * captures grew the old generation by ~80 MB of garbage and peak RSS by ~75 MB, and delivered
 * half as fast (docs/benchmarks.md). Idle sockets do not keep the process alive.
 */
export function nodeFetch(): FetchFunction {
  const http = new HttpAgent({ keepAlive: true });
  const https = new HttpsAgent({ keepAlive: true });
  return (input, init) =>
    new Promise((resolve, reject) => {
      const url = new URL(input);
      const secure = url.protocol === "https:";
      // Not `{ ...init.headers, "content-length": … }`: on Node 20 a spread followed by a new
      // key makes a hidden class per object, allocated in the old generation (~230 bytes a
      // request that only a full GC frees).
      const headers: Record<string, string> = Object.assign({}, init.headers);
      headers["content-length"] = String(Buffer.byteLength(init.body));
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: init.method,
          headers,
          agent: secure ? https : http,
          signal: init.signal as AbortSignal,
        },
        (res) => read(res, resolve, reject),
      );
      req.on("error", reject);
      req.end(init.body, "utf8");
    });
}

/** Resolves with the answer once its body has arrived; rejects if it is cut short. */
function read(
  res: IncomingMessage,
  resolve: (response: unknown) => void,
  reject: (e: Error) => void,
): void {
  const chunks: Buffer[] = [];
  res.on("data", (chunk: Buffer) => chunks.push(chunk));
  res.on("error", reject);
  res.on("close", () => {
    if (!res.complete) reject(new Error("the connection closed before the answer ended"));
  });
  res.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    resolve({
      status: res.statusCode ?? 0,
      headers: {
        get(name: string): string | null {
          const v = res.headers[name.toLowerCase()];
          return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
        },
      },
      json: async (): Promise<unknown> => JSON.parse(text),
    });
  });
}
