import { h } from "./h.js";
import { openShell } from "./shell.js";
import type { ClosureViewOptions, ViewHandle } from "./types.js";

/**
 * Shows a closure notice as a non-modal dialog: "You told us: …" (when the notice quotes the
 * respondent) and "What we did: …", with a Close button. `onSeen` is called once, when it is on
 * screen; the client then sends `closure-seen`, which closes the loop (docs/concepts.md).
 *
 * @example
 * mountClosureNotice({ notice, container: document.body, locale: "en", theme: { mode: "system" },
 *   onSeen: () => outbox.enqueue(seenItem(notice)), onDismiss() {} });
 */
export function mountClosureNotice(o: ClosureViewOptions): ViewHandle {
  const { notice } = o;
  const shell = openShell(o, false, o.onDismiss);
  const { s } = shell;
  const said = notice.youSaid;
  shell.end(
    ...(said ? [h("h2", { id: "t" }, s.told), h("blockquote", { dir: "auto" }, said)] : []),
    h("h2", { id: said ? undefined : "t" }, s.did),
    h("p", { dir: "auto" }, notice.message),
  );
  o.onSeen();
  return shell;
}
