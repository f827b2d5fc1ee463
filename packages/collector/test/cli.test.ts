// The `closeloop` CLI as a user runs it: a real process, a real SQLite file, real HTTP.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { onboardingNps } from "../../core/test/fixtures.js";
import { bundleForNode } from "../../node/test/bundle.js";
import { startReceiver } from "../../node/test/webhook-receiver.js";
import type { Fixture } from "./collector-harness.js";

// Built beside packages/collector/node_modules, so the bundle finds better-sqlite3 and pg.
const OUT = join(import.meta.dirname, "../node_modules/.cache/closeloop-cli-test");
const CLI = join(OUT, "cli.mjs");

// The linked command runs the built CLI: required under CI=true (which builds first).
const cliBuilt = existsSync(join(import.meta.dirname, "../dist/cli.js"));
if (!cliBuilt && process.env.CI === "true") throw new Error("CI=true: run pnpm build first");
if (!cliBuilt)
  console.warn("cli: the linked-command case skipped: packages/collector is not built");

beforeAll(async () => {
  await bundleForNode(join(import.meta.dirname, "../src/cli/main.ts"), CLI, [
    "better-sqlite3",
    "pg",
  ]);
});

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let err = "";
  let rest = "";
  child.stdout?.on("data", (b: Buffer) => {
    const parts = (rest + b.toString()).split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
  });
  child.stderr?.on("data", (b: Buffer) => {
    err += b.toString();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, lines, exited, stderr: () => err };
}

async function serveUntilListening(args: string[], env: Record<string, string> = {}) {
  const p = run(["serve", ...args, "--port", "0"], env);
  await expect
    .poll(() => p.lines.some((l) => l.includes("listening on")), { timeout: 20_000 })
    .toBe(true);
  const url = /listening on (\S+)/.exec(
    p.lines.find((l) => l.includes("listening on")) ?? "",
  )?.[1] as string;
  return { ...p, url };
}

const stop = async (c: ChildProcess, exited: Promise<number | null>) => {
  c.kill("SIGTERM");
  return exited;
};

describe("closeloop check", () => {
  it("passes a complete survey and fails a partial one listing every issue", async () => {
    const dir = mkdtempSync(join(tmpdir(), "closeloop-check-"));
    const good = join(dir, "good.json");
    const bad = join(dir, "bad.json");
    writeFileSync(good, JSON.stringify(onboardingNps()));
    const partial = onboardingNps() as Fixture;
    delete partial.loop.routes.detractor;
    delete partial.loop.routes.promoter.acknowledge.message.fr;
    writeFileSync(bad, JSON.stringify(partial));
    const ok = run(["check", good]);
    expect(await ok.exited).toBe(0);
    expect(ok.lines.join("\n")).toContain("good.json: ok");
    const fail = run(["check", good, bad, join(dir, "missing.json")]);
    expect(await fail.exited).toBe(1);
    const out = fail.lines.join("\n");
    expect(out).toContain("bad.json: loop.routes.detractor:");
    expect(out).toContain("bad.json: loop.routes.promoter.acknowledge.message");
    expect(out).toContain("missing.json: cannot read as JSON");
  });
});

describe("closeloop output", () => {
  it("finishes quietly with its own status when the reader stops early (| head -n 1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "closeloop-epipe-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(onboardingNps()));
    const p = run(["check", good, good, good]);
    // Closed before the command writes a line: each write meets EPIPE.
    p.child.stdout?.destroy();
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toBe("");
  });
});

