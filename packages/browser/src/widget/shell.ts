import { h } from "./h.js";
import { isRtl, type Strings, stringsFor } from "./strings.js";
import { CSS } from "./styles.js";
import type { ViewEnv } from "./types.js";

/** A dialog on the page, inside its own Shadow DOM host. */
export interface Shell {
  /** Where a view puts its content (replaced screen by screen). */
  body: HTMLElement;
  /** The UI strings of the view's locale. */
  s: Strings;
  /** Shows a last screen: `nodes`, then a Close button that dismisses, which gets focus. */
  end(...nodes: Node[]): void;
  /** Removes the host and gives focus back to what had it before; safe to call twice. */
  close(): void;
}

let sheet: CSSStyleSheet | undefined;

/**
 * Puts `content` (in the view's language, direction and colour mode) in a `closeloop-widget`
 * host with its Shadow DOM styled — the theme's custom properties on the host, the stylesheet
 * adopted (or a `<style nonce>` where constructable stylesheets are missing) — and appends that
 * to `env.container`; returns the host.
 */
export function mountHost(env: ViewEnv, content: HTMLElement): HTMLElement {
  const host = env.container.ownerDocument.createElement("closeloop-widget");
  // Set through the CSSOM, which a CSP allows. Anything but a custom property has no effect:
  // the host's `all: initial !important` wins over it, so a theme cannot move or hide the host.
  for (const [name, value] of Object.entries(env.theme.vars ?? {}))
    host.style.setProperty(name, value);
  const root = host.attachShadow({ mode: "open" });
  try {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(h("style", { nonce: env.nonce }, CSS));
  }
  content.lang = env.locale;
  content.dir = isRtl(env.locale) ? "rtl" : "ltr";
  content.classList.add(env.theme.mode);
  root.append(content);
  env.container.append(host);
  return host;
}

/**
 * Opens a `<dialog>` in a Shadow DOM host appended to `env.container`. The host is
 * `position: fixed` with `all: initial`, so it shifts nothing on the page and the page's CSS
 * does not reach in; styles come from a constructable stylesheet, or a `<style nonce>` where
 * those are missing, so a strict CSP allows them. A modal dialog (`showModal`) keeps focus
 * inside and makes the page inert. Escape, the × button and the Close button call `dismiss`
 * (after the host is removed); focus goes back where it was.
 */
export function openShell(env: ViewEnv, modal: boolean, dismiss: () => void): Shell {
  const doc = env.container.ownerDocument;
  let before = doc.activeElement as HTMLElement | null;
  while (before?.shadowRoot?.activeElement) before = before.shadowRoot.activeElement as HTMLElement;
  const s = stringsFor(env.locale, env.translations);
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    host.remove();
    before?.focus?.();
  };
  const done = (e?: Event) => {
    e?.preventDefault();
    if (open) {
      close();
      dismiss();
    }
  };
  const button = () => {
    const b = h("button", { type: "button", class: "x", "aria-label": s.close }, "×");
    b.addEventListener("click", done);
    return b;
  };
  const body = h("div");
  const dialog = h("dialog", { "aria-labelledby": "t" }, body, button());
  // Escape while an input method composes text cancels the composition, not the dialog.
  dialog.addEventListener("keydown", (e) => e.key === "Escape" && !e.isComposing && done(e));
  // A modal dialog's own Escape handling would close it behind the view's back.
  dialog.addEventListener("cancel", done);
  const host = mountHost(env, dialog);
  if (modal) dialog.showModal();
  else dialog.show();
  return {
    body,
    s,
    end(...nodes) {
      const b = button();
      b.className = "p";
      b.textContent = s.close;
      body.replaceChildren(...nodes, h("div", { class: "n" }, b));
      b.focus();
    },
    close,
  };
}
