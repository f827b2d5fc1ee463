// The SQLite schema, as its numbered steps in order (docs/stores.md, Migrations). A step is never
// edited once released: a change is a new file with the next number.
import { type Migration, numberedSteps } from "../../migration.js";
import { INITIAL_MIGRATION } from "./001-initial.js";
import { WEBHOOK_MIGRATION } from "./002-webhooks.js";
import { METRICS_MIGRATION } from "./003-metrics.js";
import { WEBHOOK_ROTATION_MIGRATION } from "./004-webhook-rotation.js";
import { ALLOWED_ORIGINS_MIGRATION } from "./005-allowed-origins.js";

export const MIGRATIONS: readonly Migration[] = numberedSteps([
  INITIAL_MIGRATION,
  WEBHOOK_MIGRATION,
  METRICS_MIGRATION,
  WEBHOOK_ROTATION_MIGRATION,
  ALLOWED_ORIGINS_MIGRATION,
]);
