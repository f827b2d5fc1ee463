import { generateKey } from "../keys.js";
import { keyRecord } from "../provision.js";
import type { KeyKind } from "../store/types.js";
import { withExistingStore } from "./open-store.js";

/**
 * `closeloop keys [list]` lists keys (never their values); `closeloop keys rotate public|secret`
 * creates a new key, prints it once, and revokes the environment's other keys of that kind
 * (unless `--keep-old`); `closeloop keys revoke <id>` revokes one.
 */
export async function keys(
  args: string[],
  flags: { db?: string; postgres?: string; "keep-old"?: boolean },
  out: (line: string) => void,
): Promise<number> {
  const [action = "list", arg] = args;
  return withExistingStore(flags, async (store) => {
    const now = new Date().toISOString();
    if (action === "list") {
      for (const k of await store.listKeys()) {
        out(
          `${k.id}  ${k.kind.padEnd(6)}  ${k.prefix}  created ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ""}`,
        );
      }
      return 0;
    }
    if (action === "rotate" && (arg === "public" || arg === "secret")) {
      const envId = (await store.listEnvironments())[0]?.id;
      if (!envId) {
        out("no environment yet: run closeloop serve once to create one");
        return 1;
      }
      const old = (await store.listKeys(envId)).filter((k) => k.kind === arg && !k.revokedAt);
      const key = generateKey(arg as KeyKind);
      await store.addKey(keyRecord(envId, arg as KeyKind, key, now));
      out(`${arg} key: ${key}`);
      if (!flags["keep-old"]) {
        for (const k of old) {
          await store.revokeKey(k.id, now);
          out(`revoked ${k.id} (${k.prefix})`);
        }
      }
      return 0;
    }
    if (action === "revoke" && arg) {
      await store.revokeKey(arg, now);
      out(`revoked ${arg}`);
      return 0;
    }
    out(
      "usage: closeloop keys [list | rotate public|secret [--keep-old] | revoke <id>] [--db path | --postgres url]",
    );
    return 2;
  });
}
