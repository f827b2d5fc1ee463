import { h } from "./h.js";
import { mountHost } from "./shell.js";
import { stringsFor } from "./strings.js";
import type { ViewEnv, ViewHandle } from "./types.js";

/**
 * The floating feedback button (`init({ feedbackButton: true })`): fixed at the page's bottom
 * corner (mirrored in right-to-left locales), in its own Shadow DOM host like the dialogs.
 */
export function mountTrigger(
  env: ViewEnv,
  label: string | undefined,
  onClick: () => void,
): ViewHandle {
  const button = h(
    "button",
    { type: "button", class: "p t" },
    label ?? stringsFor(env.locale, env.translations).feedback,
  );
  button.addEventListener("click", onClick);
  const host = mountHost(env, button);
  return { close: () => host.remove() };
}
