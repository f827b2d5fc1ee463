import { h } from "./h.js";
import { styledHost } from "./shell.js";
import { isRtl, S, stringsFor } from "./strings.js";
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
  const [host, root] = styledHost(env);
  const button = h(
    "button",
    {
      type: "button",
      class: `p t ${env.theme.mode}`,
      lang: env.locale,
      dir: isRtl(env.locale) ? "rtl" : "ltr",
    },
    label ?? stringsFor(env.locale)[S.feedback],
  );
  button.addEventListener("click", onClick);
  root.append(button);
  env.container.append(host);
  return { close: () => host.remove() };
}
