// The whole closed loop as a backend engineer runs it, over real HTTP on loopback: a collector
// (@closeloop/collector) on a fresh SQLite file, the node client with its file outbox, a webhook
// receiver that verifies every signature, loops acted on over the API, and the metrics at the
// end. Everything lives in a temp dir and is shut down before exit; any failure exits 1.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCollector, provision, sqliteStore, startWebhookWorker } from "@closeloop/collector";
import { createClient, verifyWebhook } from "@closeloop/node";

// CI runs this: a stuck socket must fail the run, not hang it.
setTimeout(() => fail(new Error("timed out after 15 s")), 15_000).unref();

const dir = mkdtempSync(join(tmpdir(), "closeloop-backend-loop-"));
const json = (file) => JSON.parse(readFileSync(new URL(`./${file}`, import.meta.url), "utf8"));
const survey = json("survey.json");
const shutdown = []; // run in reverse, so a failure half-way still releases what had started
const short = (id) => id.slice(-8);
const time = (iso) => iso.slice(11, 23);

async function main() {
  // 1. The collector, as `closeloop serve` would run it, but in-process on a throwaway file.
  const store = sqliteStore(join(dir, "closeloop.db"));
  shutdown.push(() => store.close());
  await store.migrate();
  // On an empty store provision creates the environment and answers its keys, once.
  const { secretKey } = await provision(store);
  const listening = await createCollector({ store }).listen({ port: 0 });
  shutdown.push(() => listening.close());
  console.log(`1. Collector on ${listening.url} (SQLite in ${dir})`);

  // The backend's client: setup calls, loops and metrics over HTTP with the secret key; its own
  // traffic (responses, feedback) through a durable outbox on disk.
  const client = createClient({
    endpoint: listening.url,
    secretKey,
    outbox: { dir: join(dir, "outbox") },
  });
  shutdown.push(() => client.close());

  // 2. The collector refuses feedback and responses that have no complete loop to land in, so
  //    the survey and the feedback policy go first.
  await client.surveys.publish(survey);
  await client.feedbackPolicy.set(json("feedback-policy.json"));
  console.log(`2. Published survey "${survey.id}" v${survey.version} and the feedback policy`);

  // 3. A CRM-side receiver. It trusts nothing it cannot verify against the whsec_ secret.
  let whsec = "";
  const received = [];
  const rejected = [];
  const receiver = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    try {
      // The raw bytes: the signature covers exactly what was sent, not re-serialized JSON.
      const event = verifyWebhook(Buffer.concat(chunks), req.headers, whsec);
      received.push(event.type);
      const { loop, response, feedback } = event.data;
      const about = loop
        ? `loop …${short(loop.id)} is ${loop.state}`
        : response
          ? `from ${response.respondent.id}`
          : `${feedback.channel} ticket from ${feedback.customer?.id}`;
      console.log(`   ⇠ webhook ${event.type} (signature verified; ${about})`);
      res.writeHead(204).end();
    } catch (e) {
      rejected.push(e.message);
      res.writeHead(400).end();
    }
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  shutdown.push(() => new Promise((resolve) => receiver.close(resolve).closeAllConnections()));
  const hook = await client.webhooks.register("crm", {
    url: `http://127.0.0.1:${receiver.address().port}/closeloop`,
  });
  whsec = hook.secret; // answered this once; a real receiver keeps it in its secrets store
  // No polling (intervalMs 0) and one delivery per round, so the transcript has a stable order;
  // a short timeout, so a dead receiver fails the run instead of stalling it.
  const worker = startWebhookWorker({ store, intervalMs: 0, batchSize: 1, timeoutMs: 2_000 });
  shutdown.push(() => worker.stop());
  const deliver = async () => {
    while ((await worker.runOnce()) > 0) {}
    if (rejected.length > 0) throw new Error(`webhook refused: ${rejected.join("; ")}`);
  };
  console.log(`3. Webhook "crm" registered (${whsec.slice(0, 10)}…), worker started`);

  // 4. The backend's own traffic goes through the durable outbox, then one flush.
  const dropped = [];
  client.on("delivery:dropped", ({ item, error }) =>
    dropped.push(`${item.type}: ${error.message}`),
  );
  // A secret-key backend is trusted to name the respondent; browsers need a respondentToken.
  await client.submitResponse({
    surveyId: survey.id,
    surveyVersion: survey.version,
    respondent: { id: "user_42" },
    answers: { score: 3, why: "Exports time out every morning." },
    finished: true,
    locale: "en",
  });
  await client.captureFeedback({
    channel: "support",
    text: "The invoice export has been empty since Monday.",
    customer: { id: "acme", email: "ops@acme.example", value: 24_000 },
  });
  if (!(await client.flush()) || dropped.length > 0)
    throw new Error(`not delivered: ${dropped.join("; ")}`);
  console.log("4. Submitted a detractor response (score 3) and a support ticket; outbox flushed");
  await deliver();

  // 5. A support desk working the detractor's loop through the API.
  const { loops } = await client.loops.list();
  console.log(`5. Loops waiting (${loops.length}):`);
  for (const l of loops) {
    console.log(
      `   …${short(l.id)} ${l.source.kind}/${l.segment}: ${l.state}, owner ${l.route.owner}, close within ${l.route.closeWithin}`,
    );
  }
  const loop = loops.find((l) => l.segment === "detractor");
  if (!loop) throw new Error("no detractor loop was opened");
  const message = "Exports now run in the background; a large export finishes in under a minute.";
  const steps = [
    [
      "acknowledge",
      { actor: "agent:ana", note: "Called back: exports hit the 30 s gateway timeout." },
    ],
    ["assign", { actor: "agent:ana", owner: "team-exports" }],
    ["resolve", { actor: "dev:li", message }],
    // The customer was told by email, so the backend closes the loop itself.
    ["close", { actor: "agent:ana", informedVia: "email", message }],
  ];
  for (const [verb, move] of steps) {
    const moved = await client.loops[verb](loop.id, move);
    console.log(`   ${verb} by ${move.actor} → ${moved.state}`);
    await deliver();
  }
  const closed = await client.loops.get(loop.id);
  console.log(`   Timeline of loop …${short(closed.id)}:`);
  for (const e of closed.events) {
    const extra = e.owner ? ` owner=${e.owner}` : e.informedVia ? ` via ${e.informedVia}` : "";
    console.log(`     ${time(e.at)}  → ${e.to.padEnd(12)} by ${e.actor}${extra}`);
  }
  // The two items opened their loops in one batch; the worker may deliver either first.
  const expected = [
    "feedback.received",
    "loop.acknowledged",
    "loop.assigned",
    "loop.closed",
    "loop.resolved",
    "response.received",
  ];
  if ([...received].sort().join() !== expected.join()) {
    throw new Error(`webhooks: got ${received.join(", ")}`);
  }

  // 6. What a weekly report would read.
  const { total, groups } = await client.metrics({ groupBy: "segment" });
  const { nps, loops: health, valueAtRisk } = total;
  const pct = (x) => (x === null ? "n/a" : `${Math.round(x * 100)}%`);
  console.log("6. Metrics (last 30 days):");
  console.log(
    `   NPS ${nps.score} (95% CI ${nps.lower} to ${nps.upper}; n=${nps.n}, detractors ${nps.detractors})`,
  );
  console.log(
    `   Loop health: ${health.closed}/${health.total} closed (closure rate ${pct(health.closureRate)}), ` +
      `${health.breached} breached, time to close p50 ${health.timeToClose.p50} ms`,
  );
  console.log(`   Value at risk: ${valueAtRisk.value} across ${valueAtRisk.customers} customer(s)`);
  for (const [segment, g] of Object.entries(groups ?? {})) {
    console.log(`   segment ${segment}: ${g.loops.closed}/${g.loops.total} closed`);
  }
}

function fail(error) {
  console.error("backend-loop failed:", error);
  process.exit(1);
}

// 7. Shut down in reverse order of start; a clean exit is part of what the demo shows.
try {
  await main();
} catch (e) {
  process.exitCode = 1;
  console.error("backend-loop failed:", e);
} finally {
  for (const stop of shutdown.reverse()) await Promise.resolve().then(stop).catch(fail);
  rmSync(dir, { recursive: true, force: true });
}
if (process.exitCode !== 1) console.log("7. Everything shut down cleanly.");
