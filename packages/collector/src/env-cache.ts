/**
 * A per-environment cache of one lookup, kept `ttlMs`: the request path reads settings (secret
 * keys, allowed origins) on every call, and a change made through one collector reaches the
 * others within that time. A failed lookup is not kept.
 *
 * @example
 * const origins = envCache((envId) => store.getAllowedOrigins(envId), 5_000, Date.now);
 * await origins.get("env_1");
 */
export function envCache<T>(
  load: (envId: string) => Promise<T>,
  ttlMs: number,
  now: () => number,
): { get(envId: string): Promise<T>; forget(envId: string): void } {
  const entries = new Map<string, { value: Promise<T>; at: number }>();
  return {
    get(envId) {
      const hit = entries.get(envId);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = load(envId);
      entries.set(envId, { value, at: now() });
      value.catch(() => {
        if (entries.get(envId)?.value === value) entries.delete(envId);
      });
      return value;
    },
    forget: (envId) => {
      entries.delete(envId);
    },
  };
}
