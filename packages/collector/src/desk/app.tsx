/** @jsxImportSource hono/jsx */
import type { LoopState } from "@closeloop/core";
import { acknowledgementWarnings, checkSurvey, LOOP_STATES } from "@closeloop/core";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { streamSSE } from "hono/streaming";
import { HttpError } from "../http/errors.js";
import { moveLoop } from "../loops/move.js";
import type { DeskUser } from "../store/desk-types.js";
import type { CollectorStore } from "../store/types.js";
import { DESK_CSS, DESK_JS } from "./assets.js";
import { createChartsCache } from "./charts-cache.js";
import { inboxQuery } from "./inbox-query.js";
import { ChartsPage } from "./pages/charts.js";
import { InboxPage } from "./pages/inbox.js";
import { LoopPage } from "./pages/loop.js";
import { SignInPage } from "./pages/sign-in.js";
import { SurveysPage } from "./pages/surveys.js";
import { verifyPassword } from "./password.js";
import { can, type DeskPermission } from "./roles.js";
import { newSessionToken, SESSION_COOKIE, SESSION_TTL_MS, sessionTokenHash } from "./session.js";
import { createSignInLimiter } from "./sign-in-limit.js";

/** What the desk needs from the collector. */
export interface DeskDeps {
  store: CollectorStore;
  /** The current time (ISO-8601); tests pin it. */
  now: () => string;
  /** How often the inbox's event stream looks for new loops; default 2 s. */
  pollMs?: number;
}

type Env = { Variables: { user: DeskUser } };

// Pages load only what the collector serves; no inline script or style anywhere (docs/desk.md).
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/**
 * How long after a charts page its other grouping's charts are computed: a person reads a page
 * before switching, and by then the page and what it loads have been sent (docs/desk.md).
 */
const OTHER_GROUPING_AFTER_MS = 1000;

/** Whether the browser reached the desk over https (directly or through a proxy). */
const overHttps = (c: Context) =>
  new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";

/**
 * The loop desk at `/desk`: sign-in, the inbox by urgency, a loop's page with every action, and
 * the charts, as server-rendered pages (docs/desk.md). A Hono app: its CSRF check, secure
 * headers, cookies and event streams are Hono's, not ours.
 */