describe("closeloop users", () => {
  it("adds a desk user with a password shown once, who signs in at /desk; lists and removes them", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "closeloop-users-")), "closeloop.db");
    const serving = await serveUntilListening(["--db", db]);
    try {
      const add = run(["users", "add", "Ana@Example.com", "--role", "agent", "--db", db]);
      expect(await add.exited).toBe(0);
      expect(add.lines[0]).toBe("added ana@example.com (agent, owner ana)");
      const password = add.lines.find((l) => l.startsWith("password: "))?.slice(10) as string;
      expect(password).toMatch(/^[\w-]{22}$/);
      const again = run(["users", "add", "ana@example.com", "--role", "lead", "--db", db]);
      expect(await again.exited).toBe(1);
      expect(again.lines.join("\n")).toContain("already a desk user");
      const badRole = run(["users", "add", "bo@example.com", "--role", "admin", "--db", db]);
      expect(await badRole.exited).toBe(2);
      expect(badRole.lines.join("\n")).toContain("--role must be one of viewer, agent, lead");
      const signIn = (pw: string) =>
        fetch(`${serving.url}/desk/sign-in`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: serving.url },
          body: new URLSearchParams({ email: "ana@example.com", password: pw }).toString(),
        });
      expect((await signIn(password)).status).toBe(303);
      const list = run(["users", "list", "--db", db]);
      expect(await list.exited).toBe(0);
      expect(list.lines.join("\n")).toMatch(/ana@example\.com {2}agent/);
      expect(list.lines.join("\n")).not.toContain(password);
      const remove = run(["users", "remove", "ana@example.com", "--db", db]);
      expect(await remove.exited).toBe(0);
      expect((await signIn(password)).status).toBe(401);
    } finally {
      await stop(serving.child, serving.exited);
    }
  }, 60_000); // several processes and scrypt hashes: slow on a loaded machine
});

