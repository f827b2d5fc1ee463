import { uuidv7 } from "@closeloop/core";
import { generatePassword, hashPassword } from "../desk/password.js";
import { DESK_ROLES, isDeskRole } from "../desk/roles.js";
import { DeskUserExistsError } from "../store/desk-types.js";
import { withExistingStore } from "./open-store.js";

const USAGE =
  "usage: closeloop users [list | add <email> --role agent|lead|viewer [--handle name] | remove <email>] [--db path | --postgres url]";

/** An owner id from an email's local part: `Ana.Silva+desk@x` → `ana.silva-desk`. */
export const handleOf = (email: string): string =>
  (email.split("@")[0] ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9_.:-]+/g, "-")
    .slice(0, 64) || "user";

/**
 * `closeloop users add <email> --role …` creates a desk user and prints their password once (it
 * is stored only as a scrypt hash); `users list` lists them; `users remove <email>` removes one
 * and ends their sessions. See docs/desk.md.
 */
export async function users(
  args: string[],
  flags: { db?: string; postgres?: string; role?: string; handle?: string },
  out: (line: string) => void,
): Promise<number> {
  const [action = "list", arg] = args;
  return withExistingStore(flags, async (store) => {
    if (action === "list") {
      for (const u of await store.listDeskUsers()) {
        out(`${u.email}  ${u.role.padEnd(6)}  owner ${u.handle}  created ${u.createdAt}`);
      }
      return 0;
    }
    if (action === "add" && arg) {
      const email = arg.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
        out(`"${arg}" is not an email address`);
        return 2;
      }
      if (!isDeskRole(flags.role)) {
        out(`--role must be one of ${DESK_ROLES.join(", ")}`);
        return 2;
      }
      const handle = flags.handle ?? handleOf(email);
      if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(handle)) {
        out("--handle must be 1–64 letters, digits, or _ . : -");
        return 2;
      }
      const envId = (await store.listEnvironments())[0]?.id;
      if (!envId) {
        out("no environment yet: run closeloop serve once to create one");
        return 1;
      }
      const password = generatePassword();
      try {
        await store.addDeskUser({
          id: uuidv7(),
          envId,
          email,
          role: flags.role,
          handle,
          passwordHash: await hashPassword(password),
          createdAt: new Date().toISOString(),
        });
      } catch (e) {
        if (!(e instanceof DeskUserExistsError)) throw e;
        out(`${email} is already a desk user`);
        return 1;
      }
      out(`added ${email} (${flags.role}, owner ${handle})`);
      out(`password: ${password}`);
      out("shown once: give it to them, then sign in at /desk");
      return 0;
    }
    if (action === "remove" && arg) {
      const removed = await store.removeDeskUser(arg.trim().toLowerCase());
      out(removed ? `removed ${arg}` : `no desk user ${arg}`);
      return removed ? 0 : 1;
    }
    out(USAGE);
    return 2;
  });
}
