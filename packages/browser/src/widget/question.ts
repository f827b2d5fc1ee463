import type { QuestionView } from "@closeloop/core";
import { h } from "./h.js";
import type { Strings } from "./strings.js";

/**
 * One question's controls and how to read them: the answer as the session takes it,
 * `undefined` when none is given. The control named by the question text (`#t`) is described by
 * the error line (`#e`), which marks it for `aria-invalid`.
 */
export type QuestionControls = [el: HTMLElement, read: () => unknown];

/**
 * Arrow keys move and check within a radio group (left and right swap when the text runs right
 * to left), Home and End go to its ends, as the ARIA radio group pattern asks.
 */
function radioKeys(group: HTMLElement): void {
  group.addEventListener("keydown", (e) => {
    const radios = [...group.querySelectorAll<HTMLInputElement>("[type=radio]")];
    const at = radios.indexOf(e.target as HTMLInputElement);
    const back = group.matches(":dir(rtl)") ? "ArrowRight" : "ArrowLeft";
    const last = radios.length - 1;
    const to = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      ArrowRight: at + 1,
      ArrowLeft: at + 1,
      [back]: at - 1,
      Home: 0,
      End: last,
    }[e.key];
    if (at < 0 || to === undefined) return;
    e.preventDefault();
    const radio = radios[to > last ? 0 : to < 0 ? last : to] as HTMLInputElement;
    radio.checked = true;
    radio.focus();
  });
}

const checked = (el: HTMLElement) => [...el.querySelectorAll<HTMLInputElement>(":checked")];

/** A group described by the error line; `radiogroup`s also get arrow keys. */
function group(role: string, cls: string, describedBy = "e"): HTMLElement {
  const g = h("div", {
    role,
    class: cls,
    "aria-labelledby": "t",
    "aria-describedby": describedBy,
  });
  if (role === "radiogroup") radioKeys(g);
  return g;
}

/** A row of radios from `min` to `max` shown as numbers, stars or faces, with the scale's end labels. */
function scale(
  v: QuestionView,
  s: Strings,
  min: number,
  max: number,
  ends?: readonly [keyof Strings, keyof Strings],
): QuestionControls {
  const g = group("radiogroup", `s ${v.display ?? "number"}`, ends ? "d e" : "e");
  for (let n = min; n <= max; n++) {
    const glyph =
      v.display === "stars"
        ? "★"
        : v.display === "emoji"
          ? (["😞", "🙁", "😐", "🙂", "😄"][Math.round(((n - min) * 4) / (max - min))] as string)
          : "";
    g.append(
      h(
        "label",
        {},
        h("input", {
          type: "radio",
          name: "q",
          value: n,
          checked: v.answer === n,
          "aria-label": n,
        }),
        h("span", { "aria-hidden": "true" }, glyph || `${n}`),
      ),
    );
  }
  const words =
    ends &&
    h("div", { id: "d", class: "e m" }, h("span", {}, s[ends[0]]), h("span", {}, s[ends[1]]));
  return [
    h("div", {}, g, words || ""),
    () => {
      const c = checked(g)[0];
      return c ? Number(c.value) : undefined;
    },
  ];
}

/** Radios or checkboxes for a choice question, with an "other" box and its text field when the question has one. */
function choice(v: QuestionView, s: Strings, multi: boolean): QuestionControls {
  const given = ([] as unknown[]).concat(v.answer ?? []);
  const g = group(multi ? "group" : "radiogroup", "c");
  const box = (value: string, text: string, on: boolean) => {
    const input = h("input", { type: multi ? "checkbox" : "radio", name: "q", value, checked: on });
    g.append(h("label", {}, input, h("span", {}, text)));
    return input;
  };
  for (const o of v.options ?? []) box(o.id, o.text, given.includes(o.id));
  const other = h("input", { type: "text", class: "o", maxlength: 1000 });
  if (v.other !== undefined) {
    const label = v.other || s.other;
    const said = given.find((a) => typeof a === "object") as { other: string } | undefined;
    const otherBox = box("", label, said !== undefined);
    other.value = said?.other ?? "";
    other.setAttribute("aria-label", label);
    other.addEventListener("input", () => {
      otherBox.checked = other.value !== "";
    });
    g.append(other);
  }
  return [
    g,
    () => {
      const picked = checked(g).map((c) => c.value || { other: other.value });
      return multi ? (picked[0] ? picked : undefined) : picked[0];
    },
  ];
}

/**
 * The controls for a question of any type. Scales are native radios in a `radiogroup` (Tab
 * reaches the checked one, arrows move), so keyboard and screen readers work as on any form.
 */
export function questionControls(v: QuestionView, s: Strings): QuestionControls {
  const type = v.type;
  if (type === "rating") return scale(v, s, 1, v.scale ?? 5);
  if (type === "single_choice" || type === "multi_choice") {
    return choice(v, s, type === "multi_choice");
  }
  if (type === "open_text") {
    // Text with a character counter, limited to the question's `maxLength`.
    const max = v.maxLength ?? 5000;
    const area = h("textarea", {
      "aria-labelledby": "t",
      "aria-describedby": "c e",
      maxlength: max,
    });
    const counter = h("p", { id: "c", class: "m" });
    const count = () => {
      counter.textContent = `${area.value.length}/${max}`;
    };
    area.value = typeof v.answer === "string" ? v.answer : "";
    area.addEventListener("input", count);
    count();
    return [h("div", {}, area, counter), () => area.value];
  }
  if (type === "consent") {
    // One checkbox, "I agree", described by the question text.
    const box = h("input", {
      type: "checkbox",
      "aria-describedby": "t e",
      checked: v.answer === true,
    });
    return [
      h("div", { class: "c" }, h("label", {}, box, h("span", {}, s.agree))),
      () => box.checked,
    ];
  }
  // Lowest and highest score of the fixed scales, and the strings naming their ends.
  const [min, max, low, high] = (
    {
      nps: [0, 10, "npsLow", "npsHigh"],
      csat: [1, 5, "csatLow", "csatHigh"],
      ces: [1, 7, "cesLow", "cesHigh"],
    } as const
  )[type];
  return scale(v, s, min, max, [low, high]);
}
