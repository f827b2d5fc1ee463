import * as z from "zod/mini";
import { ITEM_TYPES } from "../patterns.js";
import { dictionary } from "./common.js";

export { ITEM_TYPES };

/** One item on the wire; `data` is validated per `type` by the collector. */
export const BatchItemSchema = z.strictObject({
  type: z.enum(ITEM_TYPES),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(200)),
  data: dictionary(z.string(), z.unknown()),
});
/** @see BatchItemSchema */
export type BatchItem = z.infer<typeof BatchItemSchema>;

/** Body of `POST /v1/batch`. */
export const BatchRequestSchema = z.strictObject({
  items: z.array(BatchItemSchema).check(z.minLength(1), z.maxLength(1_000)),
});

const IssueSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });

/** Answer of `POST /v1/batch`: per-item acceptance (with the first id on replays) or rejection. */
export const BatchResultSchema = z.object({
  accepted: z.array(z.object({ index: z.number(), id: z.string(), duplicate: z.boolean() })),
  rejected: z.array(
    z.object({
      index: z.number(),
      code: z.string(),
      message: z.string(),
      issues: z.optional(z.array(IssueSchema)),
    }),
  ),
});
/** @see BatchResultSchema */
export type BatchResult = z.infer<typeof BatchResultSchema>;
