// The full browser SDK against a real collector: a collector on a fresh SQLite file on one
// loopback port, the shop page (packages/browser/test/pages/sdk.page.ts) on another.
import type { Page } from "playwright-core";
import { type Running, startCollector, survey } from "../../collector/test/collector-harness.js";

export type { Running };
export const SDK_PAGE = new URL("./pages/sdk.page.ts", import.meta.url);

/** The example onboarding NPS survey (core's test fixture), shown on every page of the shop at once (no delay). */
export const shopSurvey = (display: Record<string, unknown> = { mode: "once" }) => ({
  ...survey(),
  targeting: { url: [{ match: "prefix", value: "/" }], events: [], delayMs: 0, sampleRate: 1 },
  display,
});

/** A feedback policy for in-app feedback: a person follows up within a week. */
export const inAppPolicy = () => ({
  locales: ["en"],
  routes: {
    "*": {
      action: "follow-up",
      owner: "cx",
      closeWithin: "7d",
      acknowledge: { message: { en: "Thank you, we read everything." } },
    },
  },
});

/** A collector with the shop's survey and an in-app feedback policy published. */
export async function shopCollector(display?: Record<string, unknown>): Promise<Running> {
  const c = await startCollector();
  const put = await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, shopSurvey(display));
  if (put.status >= 300) throw new Error(`publish: ${put.status} ${JSON.stringify(put.body)}`);
  const policy = await c.call("PUT", "/v1/feedback-policy", c.sk, inAppPolicy());
  if (policy.status >= 300)
    throw new Error(`policy: ${policy.status} ${JSON.stringify(policy.body)}`);
  return c;
}

let instances = 0;
/**
 * The init script that hands the page its options. Each call names a fresh SDK instance, so
 * tests sharing one Chromium profile do not share fatigue, anonymous ids or queues; reloads of
 * one page keep theirs.
 */
export const sdkInit = (c: Running, extra: Record<string, unknown> = {}) =>
  `window.__closeloop = ${JSON.stringify({
    options: { endpoint: c.url, publicKey: c.pk, locale: "en", name: `t${++instances}`, ...extra },
  })};`;

/** Every client event the page recorded so far, as [name, payload]. */
export const events = (page: Page) =>
  page.evaluate(() => (window as unknown as { events: [string, unknown][] }).events);

/** Waits until the page recorded an event named `name` (and `where` holds), and returns its payload. */
export async function waitForEvent<T = Record<string, unknown>>(
  page: Page,
  name: string,
  timeoutMs = 10_000,
): Promise<T> {
  const handle = await page.waitForFunction(
    (n) =>
      (window as unknown as { events: [string, unknown][] }).events.find((e) => e[0] === n)?.[1],
    name,
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as T;
}

/** Calls `window.sdk.flush()` in the page. */
export const flush = (page: Page) =>
  page.evaluate(() => (window as unknown as { sdk: { flush(): Promise<boolean> } }).sdk.flush());

/** Answers the shop's survey in `page` by keyboard: the score (0–10), then the reason. */
export async function answerSurvey(page: Page, score: number, why: string): Promise<void> {
  await page.locator("closeloop-widget dialog").waitFor();
  for (let i = 0; i < score; i++) await page.keyboard.press("ArrowRight");
  await page.getByRole("button", { name: "Next" }).click();
  await page.keyboard.type(why);
  await page.getByRole("button", { name: "Submit" }).click();
}

/** The segments of the collector's loops, as `expect.poll` reads them. */
export const loopSegments = async (c: Running): Promise<string[]> =>
  ((await c.call("GET", "/v1/loops?limit=500", c.sk)).body.loops as { segment: string }[]).map(
    (l) => l.segment,
  );
