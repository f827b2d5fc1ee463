// The script-tag build of `@closeloop/browser/lite` (dist/lite.global.js): its exports under
// the global `Closeloop`, assigned here for the reason given in ./index.ts.
import { init } from "../lite.js";

(globalThis as { Closeloop?: object }).Closeloop = { init };
