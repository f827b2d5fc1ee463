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
  const envs = await store.listEnvironments();
  let envId = envs[0]?.id;
  const out: Provisioned = { envId: envId ?? "" };
  if (!envId) {
    envId = `env_${randomBytes(8).toString("hex")}`;
    out.envId = envId;
    await store.createEnvironment({ id: envId, name: "default", createdAt: now });
    out.publicKey = given.publicKey ?? generateKey("public");
    out.secretKey = given.secretKey ?? generateKey("secret");
    await store.addKey(keyRecord(envId, "public", out.publicKey, now));
    await store.addKey(keyRecord(envId, "secret", out.secretKey, now));
    return out;
  }
  for (const [kind, key] of [
    ["public", given.publicKey],
    ["secret", given.secretKey],
  ] as const) {
    if (key && !(await store.findKey(hashKey(key)))) {
      await store.addKey(keyRecord(envId, kind, key, now));
      out[kind === "public" ? "publicKey" : "secretKey"] = key;
    }
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
