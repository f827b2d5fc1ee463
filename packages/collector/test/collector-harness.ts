// Starts a real collector on loopback over a real SQLite file, with keys provisioned.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7 } from "@closeloop/core";
import { onboardingNps } from "../../core/test/fixtures.js";
import { type Collector, type CollectorOptions, createCollector } from "../src/collector.js";
import { provision } from "../src/provision.js";
import { sqliteStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";

export interface Running {
  collector: Collector;
  url: string;
  pk: string;
  sk: string;
  store: CollectorStore;
  path: string;
  close(): Promise<void>;
  /** fetch against the collector with a key. */
  call(
    method: string,
    path: string,
    key: string | undefined,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: tests probe arbitrary JSON answers field by field.
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

export async function startCollector(
  options: Partial<CollectorOptions> & { path?: string } = {},
): Promise<Running> {
  const path =
    options.path ?? join(mkdtempSync(join(tmpdir(), "closeloop-collector-")), "closeloop.db");
  const store = options.store ?? (await sqliteStore(path));
  await store.migrate();
  const keys = await provision(store, {
    publicKey: "pk_test_0123456789abcdefghij",
    secretKey: "sk_test_0123456789abcdefghij",
  });
  const collector = createCollector({ ...options, store });
  const listening = await collector.listen({ port: 0 });
  const call: Running["call"] = async (method, p, key, body) => {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      headers["content-type"] = "application/json";
    }
    const res = await fetch(listening.url + p, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    collector,
    url: listening.url,
    pk: keys.publicKey ?? "pk_test_0123456789abcdefghij",
    sk: keys.secretKey ?? "sk_test_0123456789abcdefghij",
    store,
    path,
    call,
    async close() {
      await listening.close();
      await store.close();
    },
  };
}

/** The example onboarding NPS survey (core's test fixture). */
export const survey = () => onboardingNps();

/** A finished (or partial) response to the example survey from an anonymous respondent. */
export function response(
  answers: Record<string, unknown>,
  options: { id?: string; finished?: boolean; anonymousId?: string } = {},
) {
  return {
    id: options.id ?? uuidv7(),
    surveyId: "onboarding-nps",
    surveyVersion: 1,
    respondent: { anonymousId: options.anonymousId ?? "anon-0123456789abcdef" },
    answers,
    finished: options.finished ?? true,
    locale: "en",
    createdAt: new Date().toISOString(),
  };
}

/** A batch body of items. */
export const batch = (...items: { type: string; idempotencyKey?: string; data: unknown }[]) => ({
  items: items.map((i) => ({ idempotencyKey: i.idempotencyKey ?? uuidv7(), ...i })),
});

/** A complete feedback policy. */
export const feedbackPolicy = () => ({
  locales: ["en"],
  channels: ["support"],
  routes: {
    support: {
      action: "follow-up",
      owner: "support",
      acknowledgeWithin: "4h",
      closeWithin: "48h",
      acknowledge: {
        message: { en: "Sorry about this — we will get back to you within two days. Thank you." },
      },
    },
    "*": {
      action: "follow-up",
      owner: "cx",
      closeWithin: "7d",
      acknowledge: { message: { en: "Sorry, and thank you — we read everything." } },
    },
  },
});

/** A fixture whose nested fields a test deletes or rewrites to make it invalid. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into fixtures to break them on purpose.
export type Fixture = Record<string, any>;
