// Helpers of the widget's Chromium tests: call the page's `window.w`, type keys, and write
// screenshots to test/artifacts/ (git-ignored) for a person to look at.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import type { MountOptions } from "./pages/widget.page.js";

export type { MountOptions };
/** The page every widget test opens. */
export const WIDGET_PAGE = new URL("./pages/widget.page.ts", import.meta.url);
const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));

type Api = Record<string, (...args: unknown[]) => unknown>;

/** Calls `window.w[method](...args)` in the page. */
export function w<T = unknown>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([m, a]) => (window as unknown as { w: Api }).w[m as string]?.(...(a as unknown[])),
    [method, args] as const,
  ) as Promise<T>;
}

/** What the views reported so far. */
export const log = (page: Page) =>
  page.evaluate(() => (window as unknown as { w: { log: unknown[][] } }).w.log);

/** Presses keys one after the other. */
export async function press(page: Page, ...keys: string[]): Promise<void> {
  for (const k of keys) await page.keyboard.press(k);
}

/** Presses Tab until the focused element reads `text` (as `w.focused()` says), then `key`. */
export async function tabTo(page: Page, text: string, key = "Enter"): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press("Tab");
    if ((await w<string>(page, "focused")) === text) {
      await page.keyboard.press(key);
      return;
    }
  }
  throw new Error(`Tab never reached "${text}" (last: "${await w(page, "focused")}")`);
}

/** Writes a screenshot of the viewport to test/artifacts/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, animations: "disabled" });
}
