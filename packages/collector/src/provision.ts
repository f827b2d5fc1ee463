import { randomBytes } from "node:crypto";
import { ValidationError } from "@closeloop/core";
import { generateKey, hashKey, kindOf } from "./keys.js";
import type { CollectorStore, KeyKind, KeyRecord } from "./store/types.js";

/** What `provision` did: the environment, and the keys it created (shown once, never again). */
export interface Provisioned {
  envId: string;
  /** Set when this call created the key (or stored the one given). */
  publicKey?: string;
  secretKey?: string;
}

/**
 * Makes sure the store has an environment with a public and a secret key. On an empty store it
 * creates them — from `publicKey` / `secretKey` when given (`CLOSELOOP_PUBLIC_KEY`,
 * `CLOSELOOP_SECRET_KEY`), else random — and returns them so they can be printed once. On a
 * store that has an environment it adds the given keys if they are new, and returns nothing else.
 * Collectors starting together on one empty store make one environment (the store's
 * `createFirstEnvironment`); the others answer it without keys, having created none.
 */
export async function provision(
  store: CollectorStore,
  given: { publicKey?: string; secretKey?: string } = {},
  now: string = new Date().toISOString(),
): Promise<Provisioned> {
  for (const [field, key, kind] of [
    ["publicKey", given.publicKey, "public"],
    ["secretKey", given.secretKey, "secret"],
  ] as const) {
    if (key !== undefined && (kindOf(key) !== kind || key.length < 20)) {
      throw new ValidationError("keys", [
        {
          path: field,
          code: "invalid_key",
          message: `must start with ${kind === "public" ? "pk_" : "sk_"} and have at least 20 characters`,
        },
      ]);
    }
  }
  // A store already provisioned (every start but the first) answers without taking a lock.
  let env = (await store.listEnvironments())[0];
  if (!env) {
    const made = { id: `env_${randomBytes(8).toString("hex")}`, name: "default", createdAt: now };
    const publicKey = given.publicKey ?? generateKey("public");
    const secretKey = given.secretKey ?? generateKey("secret");
    env = await store.createFirstEnvironment(made, [
      keyRecord(made.id, "public", publicKey, now),
      keyRecord(made.id, "secret", secretKey, now),
    ]);
    // Another collector starting at the same time may have made the environment first: then
    // these keys were never stored, and only the given ones are added below.
    if (env.id === made.id) return { envId: made.id, publicKey, secretKey };
  }
  const out: Provisioned = { envId: env.id };
  for (const [kind, key] of [
    ["public", given.publicKey],
    ["secret", given.secretKey],
  ] as const) {
    if (!key || (await store.findKey(hashKey(key)))) continue;
    try {
      await store.addKey(keyRecord(env.id, kind, key, now));
    } catch (error) {
      // Collectors given the same key and starting together each try to add it: the one that
      // lost the race finds it stored (keys are unique by hash), which is all it wanted.
      if (await store.findKey(hashKey(key))) continue;
      throw error;
    }
    out[kind === "public" ? "publicKey" : "secretKey"] = key;
  }
  return out;
}

/** The record the store keeps of a key. */
export function keyRecord(envId: string, kind: KeyKind, key: string, at: string): KeyRecord {
  const record: KeyRecord = {
    id: `key_${randomBytes(6).toString("hex")}`,
    envId,
    kind,
    hash: hashKey(key),
    prefix: `${key.slice(0, 10)}…`,
    createdAt: at,
  };
  if (kind === "secret") record.secret = key;
  return record;
}
