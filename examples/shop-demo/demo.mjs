// `pnpm demo`: the whole loop on the embedded default, over real HTTP on loopback — a collector
// on a SQLite file under .closeloop/, the example NPS survey and feedback policy published, a
// shop page with the widget, the desk, and a webhook receiver that verifies every signature. It
// drives one loop end to end as a browser and a backend would, printing each step, then keeps
// serving until Ctrl-C so that a person can answer the survey and close that loop at the desk.
// `pnpm demo --once` stops after the scripted loop (CI runs it).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

const once = process.argv.includes("--once");
const root = fileURLToPath(new URL("../../", import.meta.url));
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

let collectorPkg;
let nodePkg;
let corePkg;
try {
  collectorPkg = await import("@closeloop/collector");
  nodePkg = await import("@closeloop/node");
  corePkg = await import("@closeloop/core");
} catch (e) {
  console.error(`The packages are not built (${e.message}).\nRun pnpm build, then pnpm demo.`);
  process.exit(1);
}
const { createCollector, hashPassword, provision, sqliteStore, startWebhookWorker } = collectorPkg;
const { createClient, verifyWebhook } = nodePkg;
const { uuidv7 } = corePkg;

const shutdown = []; // run in reverse: a failure half-way still releases what had started
const started = Date.now();
const step = (text) => console.log(`  +${String(Date.now() - started).padStart(5)} ms  ${text}`);

/** Listens on `port`, or says plainly what to do when it is taken. */
function listenOn(server, port, what, variable) {
  return new Promise((resolve, reject) => {
    server.once("error", (e) =>
      reject(
        e.code === "EADDRINUSE"
          ? new Error(
              `port ${port} (${what}) is in use: stop what listens there, or set ${variable}=<port>`,
            )
          : e,
      ),
    );
    server.listen(port, "127.0.0.1", () => resolve(server.address().port));
  });
}

