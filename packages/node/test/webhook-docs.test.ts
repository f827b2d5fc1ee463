// docs/webhooks.md stays true: its node:http receiver runs as written (bundled with the
// sources in place of the published package) and answers real requests signed by an
// independent Standard Webhooks implementation; its payload examples fit the core's schemas; its
// worked signature example is what signWebhook produces.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LoopSchema, parse } from "@closeloop/core";
import { build } from "esbuild";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
} from "../src/webhook-signing/index.js";
import { freePort, kill } from "./sink.js";

const DOC = readFileSync(join(import.meta.dirname, "../../../docs/webhooks.md"), "utf8");

/** The fenced code blocks of the doc, with their info string and what precedes them. */
function blocks(): { lang: string; code: string; before: string }[] {
  const out: { lang: string; code: string; before: string }[] = [];
  const re = /```(\w*)\n([\s\S]*?)```/g;
  for (let m = re.exec(DOC); m !== null; m = re.exec(DOC)) {
    out.push({ lang: m[1] ?? "", code: m[2] ?? "", before: DOC.slice(0, m.index) });
  }
  return out;
}

const jsonExamples = blocks()
  .filter((b) => b.lang === "json")
  .map(
    (b) => JSON.parse(b.code) as { type: string; timestamp: string; data: Record<string, unknown> },
  );

