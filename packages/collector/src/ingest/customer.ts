import { CustomerValueSchema, TimestampSchema, uuidv7 } from "@closeloop/core";
import * as z from "zod/mini";
import { ms } from "../store/columns.js";
import { backendOnly } from "./backend-only.js";
import type { IngestContext, ItemOutcome } from "./context.js";
import { claimKey, type ItemKey } from "./idempotency.js";
import { parseItem } from "./parse-item.js";

/** `data` of a `customer` batch item. */
export const CustomerEventSchema = z.strictObject({
  customerId: z.string().check(z.minLength(1), z.maxLength(256)),
  event: z.enum(["gained", "lost"]),
  value: z.optional(CustomerValueSchema),
  at: TimestampSchema,
});

/** `customer`: a customer gained or lost, for customer asset growth (secret key only). */
export async function ingestCustomer(
  ctx: IngestContext,
  item: ItemKey,
  data: Record<string, unknown>,
): Promise<ItemOutcome> {
  backendOnly(ctx, "type", "A customer event");
  const event = parseItem<z.infer<typeof CustomerEventSchema>>(
    CustomerEventSchema,
    data,
    "customer event",
  );
  const id = uuidv7(ms(ctx.now));
  const claimed = await claimKey(ctx, item, { type: "customer", id });
  if (claimed) return claimed;
  const { value, ...rest } = event;
  await ctx.tx.insertCustomerEvent(ctx.envId, id, value === undefined ? rest : { ...rest, value });
  return { id };
}