describe("closeloop serve and keys", () => {
  it("creates keys on first start and prints them once, serves, stops on SIGTERM, keeps data", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "closeloop-serve-")), "closeloop.db");
    const first = await serveUntilListening(["--db", db]);
    const pk = first.lines
      .find((l) => l.startsWith("public key: "))
      ?.slice("public key: ".length) as string;
    const sk = first.lines
      .find((l) => l.startsWith("secret key: "))
      ?.slice("secret key: ".length) as string;
    expect(pk).toMatch(/^pk_/);
    expect(sk).toMatch(/^sk_/);
    expect(first.lines.find((l) => l.includes("listening on"))).toContain(`(sqlite ${db})`);
    const put = await fetch(`${first.url}/v1/surveys/onboarding-nps`, {
      method: "PUT",
      headers: { authorization: `Bearer ${sk}` },
      body: JSON.stringify(onboardingNps()),
    });
    expect(put.status).toBe(201);
    expect(await stop(first.child, first.exited)).toBe(0);
    expect(first.lines.at(-1)).toBe("closeloop collector stopped (SIGTERM)");

    const second = await serveUntilListening(["--db", db]);
    expect(second.lines.some((l) => l.includes("key:"))).toBe(false); // printed once, never again
    const surveys = await fetch(`${second.url}/v1/surveys`, {
      headers: { authorization: `Bearer ${pk}` },
    });
    expect(((await surveys.json()) as { surveys: unknown[] }).surveys).toHaveLength(1);
    expect(await stop(second.child, second.exited)).toBe(0);

    const list = run(["keys", "list", "--db", db]);
    expect(await list.exited).toBe(0);
    expect(list.lines.filter(Boolean)).toHaveLength(2);
    expect(list.lines.join("\n")).not.toContain(sk);
    const rotate = run(["keys", "rotate", "public", "--db", db]);
    expect(await rotate.exited).toBe(0);
    const newPk = rotate.lines
      .find((l) => l.startsWith("public key: "))
      ?.slice("public key: ".length) as string;
    expect(newPk).toMatch(/^pk_/);
    const third = await serveUntilListening(["--db", db]);
    const auth = (key: string) =>
      fetch(`${third.url}/v1/surveys`, { headers: { authorization: `Bearer ${key}` } });
    expect((await auth(pk)).status).toBe(401);
    expect((await auth(newPk)).status).toBe(200);
    await stop(third.child, third.exited);
  }, 60_000);

  it("takes its keys from CLOSELOOP_PUBLIC_KEY and CLOSELOOP_SECRET_KEY without printing them", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "closeloop-serve-")), "closeloop.db");
    const env = {
      CLOSELOOP_PUBLIC_KEY: "pk_env_0123456789abcdefghij",
      CLOSELOOP_SECRET_KEY: "sk_env_0123456789abcdefghij",
    };
    const s = await serveUntilListening(["--db", db], env);
    expect(s.lines.some((l) => l.includes("key:"))).toBe(false);
    const r = await fetch(`${s.url}/v1/loops`, {
      headers: { authorization: `Bearer ${env.CLOSELOOP_SECRET_KEY}` },
    });
    expect(r.status).toBe(200);

    // The served collector delivers webhooks on its own: a finished response reaches a receiver.
    const rx = await startReceiver();
    try {
      const sk = { authorization: `Bearer ${env.CLOSELOOP_SECRET_KEY}` };
      const put = await fetch(`${s.url}/v1/surveys/onboarding-nps`, {
        method: "PUT",
        headers: sk,
        body: JSON.stringify(onboardingNps()),
      });
      expect(put.status).toBe(201);
      const hook = await fetch(`${s.url}/v1/webhooks/crm`, {
        method: "PUT",
        headers: sk,
        body: JSON.stringify({ url: `${rx.url}/crm`, events: ["response.received"] }),
      });
      rx.secrets.set("/crm", ((await hook.json()) as { secret: string }).secret);
      const item = {
        type: "response",
        idempotencyKey: "k-1",
        data: {
          id: "0193c4b2-0000-7000-8000-0000000000aa",
          surveyId: "onboarding-nps",
          surveyVersion: 1,
          respondent: { anonymousId: "anon-0123456789abcdef" },
          answers: { score: 2 },
          finished: true,
          locale: "en",
          createdAt: new Date().toISOString(),
        },
      };
      const batch = await fetch(`${s.url}/v1/batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${env.CLOSELOOP_PUBLIC_KEY}` },
        body: JSON.stringify({ items: [item] }),
      });
      expect(batch.status).toBe(200);
      await expect.poll(() => rx.received.length, { timeout: 10_000 }).toBe(1);
      expect(rx.received[0]?.payload.type).toBe("response.received");
      expect(rx.failures).toEqual([]);
    } finally {
      await rx.close();
    }
    expect(await stop(s.child, s.exited)).toBe(0);
  }, 60_000);

  it("sets the allowed origins from --allowed-origins or CLOSELOOP_ALLOWED_ORIGINS, refusing bad ones by index", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "closeloop-serve-")), "closeloop.db");
    const env = {
      CLOSELOOP_PUBLIC_KEY: "pk_env_0123456789abcdefghij",
      CLOSELOOP_SECRET_KEY: "sk_env_0123456789abcdefghij",
    };
    const surveysFrom = (url: string, origin: string) =>
      fetch(`${url}/v1/surveys`, {
        headers: { authorization: `Bearer ${env.CLOSELOOP_PUBLIC_KEY}`, origin },
      });
    const s = await serveUntilListening(
      ["--db", db, "--allowed-origins", "https://shop.example, http://localhost:3000"],
      env,
    );
    expect(s.lines).toContain("allowed origins: https://shop.example, http://localhost:3000");
    expect((await surveysFrom(s.url, "https://shop.example")).status).toBe(200);
    expect((await surveysFrom(s.url, "https://evil.example")).status).toBe(403);
    expect(await stop(s.child, s.exited)).toBe(0);

    // Without the flag the stored list stands; the variable replaces it.
    const again = await serveUntilListening(["--db", db], env);
    expect((await surveysFrom(again.url, "https://evil.example")).status).toBe(403);
    expect(await stop(again.child, again.exited)).toBe(0);
    const any = await serveUntilListening(["--db", db], { ...env, CLOSELOOP_ALLOWED_ORIGINS: "*" });
    expect((await surveysFrom(any.url, "https://evil.example")).status).toBe(200);
    expect(await stop(any.child, any.exited)).toBe(0);

    const bad = run(["serve", "--db", db, "--allowed-origins", "https://shop.example/,*"], env);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain("--allowed-origins.0: must be an origin as browsers send it");
    expect(bad.stderr()).toContain('did you mean "https://shop.example"?');
    expect(bad.stderr()).toContain("--allowed-origins.1:");
    const empty = run(["serve", "--db", db, "--allowed-origins", ""], env);
    expect(await empty.exited).toBe(1);
    expect(empty.stderr()).toContain("--allowed-origins is empty");
  }, 60_000);

  it("on a taken port, says so and creates no keys; the next start prints them", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "closeloop-serve-")), "closeloop.db");
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = String((blocker.address() as AddressInfo).port);
    try {
      const taken = run(["serve", "--db", db, "--port", port]);
      expect(await taken.exited).toBe(1);
      expect(taken.stderr()).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(taken.lines.some((l) => l.includes("key:"))).toBe(false);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    const next = await serveUntilListening(["--db", db]);
    expect(next.lines.filter((l) => /^(public|secret) key: /.test(l))).toHaveLength(2);
    expect(await stop(next.child, next.exited)).toBe(0);
  }, 60_000);

  it("keys refuses a database file that is not there instead of creating an empty one", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "closeloop-keys-")), "missing.db");
    const list = run(["keys", "list", "--db", db]);
    expect(await list.exited).toBe(1);
    expect(list.stderr()).toContain(`no database at ${db}`);
    expect(existsSync(db)).toBe(false);
  });

  it("--help prints the usage and succeeds; no command at all is a usage error", async () => {
    const help = run(["--help"]);
    expect(await help.exited).toBe(0);
    expect(help.lines.join("\n")).toContain("closeloop serve");
    const none = run([]);
    expect(await none.exited).toBe(2);
    expect(none.lines.join("\n")).toContain("closeloop serve");
  });

  it("the linked command says to build first when dist/ is missing, instead of failing to start", async () => {
    const pkg = mkdtempSync(join(tmpdir(), "closeloop-bin-"));
    mkdirSync(join(pkg, "bin"));
    copyFileSync(join(import.meta.dirname, "../bin/closeloop.mjs"), join(pkg, "bin/closeloop.mjs"));
    const child = spawn(process.execPath, [join(pkg, "bin/closeloop.mjs"), "--help"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
    });
    expect(await new Promise((r) => child.once("exit", r))).toBe(1);
    expect(err).toContain("run `pnpm build`");
  });

  it.skipIf(!cliBuilt)(
    "runs as `closeloop` from the repository's root once built (node_modules/.bin)",
    async () => {
      const bin = join(import.meta.dirname, "../../../node_modules/.bin/closeloop");
      const child = spawn(bin, ["--help"], { stdio: ["ignore", "pipe", "ignore"] });
      let out = "";
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
      });
      expect(await new Promise((r) => child.once("exit", r))).toBe(0);
      expect(out).toContain("closeloop serve");
    },
  );

  it("exits non-zero with a message on a bad flag", async () => {
    const p = run(["serve", "--port", "99999"]);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain("--port");
    const drain = run(["serve", "--drain-timeout", "0"]);
    expect(await drain.exited).toBe(1);
    expect(drain.stderr()).toContain("--drain-timeout must be seconds above 0");
    const dir = mkdtempSync(join(tmpdir(), "closeloop-cli-"));
    const sqliteTimeout = run(["serve", "--db", join(dir, "x.db"), "--statement-timeout", "5"]);
    expect(await sqliteTimeout.exited).toBe(1);
    expect(sqliteTimeout.stderr()).toContain("apply to --postgres only");
    const badTimeout = run(["serve", "--postgres", "postgres://h/db", "--connect-timeout", "x"]);
    expect(await badTimeout.exited).toBe(1);
    expect(badTimeout.stderr()).toContain("--connect-timeout must be seconds");
  }, 30_000);
});
