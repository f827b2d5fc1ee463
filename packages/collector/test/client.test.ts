// The node client against a real collector over loopback, with the file outbox.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7, ValidationError } from "@closeloop/core";
import { type Client, CollectorError, createClient, respondentToken } from "@closeloop/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { feedbackPolicy, type Running, startCollector, survey } from "./collector-harness.js";

let c: Running;
let client: Client;
beforeAll(async () => {
  c = await startCollector();
  await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey());
  await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy());
  client = createClient({
    endpoint: c.url,
    secretKey: c.sk,
    outbox: {
      dir: join(mkdtempSync(join(tmpdir(), "closeloop-client-")), "outbox"),
      fsync: "batch",
    },
  });
});
afterAll(async () => {
  await client?.close();
  await c?.close();
});

describe("createClient", () => {
  it("captures feedback through the file outbox and the collector opens its loop", async () => {
    const delivered: string[] = [];
    const off = client.on("response:delivered", (e) => delivered.push(e.id));
    const { id } = await client.captureFeedback({
      channel: "support",
      text: "Invoices export empty",
      customer: { id: "acme", value: 24_000 },
    });
    expect(await client.flush()).toBe(true);
    off();
    expect(delivered).toEqual([id]);
    const { loops } = await client.loops.list({ owner: "support" });
    const loop = loops.find((l) => l.source.id === id);
    const open = await client.loops.list({ state: ["received", "acknowledged"], owner: "support" });
    expect(open.loops.map((l) => l.id)).toContain(loop?.id);
    expect((await client.loops.list({ state: ["closed"], owner: "support" })).loops).toEqual([]);
    expect(loop).toMatchObject({
      state: "received",
      segment: "support",
      customer: { id: "acme", value: 24_000 },
    });
  });

  it("acts on loops: acknowledge, assign, resolve, close by email, reopen", async () => {
    const { id } = await client.captureFeedback({ channel: "support", text: "Can't log in" });
    await client.flush();
    const loop = (await client.loops.list({ owner: "support", limit: 500 })).loops.find(
      (l) => l.source.id === id,
    );
    if (!loop) throw new Error("no loop");
    await client.loops.acknowledge(loop.id, { actor: "agent:ana" });
    expect(
      (await client.loops.assign(loop.id, { actor: "agent:ana", owner: "team-auth" })).owner,
    ).toBe("team-auth");
    await client.loops.resolve(loop.id, { actor: "dev:li", note: "SSO certificate renewed" });
    const closed = await client.loops.close(loop.id, {
      actor: "agent:ana",
      informedVia: "email",
      message: "Fixed: your SSO works again.",
    });
    expect(closed.state).toBe("closed");
    expect(
      (await client.loops.reopen(loop.id, { actor: "agent:ana", note: "Broke again" })).state,
    ).toBe("reopened");
    expect((await client.loops.get(loop.id)).events.map((e) => e.to)).toEqual([
      "received",
      "acknowledged",
      "assigned",
      "resolved",
      "closed",
      "reopened",
    ]);
  });

  it("closes with the resolve message when none is given, and refuses a close with no message at all", async () => {
    const loopOf = async (text: string) => {
      const { id } = await client.captureFeedback({ channel: "support", text });
      await client.flush();
      const loop = (await client.loops.list({ owner: "support", limit: 500 })).loops.find(
        (l) => l.source.id === id,
      );
      if (!loop) throw new Error("no loop");
      await client.loops.acknowledge(loop.id, { actor: "a" });
      await client.loops.assign(loop.id, { actor: "a" });
      return loop.id;
    };
    const told = await loopOf("Export is empty");
    await client.loops.resolve(told, { actor: "dev", message: "Exports work again since 4.2." });
    const closed = await client.loops.close(told, { actor: "a", informedVia: "email" });
    expect(closed.events.at(-1)).toMatchObject({
      to: "closed",
      informedVia: "email",
      message: "Exports work again since 4.2.",
    });

    const silent = await loopOf("Slow dashboard");
    await client.loops.resolve(silent, { actor: "dev", note: "index added" });
    const refused = await client.loops
      .close(silent, { actor: "a", informedVia: "email" })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409 });
  });

  it("throws CollectorError with the status and code on a refused move", async () => {
    const err = await client.loops.get(uuidv7()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CollectorError);
    expect(err).toMatchObject({ status: 404, code: "not_found" });
    const { id } = await client.captureFeedback({ channel: "review", text: "Meh" });
    await client.flush();
    const loop = (await client.loops.list({ owner: "cx", limit: 500 })).loops.find(
      (l) => l.source.id === id,
    );
    const illegal = await client.loops
      .close(loop?.id ?? "", { actor: "a", informedVia: "email", message: "x" })
      .catch((e: unknown) => e);
    expect(illegal).toMatchObject({ status: 409, code: "illegal_transition" });
  });

  it("submits a response and tracks customers", async () => {
    const { id } = await client.submitResponse({
      surveyId: "onboarding-nps",
      surveyVersion: 1,
      respondent: { id: "user-7" },
      answers: { score: 10 },
      finished: true,
      locale: "en",
    });
    await client.trackCustomer({ id: "acme", event: "gained", value: 24_000 });
    expect(await client.flush()).toBe(true);
    const loops = (await client.loops.list({ survey: "onboarding-nps", limit: 500 })).loops;
    expect(loops.find((l) => l.source.id === id)?.segment).toBe("promoter");
  });

  it("types submitResponse's input: a misspelt or missing field is a compile error, and a ValidationError at run time", async () => {
    const typo = {
      surveyId: "onboarding-nps",
      surveyVersion: 1,
      respondent: { id: "user-7" },
      answer: { score: 10 },
      finished: true,
      locale: "en",
    };
    // @ts-expect-error `answer` is not a field, and `answers` is missing
    const sent = client.submitResponse(typo);
    await expect(sent).rejects.toThrow(ValidationError);
    await expect(sent).rejects.toThrow(/answers: is required/);
  });

  it("refuses bad input with ValidationError naming the field, before queueing", async () => {
    const err = await client
      .captureFeedback({ channel: "", text: "" } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path).sort()).toEqual(["channel", "text"]);
    await expect(client.trackCustomer({ id: "", event: "won" as never })).rejects.toThrow(
      ValidationError,
    );
    const huge = await client
      .trackCustomer({ id: "acme", event: "gained", value: 1e308 })
      .catch((e: unknown) => e);
    expect((huge as ValidationError).issues.map((i) => i.path)).toEqual(["value"]);
    expect(() => createClient({ endpoint: c.url, secretKey: c.pk })).toThrow(ValidationError);
  });

  it("rejects every capture, naming why, when its outbox directory cannot be opened", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "closeloop-client-")), "outbox");
    const holder = createClient({ endpoint: c.url, secretKey: c.sk, outbox: { dir } });
    const second = createClient({ endpoint: c.url, secretKey: c.sk, outbox: { dir } });
    await expect(second.captureFeedback({ channel: "support", text: "x" })).rejects.toMatchObject({
      code: "queue_locked",
    });
    await holder.close();
  });

  it("computes respondent tokens the collector accepts", () => {
    expect(client.respondentToken("user-42")).toBe(respondentToken(c.sk, "user-42"));
  });
});

