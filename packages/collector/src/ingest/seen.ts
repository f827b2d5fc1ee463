import { IdSchema, transition } from "@closeloop/core";
import * as z from "zod/mini";
import { type IngestContext, type ItemOutcome, ItemRejection } from "./context.js";
import { claimKey, type ItemKey } from "./idempotency.js";
import { acknowledgeSeen, later, saveLoop } from "./loops.js";
import { parseItem } from "./parse-item.js";

/** `data` of an `ack-seen` batch item. */
export const AckSeenSchema = z.strictObject({
  /** The response whose route's acknowledgement the respondent saw. */
  responseId: z.string().check(z.minLength(1), z.maxLength(128)),
  locale: z.optional(z.string().check(z.maxLength(35))),
  at: z.optional(z.string().check(z.maxLength(40))),
});

/** `data` of a `closure-seen` batch item. */
export const ClosureSeenSchema = z.strictObject({
  /** The closure notice the respondent saw. */
  noticeId: IdSchema,
  at: z.optional(z.string().check(z.maxLength(40))),
});

/**
 * `ack-seen`: the widget showed the respondent the route's acknowledgement. The response id is
 * the capability: only the browser that sent the response knows it (UUIDv7, 74 random bits).
 */
export async function ingestAckSeen(
  ctx: IngestContext,
  item: ItemKey,
  data: Record<string, unknown>,
): Promise<ItemOutcome> {
  const { responseId, locale } = parseItem<z.infer<typeof AckSeenSchema>>(
    AckSeenSchema,
    data,
    "ack-seen",
  );
  const loop = await ctx.tx.getLoopBySource(ctx.envId, { kind: "response", id: responseId });
  if (!loop) {
    throw new ItemRejection("unknown_response", `No finished response ${responseId} has a loop`);
  }
  const claimed = await claimKey(ctx, item, { type: "ack-seen", id: loop.id });
  if (claimed) return claimed;
  const response = await ctx.tx.getResponse(ctx.envId, responseId);
  await acknowledgeSeen(ctx, loop, locale ?? response?.locale ?? "en", ctx.now);
  return { id: loop.id };
}

/** `closure-seen`: the respondent saw what was done about their feedback, which closes the loop in-app. */
export async function ingestClosureSeen(
  ctx: IngestContext,
  item: ItemKey,
  data: Record<string, unknown>,
): Promise<ItemOutcome> {
  const { noticeId } = parseItem<z.infer<typeof ClosureSeenSchema>>(
    ClosureSeenSchema,
    data,
    "closure-seen",
  );
  const notice = await ctx.tx.getClosureNotice(ctx.envId, noticeId);
  if (!notice) throw new ItemRejection("unknown_notice", `No closure notice ${noticeId}`);
  const claimed = await claimKey(ctx, item, { type: "closure-seen", id: notice.loopId });
  if (claimed) return claimed;
  const loop = await ctx.tx.getLoop(ctx.envId, notice.loopId);
  if (!notice.seenAt) {
    const respondent = await ctx.tx.getLoopMeta(ctx.envId, notice.loopId);
    await ctx.tx.putClosureNotice(
      ctx.envId,
      { ...notice, seenAt: ctx.now },
      respondent?.respondent ?? { anonymousId: "unknown" },
    );
  }
  if (loop?.state === "resolved") {
    const next = transition(loop, "closed", {
      actor: "respondent",
      at: later(ctx.now, loop),
      informedVia: "in-app",
      message: notice.message,
    });
    const meta = await ctx.tx.getLoopMeta(ctx.envId, loop.id);
    await saveLoop(ctx.tx, ctx.envId, next, meta);
  }
  return { id: notice.loopId };
}