async function main() {
  // 1. The collector on a fresh SQLite file (a demo starts clean each time).
  const dir = `${root}.closeloop`;
  mkdirSync(dir, { recursive: true });
  for (const f of ["demo.db", "demo.db-wal", "demo.db-shm"]) rmSync(`${dir}/${f}`, { force: true });
  let store;
  try {
    store = sqliteStore(`${dir}/demo.db`);
  } catch (e) {
    throw new Error(
      `SQLite could not be opened (${e.message}).\nbetter-sqlite3 compiles at install: run pnpm install again and watch for its build, or use closeloop serve --postgres <url>.`,
    );
  }
  shutdown.push(() => store.close());
  await store.migrate();
  const { publicKey, secretKey } = await provision(store);
  const port = once ? 0 : Number(process.env.PORT ?? 7345);
  const listening = await createCollector({ store })
    .listen({ port })
    .catch((e) => {
      if (e.code !== "EADDRINUSE") throw e;
      throw new Error(
        `port ${port} (the collector) is in use: stop what listens there, or set PORT=<port>`,
      );
    });
  shutdown.push(() => listening.close());
  const endpoint = listening.url;

  // 2. The survey (shown at once on every shop page) and the feedback policy.
  const client = createClient({ endpoint, secretKey });
  shutdown.push(() => client.close());
  const survey = JSON.parse(readFileSync(here("../backend-loop/survey.json"), "utf8"));
  survey.targeting = {
    url: [{ match: "prefix", value: "/" }],
    events: [],
    delayMs: 500,
    sampleRate: 1,
  };
  await client.surveys.publish(survey);
  await client.feedbackPolicy.set(
    JSON.parse(readFileSync(here("../backend-loop/feedback-policy.json"), "utf8")),
  );

  // 3. A desk user, and a webhook receiver that trusts only what it can verify.
  const password = randomBytes(12).toString("base64url");
  const envId = (await store.listEnvironments())[0].id;
  await store.addDeskUser({
    id: uuidv7(),
    envId,
    email: "lead@demo.example",
    role: "lead",
    handle: "lead",
    passwordHash: await hashPassword(password),
    createdAt: new Date().toISOString(),
  });
  let whsec = "";
  const webhooks = [];
  const receiver = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    try {
      const event = verifyWebhook(Buffer.concat(chunks), req.headers, whsec);
      webhooks.push(event.type);
      step(`⇠ webhook ${event.type}, signature verified`);
      res.writeHead(204).end();
    } catch (e) {
      step(`⇠ webhook REFUSED: ${e.message}`);
      res.writeHead(400).end();
    }
  });
  const receiverPort = await listenOn(receiver, 0, "the webhook receiver", "");
  shutdown.push(() => new Promise((r) => receiver.close(r).closeAllConnections()));
  whsec = (
    await client.webhooks.register("demo-crm", { url: `http://127.0.0.1:${receiverPort}/hooks` })
  ).secret;
  const worker = startWebhookWorker({ store, intervalMs: once ? 0 : 1_000, timeoutMs: 2_000 });
  shutdown.push(() => worker.stop());
  const deliver = async () => {
    while ((await worker.runOnce()) > 0) {}
  };

  // 4. The shop page: examples/browser-script-tag with the SDK's script-tag build.
  const page = (file) => readFileSync(here(`../browser-script-tag/${file}`));
  const iife = `${root}packages/browser/dist/index.global.js`;
  const files = {
    "/": ["text/html", () => page("index.html")],
    "/shop.css": ["text/css", () => page("shop.css")],
    "/app.js": ["text/javascript", () => page("app.js")],
    "/closeloop.global.js": ["text/javascript", () => readFileSync(iife)],
    "/config.js": [
      "text/javascript",
      () => `window.CLOSELOOP_CONFIG = ${JSON.stringify({ endpoint, publicKey })};`,
    ],
  };
  const shop = createServer((req, res) => {
    const file = files[new URL(req.url, "http://x").pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": `${file[0]}; charset=utf-8` }).end(file[1]());
  });
  const shopPort = await listenOn(
    shop,
    once ? 0 : Number(process.env.SHOP_PORT ?? 8080),
    "the shop page",
    "SHOP_PORT",
  );
  shutdown.push(() => new Promise((r) => shop.close(r).closeAllConnections()));

  console.log("Closeloop demo");
  console.log(`  shop page   http://127.0.0.1:${shopPort}/`);
  console.log(
    `  desk        ${endpoint}/desk   (sign in as lead@demo.example, password ${password})`,
  );
  console.log(`  collector   ${endpoint}   (SQLite: .closeloop/demo.db)`);
  console.log(`  webhooks    http://127.0.0.1:${receiverPort}/hooks`);
  console.log("\nOne loop, end to end:");

  // 5. The loop, as a browser and a backend drive it.
  const batch = async (type, data) => {
    const res = await fetch(`${endpoint}/v1/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${publicKey}`, "content-type": "application/json" },
      body: JSON.stringify({ items: [{ type, idempotencyKey: uuidv7(), data }] }),
    });
    const body = await res.json();
    if (body.rejected?.length) throw new Error(`${type} rejected: ${body.rejected[0].message}`);
  };
  const anonymousId = randomBytes(16).toString("hex");
  const responseId = uuidv7();
  await batch("response", {
    id: responseId,
    surveyId: survey.id,
    surveyVersion: survey.version,
    respondent: { anonymousId },
    answers: { score: 3, why: "Checkout kept timing out on my phone." },
    finished: true,
    locale: "en",
    createdAt: new Date().toISOString(),
  });
  step("browser: a detractor answers (NPS 3, 'Checkout kept timing out on my phone.')");
  await batch("ack-seen", { responseId });
  step("browser: the acknowledgement was shown and seen");
  await deliver();
  const loop = (await client.loops.list()).loops.find((l) => l.source.id === responseId);
  step(`collector: loop …${loop.id.slice(-8)} is ${loop.state}, owner ${loop.route.owner}`);
  await client.loops.assign(loop.id, { actor: "agent:ana", owner: "team-checkout" });
  step("backend: assigned to team-checkout");
  const message =
    "Sorry about that — checkout on phones no longer times out. Thank you for telling us.";
  await client.loops.resolve(loop.id, { actor: "dev:li", message });
  step("backend: resolved, with a message for the customer");
  await deliver();
  const notices = await fetch(`${endpoint}/v1/closures?anonymousId=${anonymousId}`, {
    headers: { authorization: `Bearer ${publicKey}` },
  }).then((r) => r.json());
  const notice = notices.closures[0];
  step(
    `browser, next visit: "You told us: ${notice.youSaid} — here is what we did: ${notice.message}"`,
  );
  await batch("closure-seen", { noticeId: notice.id });
  await deliver();
  const closed = await client.loops.get(loop.id);
  step(
    `collector: loop …${closed.id.slice(-8)} is ${closed.state} (the customer was told ${closed.events.at(-1).informedVia})`,
  );
  const { total } = await client.metrics();
  console.log(
    `\nMetrics: NPS ${total.nps.score} (n=${total.nps.n}); loops ${total.loops.closed}/${total.loops.total} closed; webhooks verified: ${webhooks.length}`,
  );
  if (closed.state !== "closed") throw new Error(`the loop ended ${closed.state}, not closed`);
  if (webhooks.length < 4) throw new Error(`only ${webhooks.length} webhooks arrived`);

  if (once) return;
  console.log(
    `\nServing until Ctrl-C. Answer the survey at http://127.0.0.1:${shopPort}/ and close that loop at ${endpoint}/desk.`,
  );
  await new Promise((resolve) => process.once("SIGINT", resolve));
}

try {
  await main();
} catch (e) {
  process.exitCode = 1;
  console.error(`demo failed: ${e.message}`);
} finally {
  for (const stop of shutdown.reverse())
    await Promise.resolve()
      .then(stop)
      .catch(() => undefined);
}
