// The script-tag build of `@closeloop/browser` (dist/index.global.js): every export of the
// entry under the global `Closeloop`. Assigned here rather than through tsup's `globalName`,
// whose wrapper (esbuild's CommonJS interop helpers and a getter per export) costs about 210 B
// gzip (docs/size.md). test/global.test.ts checks that this lists exactly the entry's exports.
import {
  browserQueueStore,
  CloseloopError,
  createSurveySession,
  flushLock,
  InvalidAnswerError,
  init,
  onPageHide,
  QueueFullError,
  resolveLocale,
  segmentOf,
  ValidationError,
  VERSION,
} from "../index.js";

(globalThis as { Closeloop?: object }).Closeloop = {
  browserQueueStore,
  CloseloopError,
  createSurveySession,
  flushLock,
  InvalidAnswerError,
  init,
  onPageHide,
  QueueFullError,
  resolveLocale,
  segmentOf,
  VERSION,
  ValidationError,
};