describe("createClient: setup without raw HTTP", () => {
  it("publishes surveys: a new version, the same again, a partial loop refused with its issues", async () => {
    const next = { ...survey(), version: 2 };
    const first = await client.surveys.publish(next);
    expect(first.published).toBe(true);
    expect(first.survey.version).toBe(2);
    expect((await client.surveys.publish(next)).published).toBe(false);

    const partial = structuredClone({ ...survey(), version: 3 }) as ReturnType<typeof survey>;
    delete (partial.loop.routes as Record<string, unknown>).detractor;
    const refused = await client.surveys.publish(partial).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CollectorError);
    expect(refused).toMatchObject({ status: 422, code: "partial_loop" });
    expect((refused as CollectorError).issues.map((i) => i.path)).toContain(
      "loop.routes.detractor",
    );
    await expect(client.surveys.publish({ version: 1 })).rejects.toBeInstanceOf(ValidationError);
  });

  it("sets the feedback policy, refusing an incomplete one", async () => {
    const set = await client.feedbackPolicy.set(feedbackPolicy());
    expect(Object.keys(set.policy.routes)).toContain("support");
    const broken = feedbackPolicy() as { routes: Record<string, Record<string, unknown>> };
    delete broken.routes.support?.owner;
    await expect(client.feedbackPolicy.set(broken)).rejects.toMatchObject({
      status: 422,
      code: "partial_loop",
    });
  });

  it("registers, rotates, reads and removes a webhook endpoint", async () => {
    const url = `${c.url}/nowhere`;
    const made = await client.webhooks.register("crm", { url, events: ["loop.closed"] });
    expect(made.secret).toMatch(/^whsec_/);
    expect(made).toMatchObject({ name: "crm", url, events: ["loop.closed"] });
    const again = await client.webhooks.register("crm", { url });
    expect(again.secret).toBeUndefined();
    const rotated = await client.webhooks.rotate("crm", { graceSeconds: 60 });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(made.secret);
    expect(rotated.previousSecretExpiresAt).toBeDefined();
    const log = await client.webhooks.deliveries("crm", { limit: 10 });
    expect(log.endpoint.name).toBe("crm");
    expect(log.deliveries).toEqual([]);
    await client.webhooks.remove("crm");
    await expect(client.webhooks.deliveries("crm")).rejects.toMatchObject({
      status: 404,
      code: "not_found",
    });
    await expect(client.webhooks.register("bad name", { url })).rejects.toMatchObject({
      status: 400,
      code: "invalid_name",
    });
  });
});

