// The answer schemas of the OpenAPI document (`src/openapi/answer-schemas.ts`) are written as zod
// next to core's TypeScript interfaces of the same answers; `tsc` holds each pair equal, so a
// field added to one and not the other fails `pnpm typecheck`.
import type {
  BatchResult,
  DeliveryRecord,
  GroupMetrics,
  Issue,
  LoopPage,
  MetricsReport,
  WebhookEndpoint,
} from "@closeloop/core";
import { describe, expectTypeOf, it } from "vitest";
import type * as z from "zod/mini";
import type {
  DeliveryRecordSchema,
  GroupMetricsSchema,
  IssueSchema,
  LoopPageSchema,
  MetricsReportSchema,
  WebhookEndpointSchema,
} from "../src/openapi/answer-schemas.js";

describe("the answer schemas say what core's interfaces say", () => {
  it("metrics", () => {
    expectTypeOf<z.output<typeof GroupMetricsSchema>>().toEqualTypeOf<GroupMetrics>();
    expectTypeOf<z.output<typeof MetricsReportSchema>>().toEqualTypeOf<MetricsReport>();
  });

  it("webhook endpoints and deliveries", () => {
    expectTypeOf<z.output<typeof WebhookEndpointSchema>>().toEqualTypeOf<
      Omit<WebhookEndpoint, "envId">
    >();
    expectTypeOf<z.output<typeof DeliveryRecordSchema>>().toEqualTypeOf<DeliveryRecord>();
  });

  it("loop pages and issues", () => {
    expectTypeOf<z.output<typeof LoopPageSchema>>().toEqualTypeOf<LoopPage>();
    expectTypeOf<z.output<typeof IssueSchema>>().toEqualTypeOf<Issue>();
    expectTypeOf<BatchResult["rejected"][number]["issues"]>().toEqualTypeOf<Issue[] | undefined>();
  });
});
