import { type IngestContext, ItemRejection } from "./context.js";

/**
 * Refuses from a public key what only a backend may say, such as customer events: a public key
 * ships in every web page, so whatever it may send anyone may, and customer events feed the
 * money figures leads read (customer asset growth, and the values behind value at risk).
 */
export function backendOnly(ctx: IngestContext, path: string, what: string): void {
  if (ctx.keyKind !== "public") return;
  throw new ItemRejection(
    "secret_key_required",
    `${what} needs the secret key: send it from your backend, not from a web page`,
    [{ path, code: "secret_key_required", message: "not accepted with a public key" }],
  );
}