export function createDesk(deps: DeskDeps): Hono<Env> & { warmCharts(envId: string): void } {
  const { store, now } = deps;
  const desk = new Hono<Env>().basePath("/desk");
  const limiter = createSignInLimiter(() => Date.parse(now()));
  const charts = createChartsCache(store, now);

  desk.use(secureHeaders({ contentSecurityPolicy: CSP, referrerPolicy: "same-origin" }));
  // A form posted from another site is refused (Origin and Sec-Fetch-Site must be this site).
  desk.use(csrf());

  desk.get("/assets/desk.css", (c) =>
    c.body(DESK_CSS, 200, { "content-type": "text/css; charset=utf-8" }),
  );
  desk.get("/assets/desk.js", (c) =>
    c.body(DESK_JS, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );

  desk.get("/sign-in", (c) => c.html(<SignInPage />));
  desk.post("/sign-in", async (c) => {
    const form = await c.req.formData();
    const email = String(form.get("email") ?? "")
      .trim()
      .toLowerCase();
    const password = String(form.get("password") ?? "");
    const client = c.req.header("x-forwarded-for") ?? "";
    const wait = limiter.wait(email, client);
    if (wait > 0) {
      return c.html(
        <SignInPage email={email} error={`Too many attempts: try again in ${wait} s.`} />,
        429,
        { "retry-after": String(wait) },
      );
    }
    const user = await store.findDeskUser(email);
    // The same answer, and the same work, for an unknown email as for a wrong password.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      limiter.failed(email, client);
      return c.html(<SignInPage email={email} error="Wrong email or password." />, 401);
    }
    limiter.succeeded(email);
    const { token, tokenHash } = newSessionToken();
    const expiresAt = new Date(Date.parse(now()) + SESSION_TTL_MS).toISOString();
    await store.createDeskSession({ tokenHash, userId: user.id, expiresAt });
    setCookie(c, SESSION_COOKIE, token, {
      path: "/desk",
      httpOnly: true,
      sameSite: "Strict",
      secure: overHttps(c),
      maxAge: SESSION_TTL_MS / 1000,
    });
    return c.redirect("/desk", 303);
  });

  // Every other page needs a signed-in user.
  desk.use(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const found = token ? await store.deskSession(sessionTokenHash(token), now()) : undefined;
    if (!found) {
      if (c.req.method === "GET") return c.redirect("/desk/sign-in", 303);
      return c.text("Sign in first", 401);
    }
    c.set("user", found.user);
    await next();
  });

  const need = (c: Context<Env>, permission: DeskPermission) => {
    if (!can(c.get("user").role, permission)) {
      throw new HttpError(403, "forbidden", `A ${c.get("user").role} may not do this`);
    }
  };

  desk.post("/sign-out", async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await store.deleteDeskSession(sessionTokenHash(token));
    deleteCookie(c, SESSION_COOKIE, { path: "/desk" });
    return c.redirect("/desk/sign-in", 303);
  });

  desk.get("/", async (c) => {
    const user = c.get("user");
    const { query, filters } = inboxQuery(c.req.query(), user, now());
    const { rows, total } = await store.inbox(user.envId, query);
    const page = (
      <InboxPage user={user} rows={rows} total={total} query={query} filters={filters} />
    );
    // After this answer: the charts are ready when the user opens them (charts-cache.ts).
    setImmediate(() => charts.warm(user.envId));
    return c.html(page);
  });

  // New loops without a reload: the inbox's script listens here and refreshes its rows.
  desk.get("/events", (c) => {
    const user = c.get("user");
    return streamSSE(c, async (sse) => {
      let last: number | undefined;
      while (!sse.aborted && !sse.closed) {
        const total = await store.countInbox(user.envId, { now: now(), offset: 0, limit: 1 });
        if (last !== undefined && total !== last) {
          await sse.writeSSE({ event: "loops", data: String(total) });
        }
        last = total;
        await sse.sleep(deps.pollMs ?? 2_000);
      }
    });
  });

  desk.get("/loops/:id", async (c) => {
    const user = c.get("user");
    return c.html(await loopPage(c, user, c.req.param("id"), {}));
  });

  desk.post("/loops/:id/move", async (c) => {
    const user = c.get("user");
    need(c, "act");
    const id = c.req.param("id");
    const form = await c.req.formData();
    const field = (name: string) => {
      const v = form.get(name);
      return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
    };
    const to = field("to");
    if (!to || !(LOOP_STATES as readonly string[]).includes(to)) {
      return c.html(await loopPage(c, user, id, { refusal: `no such move: ${to}` }), 400);
    }
    const rootCause = field("rootCause");
    try {
      await moveLoop(
        store,
        user.envId,
        id,
        {
          to: to as LoopState,
          actor: `desk:${user.email}`,
          message: field("message"),
          informedVia: field("informedVia"),
          owner: field("owner"),
          note: rootCause ? `Root cause: ${rootCause}` : undefined,
        },
        now(),
      );
    } catch (e) {
      if (!(e instanceof HttpError) || e.status === 404) throw e;
      return c.html(await loopPage(c, user, id, { refusal: e.message }), e.status as 400 | 409);
    }
    return c.redirect(`/desk/loops/${encodeURIComponent(id)}?done=${to}`, 303);
  });

  // The resolve editor's hints: the six-step recovery pattern's apology and thanks.
  desk.post("/acknowledgement-warnings", async (c) => {
    const form = await c.req.formData();
    const text = String(form.get("message") ?? "");
    const warnings = text.trim() ? acknowledgementWarnings({ en: text }, "message") : [];
    return c.json({ warnings: warnings.map((w) => w.message) });
  });

  desk.get("/surveys", async (c) => c.html(await surveysPage(c, c.get("user"), {})));

  // A lead changes who owns a survey's loops: the survey's next version, through the same gate
  // (checkSurvey) and the same store call as `PUT /v1/surveys/:id`.
  desk.post("/surveys/:id/owners", async (c) => {
    const user = c.get("user");
    need(c, "lead");
    const id = c.req.param("id");
    const current = (await store.activeSurveys(user.envId)).find((s) => s.id === id);
    if (!current) throw new HttpError(404, "not_found", `No survey ${id}`);
    const form = await c.req.formData();
    const routes = structuredClone(current.loop.routes);
    for (const [segment, route] of Object.entries(routes)) {
      const owner = form.get(`owner.${segment}`);
      if (typeof owner !== "string") continue;
      if (owner.trim() === "") delete route.owner;
      else route.owner = owner.trim();
    }
    const check = checkSurvey({
      ...current,
      version: current.version + 1,
      loop: { ...current.loop, routes },
    });
    if (!check.ok || !check.survey) {
      const refusal = check.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
      return c.html(await surveysPage(c, user, { refusal }), 422);
    }
    await store.publishSurvey(user.envId, check.survey, now());
    return c.redirect(`/desk/surveys?done=${encodeURIComponent(id)}`, 303);
  });

  desk.get("/charts", async (c) => {
    const user = c.get("user");
    const by = c.req.query("by") === "region" ? "region" : "journey";
    const data = await charts(user.envId, by);
    // The other grouping, once this answer has gone: started at once, its reports would take
    // turns with sending this one, and a page that found nothing computed would wait for them too.
    const other = by === "journey" ? "region" : "journey";
    setTimeout(() => charts.warm(user.envId, other), OTHER_GROUPING_AFTER_MS).unref();
    return c.html(<ChartsPage user={user} data={data} by={by} />);
  });

  desk.onError((e, c) => {
    if (e instanceof HttpError) return c.text(e.message, e.status as 403);
    // Hono's own refusals, such as the CSRF check's 403.
    if (e instanceof HTTPException) return e.getResponse();
    throw e;
  });
  desk.notFound((c) => c.text("No such desk page", 404));

  /** Who loops may be given to: the owners named so far, then every desk user who may act. */
  async function ownerChoices(envId: string, named: (string | undefined)[]): Promise<string[]> {
    const users = await store.listDeskUsers(envId);
    const handles = users.filter((u) => can(u.role, "act")).map((u) => u.handle);
    return [...new Set([...named.filter((o): o is string => o !== undefined), ...handles])];
  }

  async function surveysPage(c: Context<Env>, user: DeskUser, notes: { refusal?: string }) {
    const surveys = await store.activeSurveys(user.envId);
    const owners = await ownerChoices(
      user.envId,
      surveys.flatMap((s) => Object.values(s.loop.routes).flatMap((r) => r.owner ?? [])),
    );
    const done = c.req.query("done");
    return (
      <SurveysPage
        user={user}
        surveys={surveys}
        owners={owners}
        {...(notes.refusal ? { refusal: notes.refusal } : {})}
        {...(done ? { done: `Published a new version of ${done}.` } : {})}
      />
    );
  }

  async function loopPage(
    c: Context<Env>,
    user: DeskUser,
    id: string,
    notes: { refusal?: string },
  ) {
    const at = now();
    const view = await store.deskLoop(user.envId, id, at);
    if (!view) throw new HttpError(404, "not_found", `No loop ${id}`);
    const surveyId = view.source?.kind === "response" ? view.source.response : undefined;
    const survey = surveyId
      ? await store.getSurvey(user.envId, surveyId.surveyId, surveyId.surveyVersion)
      : undefined;
    const owners = await ownerChoices(user.envId, [view.loop.owner, view.loop.route.owner]);
    const done = c.req.query("done");
    return (
      <LoopPage
        user={user}
        view={view}
        now={at}
        owners={owners}
        {...(survey ? { survey } : {})}
        {...(notes.refusal ? { refusal: notes.refusal } : {})}
        {...(done ? { done: `Moved to ${done}.` } : {})}
      />
    );
  }

  // For a collector that has just started: the first charts page then finds them computed.
  return Object.assign(desk, { warmCharts: (envId: string) => charts.warm(envId) });
}

// Checked against when the email is unknown, so that both answers take the same time.
const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
