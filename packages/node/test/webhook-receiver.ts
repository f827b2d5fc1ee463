// A real webhook receiver on loopback: node:http, every request verified with our
// `verifyWebhook` and with the independent `standardwebhooks` package. `answer` decides each
// reply; a verification failure of either fails the test through `failures`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { WebhookPayload } from "@closeloop/core";
import { Webhook } from "standardwebhooks";
import { verifyWebhook } from "../src/webhook-signing/verify.js";

export interface Received {
  path: string;
  id: string;
  timestamp: string;
  payload: WebhookPayload;
  /** The raw body and the `webhook-*` headers, to verify again with other secrets. */
  body: string;
  headers: Record<string, string>;
}

/** What to do with a request: answer a status (with headers), or drop the connection. */
export type Answer = { status: number; headers?: Record<string, string> } | "drop";

export interface Receiver {
  url: string;
  received: Received[];
  failures: string[];
  /** The secret of each path (set once the endpoint is registered). */
  secrets: Map<string, string>;
  answer: (r: Received) => Answer;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    received: [],
    failures: [],
    secrets: new Map(),
    answer: () => ({ status: 204 }),
    close: async () => undefined,
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? "";
    const secret = receiver.secrets.get(path);
    if (!secret) {
      receiver.failures.push(`no secret for ${path}`);
      res.writeHead(500).end();
      return;
    }
    let payload: WebhookPayload;
    try {
      payload = verifyWebhook(body, req.headers, secret);
      new Webhook(secret).verify(body.toString("utf8"), req.headers as Record<string, string>);
    } catch (e) {
      receiver.failures.push(`${path}: ${(e as Error).message}`);
      res.writeHead(400).end();
      return;
    }
    const r: Received = {
      path,
      id: req.headers["webhook-id"] as string,
      timestamp: req.headers["webhook-timestamp"] as string,
      payload,
      body: body.toString("utf8"),
      headers: Object.fromEntries(
        ["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [
          h,
          req.headers[h] as string,
        ]),
      ),
    };
    receiver.received.push(r);
    const a = receiver.answer(r);
    if (a === "drop") {
      req.socket.destroy();
      return;
    }
    res.writeHead(a.status, a.headers ?? {}).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
