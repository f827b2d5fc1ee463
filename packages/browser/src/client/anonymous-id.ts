import type { KeyValue } from "./storage.js";

/**
 * This browser's anonymous id: 128 random bits as 32 hex characters, kept in storage. It is
 * also the capability that reads the browser's own closure notices (docs/browser.md), so it
 * comes from `crypto.getRandomValues`, never `Math.random`.
 */
export function anonymousId(kv: KeyValue): string {
  const kept = kv.get_<string>("anon");
  if (typeof kept === "string" && /^[0-9a-f]{32}$/.test(kept)) return kept;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = Array.from(bytes, (b) => (256 + b).toString(16).slice(1)).join("");
  kv.set_("anon", id);
  return id;
}
