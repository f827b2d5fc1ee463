import { InvalidAnswerError } from "@closeloop/core";
import { h } from "./h.js";
import { questionControls } from "./question.js";
import { openShell } from "./shell.js";
import type { SurveyViewOptions, ViewHandle } from "./types.js";

/**
 * Shows a survey session as a dialog: one question at a time with progress, Back and
 * Next/Submit, then a thank-you screen with the route's acknowledgement. The session decides
 * everything (validation, branching, the outcome); the view only renders `session.current()`
 * and reports each step. A session that is already finished opens on its thank-you screen.
 *
 * @example
 * const view = mountSurvey({ session, modal: false, container: document.body, locale: "fr",
 *   theme: { mode: "system" }, onProgress: save, onFinish: send, onAcknowledgementShown: seen,
 *   onDismiss: () => {} });
 */
export function mountSurvey(o: SurveyViewOptions): ViewHandle {
  const { session } = o;
  let finished = false;
  const shell = openShell(o, o.modal, () => o.onDismiss(finished));
  const { s } = shell;

  const thanks = () => {
    finished = true;
    const outcome = session.outcome();
    if (outcome) o.onFinish(outcome);
    shell.end(
      h("h2", { id: "t" }, s.thanks),
      h("p", { role: "status", dir: "auto" }, outcome?.acknowledgement ?? ""),
    );
    o.onAcknowledgementShown();
  };

  const render = () => {
    const v = session.current();
    if (!v) return thanks();
    const [controls, read] = questionControls(v, s);
    const error = h("p", { id: "e", class: "err", role: "alert" });
    // Every path starts at the first question and never returns to it: nothing before it.
    const back = h("button", { type: "button", hidden: v.index === 0 }, s.back);
    const form = h(
      "form",
      { novalidate: true },
      h("p", { class: "m" }, `${v.index + 1} ${s.of} ${v.total}`),
      h("progress", { max: v.total, value: v.index + 1, "aria-hidden": "true" }),
      // `auto`: a question shown in the survey's default language reads in its own direction.
      h("h2", { id: "t", dir: "auto" }, v.text),
      controls,
      error,
      h(
        "div",
        { class: "n" },
        back,
        h("button", { class: "p" }, v.index === v.total - 1 ? s.submit : s.next),
      ),
    );
    // The checked choice, else the first control: where keyboard users continue.
    const focus = () =>
      (
        (form.querySelector(":checked") ?? form.querySelector("input,textarea")) as HTMLElement
      ).focus();
    const step = (move: () => void) => {
      move();
      o.onProgress();
      render();
    };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      try {
        session.answer(v.id, read());
        session.next();
      } catch (x) {
        if (!(x instanceof InvalidAnswerError)) throw x;
        error.textContent = x.reason === "required" ? s.required : s.invalid;
        form.querySelector("[aria-describedby~=e]")?.setAttribute("aria-invalid", "true");
        focus();
        return;
      }
      step(() => {});
    });
    back.addEventListener("click", () =>
      step(() => {
        // Keep what was given here, when it is a valid answer, so Next brings it back.
        try {
          session.answer(v.id, read());
        } catch {}
        session.back();
      }),
    );
    shell.body.replaceChildren(form);
    focus();
  };

  render();
  return shell;
}
