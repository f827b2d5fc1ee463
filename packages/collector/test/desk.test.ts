// The loop desk over real HTTP on loopback, on a SQLite file and on PostgreSQL (required under
// CI=true): sign-in and sessions, CSRF, headers, the inbox by urgency with filters and search,
// a loop's page with every action and its refusals, roles, escaping, the event stream, charts.
import { uuidv7 } from "@closeloop/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEEKS } from "../src/desk/charts-data.js";
import { hashPassword } from "../src/desk/password.js";
import type { DeskRole } from "../src/desk/roles.js";
import { sqliteStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";
import {
  batch,
  feedbackPolicy,
  type Running,
  response,
  startCollector,
  survey,
} from "./collector-harness.js";
import { dropSchemas, pgStores, postgresFor } from "./pg-helper.js";
import { countingMetrics } from "./store-fixtures.js";

const unreachable = await postgresFor("desk PostgreSQL cases");
afterAll(dropSchemas);

const PASSWORD = "correct horse battery staple";
const T0 = Date.parse("2026-11-02T09:00:00Z");
const HOUR = 3_600_000;

/** A collector whose clock the test moves, with a feedback policy and three desk users. */
async function deskCollector(store?: CollectorStore) {
  let clock = T0;
  const c = await startCollector({
    ...(store ? { store } : {}),
    now: () => clock,
    desk: { pollMs: 50 },
  });
  await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy());
  const envId = (await c.store.listEnvironments())[0]?.id as string;
  const hash = await hashPassword(PASSWORD);
  for (const [email, role, handle] of [
    ["ana@example.com", "agent", "ana"],
    ["lee@example.com", "lead", "lee"],
    ["vic@example.com", "viewer", "vic"],
  ] as [string, DeskRole, string][]) {
    await c.store.addDeskUser({
      id: uuidv7(),
      envId,
      email,
      role,
      handle,
      passwordHash: hash,
      createdAt: new Date(T0).toISOString(),
    });
  }
  return {
    c,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

/** Sends feedback with the secret key; answers the loop's id. */
async function feedback(
  c: Running,
  text: string,
  extra: { channel?: string; customer?: { id: string; value?: number } } = {},
): Promise<string> {
  const id = uuidv7();
  const r = await c.call(
    "POST",
    "/v1/batch",
    c.sk,
    batch({ type: "feedback", data: { id, channel: extra.channel ?? "support", text, ...extra } }),
  );
  expect(r.body.accepted, JSON.stringify(r.body)).toHaveLength(1);
  const loops = (await c.call("GET", "/v1/loops?limit=500", c.sk)).body.loops;
  return loops.find((l: { source: { id: string } }) => l.source.id === id).id;
}

/** A browser of the desk: keeps its session cookie, posts forms from the desk's origin. */
function browser(c: Running) {
  let cookie = "";
  const request = async (
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(c.url + path, {
      method,
      redirect: "manual",
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form ? { "content-type": "application/x-www-form-urlencoded", origin: c.url } : {}),
        ...headers,
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const set = res.headers.getSetCookie().find((s) => s.startsWith("closeloop_desk="));
    if (set) cookie = set.split(";")[0] as string;
    return { status: res.status, headers: res.headers, text: await res.text(), setCookie: set };
  };
  return {
    get: (path: string, headers?: Record<string, string>) =>
      request("GET", path, undefined, headers),
    post: (path: string, form: Record<string, string>, headers?: Record<string, string>) =>
      request("POST", path, form, headers),
    signIn: (email: string, password = PASSWORD) =>
      request("POST", "/desk/sign-in", { email, password }),
    get cookie() {
      return cookie;
    },
  };
}

/** The loop ids of the inbox's rows, in order. */
const rowIds = (html: string) =>
  [...html.matchAll(/<tr data-href="\/desk\/loops\/([^"]+)"/g)].map((m) =>
    decodeURIComponent(m[1] as string),
  );

// SQLite: the harness's own file; PostgreSQL: a schema of its own.
const stores: [string, (() => Promise<CollectorStore | undefined>) | undefined][] = [
  ["sqlite", async () => undefined],
  [
    "postgres",
    unreachable === undefined ? async () => (await pgStores(1))[0] as CollectorStore : undefined,
  ],
];

describe.each(stores)("the loop desk on %s", (_name, open) => {
  const skip = open === undefined;
  let desk: Awaited<ReturnType<typeof deskCollector>>;
  beforeAll(async () => {
    if (skip) return;
    desk = await deskCollector(await open?.());
  });
  afterAll(() => desk?.c.close());

  it.skipIf(skip)("sends every page but sign-in to sign-in without a session", async () => {
    const b = browser(desk.c);
    const page = await b.get("/desk");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/desk/sign-in");
    expect((await b.post("/desk/loops/x/move", { to: "acknowledged" })).status).toBe(401);
    const signIn = await b.get("/desk/sign-in");
    expect(signIn.status).toBe(200);
    expect(signIn.text).toContain('name="password"');
  });

  it.skipIf(skip)(
    "signs in with the right password only, with a strict session cookie, and signs out",
    async () => {
      const b = browser(desk.c);
      const wrong = await b.signIn("ana@example.com", "wrong password");
      const unknown = await b.signIn("nobody@example.com");
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(unknown.text).toContain("Wrong email or password.");
      expect(wrong.setCookie).toBeUndefined();
      const ok = await b.signIn("ANA@example.com ");
      expect(ok.status).toBe(303);
      expect(ok.setCookie).toMatch(/HttpOnly/);
      expect(ok.setCookie).toMatch(/SameSite=Strict/);
      expect(ok.setCookie).toMatch(/Path=\/desk/);
      expect(ok.setCookie).not.toMatch(/Secure/); // plain http on loopback
      const inbox = await b.get("/desk");
      expect(inbox.status).toBe(200);
      expect(inbox.text).toContain("ana@example.com");
      expect((await b.post("/desk/sign-out", {})).status).toBe(303);
      expect((await b.get("/desk")).status).toBe(303);
    },
  );

  it.skipIf(skip)("marks the cookie Secure behind an https proxy", async () => {
    const res = await fetch(`${desk.c.url}/desk/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: desk.c.url,
        "x-forwarded-proto": "https",
      },
      body: new URLSearchParams({ email: "lee@example.com", password: PASSWORD }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie()[0]).toMatch(/; Secure/);
  });

  it.skipIf(skip)("limits sign-in attempts per email: 429 with Retry-After", async () => {
    const b = browser(desk.c);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await b.signIn("vic@example.com", `guess ${i}`)).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await b.signIn("vic@example.com");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    desk.advance(60_000); // the bucket refills: the right password works again
    expect((await b.signIn("vic@example.com")).status).toBe(303);
  });

  it.skipIf(skip)("refuses a form posted from another site", async () => {
    const b = browser(desk.c);
    await b.signIn("ana@example.com");
    const loopId = await feedback(desk.c, "Cross-site check");
    const forged = await b.post(
      `/desk/loops/${loopId}/move`,
      { to: "acknowledged" },
      { origin: "https://evil.example" },
    );
    expect(forged.status).toBe(403);
    const signIn = await fetch(`${desk.c.url}/desk/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      },
      body: "email=ana%40example.com&password=x",
    });
    expect(signIn.status).toBe(403);
    const loop = (await desk.c.call("GET", `/v1/loops/${loopId}`, desk.c.sk)).body;
    expect(loop.state).toBe("received");
  });

  it.skipIf(skip)(
    "sends a strict Content-Security-Policy and pages with no inline script or style",
    async () => {
      const b = browser(desk.c);
      await b.signIn("ana@example.com");
      const page = await b.get("/desk");
      const csp = page.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(page.text).not.toMatch(/\sstyle="/);
      expect(page.text).not.toMatch(/\son[a-z]+="/);
      const js = await b.get("/desk/assets/desk.js");
      expect(js.status).toBe(200);
      expect(js.headers.get("content-type")).toContain("javascript");
    },
  );

  it.skipIf(skip)(
    "lists open loops by urgency: breached first, then the nearest deadline, then the oldest",
    async () => {
      const { c, advance } = desk;
      // "support" acknowledges within 4 h; "*" (any other channel) has no acknowledge deadline.
      const old = await feedback(c, "Urgency: oldest support ticket");
      advance(HOUR);
      const noDeadline = await feedback(c, "Urgency: app store review", { channel: "app-store" });
      advance(HOUR);
      const newer = await feedback(c, "Urgency: newer support ticket");
      advance(3 * HOUR); // `old` is now 5 h old: its 4 h acknowledge deadline has passed
      const b = browser(c);
      await b.signIn("ana@example.com");
      const ids = rowIds((await b.get("/desk?q=urgency")).text);
      expect(ids).toEqual([old, newer, noDeadline]);
      const html = (await b.get("/desk?q=urgency")).text;
      expect(html).toMatch(/class="late"[\s\S]*breached/);
    },
  );

  it.skipIf(skip)(
    "filters by segment, owner and Mine, and finds loops by their words",
    async () => {
      const { c } = desk;
      const billing = await feedback(c, "The invoice total is wrong again");
      const review = await feedback(c, "Lovely app but the invoice screen crashes", {
        channel: "app-store",
      });
      const b = browser(c);
      await b.signIn("ana@example.com");
      expect(rowIds((await b.get("/desk?q=invoice")).text).sort()).toEqual(
        [billing, review].sort(),
      );
      expect(rowIds((await b.get("/desk?q=invoice+crashes")).text)).toEqual([review]);
      expect(rowIds((await b.get("/desk?q=invoice&segment=support")).text)).toEqual([billing]);
      expect(rowIds((await b.get("/desk?q=invoice&owner=cx")).text)).toEqual([review]);
      expect(rowIds((await b.get("/desk?q=zebra")).text)).toEqual([]);
      // Mine: the loops owned by the signed-in user's handle.
      const move = (id: string, body: object) =>
        c.call("POST", `/v1/loops/${id}/transitions`, c.sk, { actor: "agent:x", ...body });
      await move(billing, { to: "acknowledged" });
      await move(billing, { to: "assigned", owner: "ana" });
      expect(rowIds((await b.get("/desk?q=invoice&mine=1")).text)).toEqual([billing]);
      expect(rowIds((await b.get("/desk?q=invoice&state=assigned")).text)).toEqual([billing]);
    },
  );

  it.skipIf(skip)("shows what a customer wrote as text, never as markup", async () => {
    const { c } = desk;
    const id = await feedback(c, "<script>alert(1)</script> <img src=x onerror=alert(2)>");
    const b = browser(c);
    await b.signIn("ana@example.com");
    for (const html of [
      (await b.get("/desk?q=alert")).text,
      (await b.get(`/desk/loops/${id}`)).text,
    ]) {
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).not.toContain("<script>alert(1)");
      expect(html).not.toContain("<img src=x");
    }
  });

  it.skipIf(skip)(
    "takes every action on a loop's page, records the desk user, and shows a refusal's reason",
    async () => {
      const { c } = desk;
      const id = await feedback(c, "Export never finishes", {
        customer: { id: "acme", value: 24_000 },
      });
      const b = browser(c);
      await b.signIn("ana@example.com");
      const page = await b.get(`/desk/loops/${id}`);
      expect(page.text).toContain("Export never finishes");
      // Only the moves its state allows: a received loop can only be acknowledged.
      const offered = (html: string) =>
        ["Acknowledge", "Assign", "Resolve", "Close", "Reopen"].filter((a) =>
          html.includes(`>${a}</button>`),
        );
      expect(offered(page.text)).toEqual(["Acknowledge"]);
      const move = (form: Record<string, string>) => b.post(`/desk/loops/${id}/move`, form);
      // Closing now is illegal: refused with the state machine's reason, on the page.
      const refused = await move({ to: "closed", informedVia: "email" });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain("Not done:");
      expect(refused.text).toContain("received → closed");
      expect((await move({ to: "acknowledged" })).status).toBe(303);
      expect((await move({ to: "assigned", owner: "ana" })).status).toBe(303);
      const resolved = await move({
        to: "resolved",
        message: "Sorry — exports now finish in seconds. Thank you for telling us.",
        rootCause: "slow query",
      });
      expect(resolved.status).toBe(303);
      expect(resolved.headers.get("location")).toBe(`/desk/loops/${id}?done=resolved`);
      expect(offered((await b.get(`/desk/loops/${id}`)).text)).toEqual(["Close", "Reopen"]);
      expect((await move({ to: "closed", informedVia: "email" })).status).toBe(303);
      expect((await move({ to: "reopened" })).status).toBe(303);
      const loop = (await c.call("GET", `/v1/loops/${id}`, c.sk)).body;
      expect(loop.events.map((e: { to: string }) => e.to)).toEqual([
        "received",
        "acknowledged",
        "assigned",
        "resolved",
        "closed",
        "reopened",
      ]);
      expect(
        loop.events.slice(1).every((e: { actor: string }) => e.actor === "desk:ana@example.com"),
      ).toBe(true);
      expect(loop.events[3].note).toBe("Root cause: slow query");
      expect(loop.events[4].message).toContain("exports now finish"); // closing repeats the resolve message
      // Once closed, a loop leaves the open inbox but is found under state=closed.
      for (const form of [
        { to: "acknowledged" },
        { to: "assigned", owner: "ana" },
        { to: "resolved" },
      ]) {
        expect((await move(form)).status).toBe(303);
      }
      expect((await move({ to: "closed", informedVia: "call", message: "Called." })).status).toBe(
        303,
      );
      expect(rowIds((await b.get("/desk?q=export+finishes")).text)).toEqual([]);
      const closedRows = (await b.get("/desk?q=export+finishes&state=closed")).text;
      expect(rowIds(closedRows)).toEqual([id]);
      // A closed loop owes nothing more: its row shows no deadline ahead or late.
      expect(closedRows).not.toMatch(/>\s*in \d|\d \w+ late/);
      const after = await b.get(`/desk/loops/${id}?done=reopened`);
      expect(after.text).toContain("Moved to reopened.");
      expect(after.text).toContain("desk:ana@example.com");
      // The resolve editor's hints.
      const hints = await b.post("/desk/acknowledgement-warnings", { message: "We fixed it." });
      expect(JSON.parse(hints.text).warnings).toHaveLength(2);
    },
  );

  it.skipIf(skip)(
    "shows a response's every answer by its question, and the customer's other loops",
    async () => {
      const { c } = desk;
      expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
      const first = response(
        { score: 2, why: "Setup took a week" },
        { anonymousId: "anon-desk-0123456789" },
      );
      const second = response(
        { score: 3, why: "Still slow" },
        { anonymousId: "anon-desk-0123456789" },
      );
      for (const r of [first, second]) {
        const sent = await c.call("POST", "/v1/batch", c.sk, batch({ type: "response", data: r }));
        expect(sent.body.accepted, JSON.stringify(sent.body)).toHaveLength(1);
      }
      const loops = (await c.call("GET", "/v1/loops?limit=500", c.sk)).body.loops;
      const loopOf = (id: string) =>
        loops.find((l: { source: { id: string } }) => l.source.id === id).id;
      const b = browser(c);
      await b.signIn("ana@example.com");
      const page = (await b.get(`/desk/loops/${loopOf(second.id)}`)).text;
      expect(page).toContain("<dt>How likely are you to recommend us?</dt><dd>3</dd>");
      expect(page).toContain("<dt>What is the main reason?</dt><dd>Still slow</dd>");
      expect(page).toContain(`/desk/loops/${loopOf(first.id)}`); // the earlier loop, linked
      expect(page).toContain("NPS 2");
      const inbox = (await b.get("/desk?q=slow")).text;
      expect(inbox).toContain("3 NPS");
    },
  );

  it.skipIf(skip)(
    "lets a lead change who owns a survey's loops (its next version); an agent cannot",
    async () => {
      const { c } = desk;
      if ((await c.call("GET", "/v1/surveys", c.pk)).body.surveys.length === 0) {
        await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey());
      }
      const agent = browser(c);
      await agent.signIn("ana@example.com");
      const view = await agent.get("/desk/surveys");
      expect(view.text).toContain("onboarding-nps");
      expect(view.text).not.toContain('name="owner.detractor"');
      expect(
        (await agent.post("/desk/surveys/onboarding-nps/owners", { "owner.detractor": "ana" }))
          .status,
      ).toBe(403);
      const lead = browser(c);
      await lead.signIn("lee@example.com");
      const before = (await c.call("GET", "/v1/surveys", c.pk)).body.surveys[0];
      const done = await lead.post("/desk/surveys/onboarding-nps/owners", {
        "owner.detractor": "lee",
      });
      expect(done.status).toBe(303);
      const after = (await c.call("GET", "/v1/surveys", c.pk)).body.surveys[0];
      expect(after.version).toBe(before.version + 1);
      expect(after.loop.routes.detractor.owner).toBe("lee");
      expect(after.loop.routes.passive).toStrictEqual(before.loop.routes.passive);
      const bad = await lead.post("/desk/surveys/onboarding-nps/owners", {
        "owner.detractor": "not an id!",
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain("Not done:");
    },
  );

  it.skipIf(skip)(
    "lets a viewer read but not act: no buttons, and a posted action is 403",
    async () => {
      const { c } = desk;
      const id = await feedback(c, "Viewer check");
      const b = browser(c);
      await b.signIn("vic@example.com");
      const page = await b.get(`/desk/loops/${id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain("Viewer check");
      expect(page.text).not.toContain('<button type="submit">Acknowledge');
      expect((await b.post(`/desk/loops/${id}/move`, { to: "acknowledged" })).status).toBe(403);
      expect((await c.call("GET", `/v1/loops/${id}`, c.sk)).body.state).toBe("received");
    },
  );

  it.skipIf(skip)("shows customer value to leads only", async () => {
    const { c } = desk;
    await feedback(c, "Value check", { customer: { id: "globex", value: 98_765 } });
    const agent = browser(c);
    await agent.signIn("ana@example.com");
    const lead = browser(c);
    await lead.signIn("lee@example.com");
    expect((await lead.get("/desk?q=value")).text).toContain("98,765");
    expect((await agent.get("/desk?q=value")).text).not.toContain("98,765");
  });

  it.skipIf(skip)("announces new loops on the event stream", async () => {
    const { c } = desk;
    const b = browser(c);
    await b.signIn("ana@example.com");
    const controller = new AbortController();
    const res = await fetch(`${c.url}/desk/events`, {
      headers: { cookie: b.cookie },
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    // Let the stream take its first count, then open a loop.
    await new Promise((r) => setTimeout(r, 150));
    await feedback(c, "Event stream check");
    let text = "";
    while (!text.includes("event: loops")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain("event: loops");
  });

  it.skipIf(skip)("draws every chart with axes, a legend and a table of its numbers", async () => {
    const b = browser(desk.c);
    await b.signIn("lee@example.com");
    const page = await b.get("/desk/charts?by=region");
    expect(page.status).toBe(200);
    for (const title of [
      "NPS",
      "CSAT",
      "CES",
      "Loops opened and closed",
      "Time to acknowledge",
      "Time to close",
      "Breach rate",
    ]) {
      expect(page.text).toContain(`${title} as a table`);
    }
    expect(page.text.match(/<svg class="chart"/g)).toHaveLength(7);
    expect(page.text).toContain("Value at risk");
    const agent = browser(desk.c);
    await agent.signIn("ana@example.com");
    expect((await agent.get("/desk/charts")).text).not.toContain("Value at risk");
  });
});

describe("the desk's charts, warmed", () => {
  it("the inbox starts computing the charts, so the charts page then computes nothing", async () => {
    const { store, calls } = countingMetrics(sqliteStore(":memory:"));
    const { c } = await deskCollector(store);
    try {
      const b = browser(c);
      await b.signIn("lee@example.com");
      expect(calls()).toBe(0);
      expect((await b.get("/desk")).status).toBe(200);
      // Started once the inbox has answered: the weeks and the headline's two periods.
      await expect.poll(calls).toBe(WEEKS + 2);
      expect((await b.get("/desk/charts")).status).toBe(200);
      // The charts page warms the other grouping's weeks (its headline is shared), a second
      // after its answer, and nothing else: what it drew was already computed.
      await expect.poll(calls, { timeout: 5000 }).toBe(2 * WEEKS + 2);
      await new Promise((r) => setTimeout(r, 50));
      expect(calls()).toBe(2 * WEEKS + 2);
      expect((await b.get("/desk/charts?by=region")).status).toBe(200);
      expect(calls()).toBe(2 * WEEKS + 2);
    } finally {
      await c.close();
    }
  });

  it("warmDesk computes the charts of each environment with desk users: the first charts page after a start computes nothing", async () => {
    const { store, calls } = countingMetrics(sqliteStore(":memory:"));
    const { c } = await deskCollector(store);
    try {
      await c.collector.warmDesk();
      await expect.poll(calls).toBe(WEEKS + 2);
      const b = browser(c);
      await b.signIn("lee@example.com");
      expect((await b.get("/desk/charts")).status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
      expect(calls()).toBe(WEEKS + 2);
    } finally {
      await c.close();
    }
  });

  it("warmDesk computes nothing for an environment without desk users", async () => {
    const { store, calls } = countingMetrics(sqliteStore(":memory:"));
    const c = await startCollector({ store });
    try {
      await c.collector.warmDesk();
      await new Promise((r) => setTimeout(r, 50));
      expect(calls()).toBe(0);
    } finally {
      await c.close();
    }
  });
});
