import type { Issue } from "@closeloop/core";
import type { Theme } from "../widget/types.js";
import { type BaseOptions, type InitOptions, need } from "./options.js";

/** The options only the full entry (the widget, targeting) uses, with defaults applied. */
export interface WidgetOptions {
  theme: Theme;
  container: Element | undefined;
  cooldownDays: number;
  feedbackButton: { label?: string } | undefined;
  nonce: string | undefined;
}

/** Every option of the full entry, with defaults applied. */
export type ResolvedOptions = BaseOptions & WidgetOptions;

/** Checks the widget's options, adding an issue per bad field, and applies their defaults. */
export function widgetOptions(x: Partial<InitOptions>, issues: Issue[]): WidgetOptions {
  const theme = typeof x.theme === "string" ? { mode: x.theme } : { mode: "system", ...x.theme };
  const cooldownDays = x.cooldownDays ?? 7;
  need(
    issues,
    "theme",
    ["light", "dark", "system"].includes(theme.mode),
    "mode must be one of: light, dark, system",
  );
  need(
    issues,
    "container",
    x.container === undefined || typeof x.container?.appendChild === "function",
    "must be a DOM element",
  );
  need(
    issues,
    "cooldownDays",
    typeof cooldownDays === "number" && cooldownDays >= 0 && cooldownDays <= 3_650,
    "must be a number of days from 0 to 3650",
  );
  const button = x.feedbackButton;
  return {
    theme: theme as Theme,
    container: x.container,
    cooldownDays,
    feedbackButton: button ? (button === true ? {} : button) : undefined,
    nonce: x.nonce,
  };
}
