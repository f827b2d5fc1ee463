import { h } from "./h.js";
import { openShell } from "./shell.js";
import type { FeedbackViewOptions, ViewHandle } from "./types.js";

/**
 * Shows the free-form feedback form as a modal dialog: a category, the text (required), Send
 * and Cancel. Send waits for `onSubmit`, then thanks the respondent; if it fails the form stays
 * with its text and says so.
 *
 * @example
 * mountFeedback({ container: document.body, locale: "en", theme: { mode: "light" },
 *   onSubmit: ({ category, text }) => client.captureFeedback({ category, text }), onDismiss() {} });
 */
export function mountFeedback(o: FeedbackViewOptions): ViewHandle {
  const shell = openShell(o, true, o.onDismiss);
  const { s } = shell;
  const categories = o.categories ?? [
    { id: "bug", label: s.bug },
    { id: "idea", label: s.idea },
    { id: "other", label: s.other },
  ];
  const select = h(
    "select",
    { id: "k" },
    ...categories.map((c) => h("option", { value: c.id }, c.label)),
  );
  const area = h("textarea", {
    maxlength: 10_000,
    "aria-labelledby": "t",
    "aria-describedby": "e",
  });
  const error = h("p", { id: "e", class: "err", role: "alert" });
  const send = h("button", { class: "p" }, s.submit);
  const cancel = h("button", { type: "button" }, s.cancel);
  cancel.addEventListener("click", () => {
    shell.close();
    o.onDismiss();
  });
  const form = h(
    "form",
    { novalidate: true },
    h("h2", { id: "t" }, s.feedback),
    h("label", { for: "k" }, s.category),
    select,
    area,
    error,
    h("div", { class: "n" }, cancel, send),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (area.value.trim() === "") {
      error.textContent = s.required;
      area.setAttribute("aria-invalid", "true");
      area.focus();
      return;
    }
    send.disabled = true;
    (async () => o.onSubmit({ category: select.value, text: area.value }))().then(
      () => shell.end(h("h2", { id: "t", role: "status" }, s.thanks)),
      () => {
        send.disabled = false;
        error.textContent = s.invalid;
      },
    );
  });
  shell.body.append(form);
  area.focus();
  return shell;
}