describe("docs/webhooks.md: the receiver example", () => {
  const secret = generateWebhookSecret();
  let child: ChildProcess;
  let url = "";
  const out: string[] = [];

  beforeAll(async () => {
    const example = blocks().find((b) => b.before.trimEnd().endsWith("-->"));
    expect(example?.before).toMatch(/<!-- receiver-example[^>]*-->\s*$/);
    const dir = mkdtempSync(join(tmpdir(), "closeloop-receiver-"));
    writeFileSync(join(dir, "receiver.mjs"), example?.code ?? "");
    await build({
      entryPoints: [join(dir, "receiver.mjs")],
      outfile: join(dir, "receiver.bundle.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      alias: {
        "@closeloop/node": join(import.meta.dirname, "../src/webhook-signing/index.ts"),
        "@closeloop/core": join(import.meta.dirname, "../../core/src/index.ts"),
      },
      logLevel: "silent",
    });
    const port = await freePort();
    child = spawn(process.execPath, [join(dir, "receiver.bundle.mjs")], {
      env: { ...process.env, PORT: String(port), CLOSELOOP_WEBHOOK_SECRET: secret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => out.push(...chunk.toString().split("\n")));
    child.stderr?.on("data", (chunk: Buffer) => out.push(...chunk.toString().split("\n")));
    await waitFor(() => out.some((l) => l.startsWith("listening on ")));
    url = `http://127.0.0.1:${port}/webhooks/closeloop`;
  }, 30_000);

  afterAll(async () => {
    if (child) await kill(child);
  });

  async function waitFor(cond: () => boolean): Promise<void> {
    const t0 = Date.now();
    while (!cond()) {
      if (Date.now() - t0 > 10_000) throw new Error(`timed out; output: ${out.join("\n")}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const breached = () => {
    const e = jsonExamples.find((x) => x.type === "loop.breached");
    expect(e).toBeDefined();
    return JSON.stringify(e);
  };

  /** Headers signed by the standardwebhooks package, not by our code. */
  function theirHeaders(id: string, body: string, key = secret): Record<string, string> {
    const now = new Date();
    return {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(key).sign(id, now, body),
    };
  }

  it("needs no more than the secret in the environment to start", () => {
    expect(out.find((l) => l.startsWith("listening on "))).toMatch(
      /^listening on http:\/\/localhost:\d+\/webhooks\/closeloop$/,
    );
  });

  it("answers 204 to a signed delivery and handles it once, however often it comes", async () => {
    const body = breached();
    const headers = theirHeaders("msg_docs_1", body);
    const first = await fetch(url, { method: "POST", headers, body });
    expect(first.status).toBe(204);
    await waitFor(() => out.some((l) => l.includes("missed its acknowledge deadline")));
    const again = await fetch(url, { method: "POST", headers, body });
    expect(again.status).toBe(204);
    await new Promise((r) => setTimeout(r, 100));
    expect(out.filter((l) => l.includes("missed its acknowledge deadline"))).toHaveLength(1);
  });

  it("answers 204 to deliveries signed by signWebhook, e.g. an event type it does not handle", async () => {
    const body = JSON.stringify({
      type: "loop.reopened",
      timestamp: "2026-03-02T10:00:00Z",
      data: {},
    });
    const headers = signWebhook({ id: "msg_docs_2", timestamp: new Date(), body, secret });
    const res = await fetch(url, { method: "POST", headers, body });
    expect(res.status).toBe(204);
    await waitFor(() => out.some((l) => l === "loop.reopened at 2026-03-02T10:00:00Z"));
  });

  it("answers 400 with the code to a tampered body, a wrong secret or missing headers", async () => {
    const body = breached();
    const tampered = await fetch(url, {
      method: "POST",
      headers: theirHeaders("msg_docs_3", body),
      body: body.replace("acknowledge", "close"),
    });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toBe("invalid_signature");

    const other = generateWebhookSecret();
    const wrong = await fetch(url, {
      method: "POST",
      headers: theirHeaders("msg_docs_4", body, other),
      body,
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toBe("invalid_signature");

    const bare = await fetch(url, { method: "POST", body });
    expect(bare.status).toBe(400);
    expect(await bare.text()).toBe("missing_header");
  });

  it("answers 404 elsewhere", async () => {
    expect((await fetch(url.replace("/webhooks/closeloop", "/"))).status).toBe(404);
    expect((await fetch(url)).status).toBe(404); // GET
  });
});

describe("docs/webhooks.md: the rest", () => {
  it("lists every event type in its table, and no other", () => {
    const rows = [...DOC.matchAll(/^\| `([a-z_]+\.[a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...WEBHOOK_EVENT_TYPES]);
  });

  it("has payload examples that are valid payloads", () => {
    expect(jsonExamples.length).toBeGreaterThanOrEqual(3);
    for (const e of jsonExamples) {
      expect(typeof e.type).toBe("string");
      expect(Number.isNaN(Date.parse(e.timestamp))).toBe(false);
      expect(typeof e.data).toBe("object");
    }
    const breach = jsonExamples.find((e) => e.type === "loop.breached");
    expect(() => parse(LoopSchema, breach?.data.loop, "loop")).not.toThrow();
    expect(breach?.data.breach).toEqual({
      deadline: "acknowledge",
      due: "2026-03-02T10:00:00.000Z",
    });
    const risk = jsonExamples.find((e) => e.type === "customer.at_risk");
    expect(Object.keys(risk?.data ?? {}).sort()).toEqual([
      "at",
      "customerId",
      "from",
      "reason",
      "to",
    ]);
  });

  it("gives a worked signature example that signWebhook and verifyWebhook agree with", () => {
    const secret = DOC.match(/secret `(whsec_[^`]+)`/)?.[1] ?? "";
    const header = DOC.match(/`webhook-signature: (v1,[^`]+)`/)?.[1];
    expect(secret).toBe(
      `whsec_${Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("base64")}`,
    );
    const headers = signWebhook({ id: "msg_1", timestamp: 1_700_000_000, body: "{}", secret });
    expect(headers["webhook-signature"]).toBe(header);
    expect(new Webhook(secret).sign("msg_1", new Date(1_700_000_000_000), "{}")).toBe(header);
    // "{}" is not a payload, so verification gets as far as the body, past the signature.
    expect(() =>
      verifyWebhook("{}", headers, secret, { now: new Date(1_700_000_000_000) }),
    ).toThrow(expect.objectContaining({ code: "invalid_body" }));
  });
});