describe("createClient with a wrong or revoked key", () => {
  it("keeps the items, says so once (error event and console), flush answers false, and the right key delivers them", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "closeloop-client-")), "outbox");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const wrong = createClient({
      endpoint: c.url,
      secretKey: "sk_test_not_a_key_of_this_environment",
      outbox: { dir },
    });
    const errors: CollectorError[] = [];
    wrong.on("error", (e) => errors.push(e));
    try {
      const { id } = await wrong.captureFeedback({ channel: "support", text: "Lost in transit?" });
      expect(await wrong.flush()).toBe(false);
      expect(await wrong.flush()).toBe(false);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(CollectorError);
      expect(errors[0]).toMatchObject({ status: 401 });
      expect(errors[0]?.message).toMatch(/items stay queued/);
      expect(warn.mock.calls.filter((c) => String(c[0]).startsWith("closeloop:"))).toHaveLength(1);
      expect(await wrong.close({ timeoutMs: 50 })).toEqual({ remaining: 1 });

      // The same outbox directory with the right key: the kept item arrives, once.
      const right = createClient({ endpoint: c.url, secretKey: c.sk, outbox: { dir } });
      expect(await right.flush()).toBe(true);
      expect(await right.close()).toEqual({ remaining: 0 });
      const { body } = await c.call("GET", "/v1/loops?limit=500", c.sk);
      expect(body.loops.filter((l: { source: { id: string } }) => l.source.id === id)).toHaveLength(
        1,
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe("createClient under a burst", () => {
  it("answers a burst of captures made in one synchronous run, each with its own id once stored, and delivers each once", async () => {
    // A collector of its own: 3,000 loops would crowd the other tests' listings.
    const own = await startCollector();
    await own.call("PUT", "/v1/feedback-policy", own.sk, feedbackPolicy());
    const dir = join(mkdtempSync(join(tmpdir(), "closeloop-client-")), "outbox");
    const burst = createClient({ endpoint: own.url, secretKey: own.sk, outbox: { dir } });
    const delivered = new Map<string, number>();
    burst.on("response:delivered", (e) => {
      const key = e.item.idempotencyKey;
      delivered.set(key, (delivered.get(key) ?? 0) + 1);
    });
    const texts = Array.from({ length: 3_000 }, (_, i) => `Burst item ${i}`);
    // Not awaited one by one: the calls run before any write can complete.
    const calls = texts.map((text) => burst.captureFeedback({ channel: "support", text }));
    const receipts = await Promise.all(calls);
    expect(new Set(receipts.map((r) => r.id)).size).toBe(texts.length);
    for (const r of receipts) expect(r.idempotencyKey).toBe(`feedback:${r.id}`);
    expect(await burst.close({ timeoutMs: 30_000 })).toEqual({ remaining: 0 });
    expect([...delivered.keys()].sort()).toEqual(receipts.map((r) => r.idempotencyKey).sort());
    expect(Math.max(...delivered.values())).toBe(1);
    await own.close();
  }, 60_000);
});
