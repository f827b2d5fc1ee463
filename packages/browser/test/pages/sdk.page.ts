// Runs in Chromium: a shop page that starts the full browser SDK as an app would. The test
// sets `window.__closeloop` (an init script) to the options, and reads `window.sdk` and
// `window.events` (every client event, in order).
import { type Client, init } from "../../src/index.js";

type Recorded = [string, unknown];
const w = window as unknown as {
  __closeloop?: { options: Parameters<typeof init>[0]; deferInit?: boolean };
  sdk?: Client;
  events: Recorded[];
  start: () => Client;
};
w.events = [];
const EVENTS = [
  "error",
  "survey:shown",
  "survey:finished",
  "survey:dismissed",
  "closure:shown",
  "feedback:sent",
  "response:delivered",
  "delivery:dropped",
  "delivery:failed",
] as const;
w.start = () => {
  const sdk = init(w.__closeloop?.options as Parameters<typeof init>[0]);
  for (const name of EVENTS) {
    sdk.on(name, ((e: unknown) => {
      const plain =
        e instanceof Error ? { code: (e as { code?: string }).code, message: e.message } : e;
      w.events.push([name, JSON.parse(JSON.stringify(plain ?? null))]);
    }) as never);
  }
  w.sdk = sdk;
  return sdk;
};
if (!w.__closeloop?.deferInit) w.start();
