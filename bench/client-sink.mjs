// A counting loopback sink for bench/client.mjs: answers each SDK's batch endpoint with a quick
// success and counts the events it took (distinct by each SDK's own event id), writing nothing
// to disk. Run with fork(): it sends { ready: port } once listening, { done: counts } as soon as
// `target` distinct events arrived, and { counts } when sent "count".
// Usage: fork("client-sink.mjs", [target])
//   POST /v1/batch with { items }  → closeloop's contract: { accepted: [{ index, id }], rejected: [] }
//   POST /v1/batch with { batch }  → Segment (analytics-node): 200 {}
//   POST /batch/                   → PostHog (posthog-node, gzip by default): 200 {}
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";

const target = Number(process.argv[2] ?? 100_000);
const seen = new Set();
const counts = { requests: 0, arrivals: 0, distinct: 0, bad: 0 };
let reported = false;

function take(key) {
  counts.arrivals++;
  if (!seen.has(key)) {
    seen.add(key);
    counts.distinct++;
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    counts.requests++;
    let body;
    try {
      let buf = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") buf = gunzipSync(buf);
      body = JSON.parse(buf.toString("utf8"));
    } catch {
      counts.bad++;
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"error":{"code":"malformed","message":"not JSON"}}');
      return;
    }
    let answer = "{}";
    if (req.url === "/v1/batch" && Array.isArray(body.items)) {
      const accepted = body.items.map((item, index) => {
        take(item.idempotencyKey);
        return { index, id: `s${counts.arrivals}` };
      });
      answer = JSON.stringify({ accepted, rejected: [] });
    } else if (req.url === "/v1/batch" && Array.isArray(body.batch)) {
      for (const e of body.batch) take(e.messageId);
    } else if (req.url?.startsWith("/batch") && Array.isArray(body.batch)) {
      for (const e of body.batch) take(e.uuid);
    } else {
      counts.bad++;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(answer);
    if (!reported && counts.distinct >= target) {
      reported = true;
      process.send({ done: counts });
    }
  });
});
server.keepAliveTimeout = 60_000;
process.on("message", (m) => {
  if (m === "count") process.send({ counts });
});
server.listen(0, "127.0.0.1", () => process.send({ ready: server.address().port }));
