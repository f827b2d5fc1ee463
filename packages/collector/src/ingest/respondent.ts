import type { Respondent } from "@closeloop/core";
import { checkRespondentToken } from "../keys.js";
import type { RespondentRef } from "../store/types.js";
import { type IngestContext, ItemRejection } from "./context.js";

/**
 * Who answered or wrote, as the collector keeps them (responses and feedback alike). A browser
 * (public key) may name a respondent id only with that id's token; a backend (secret key) is
 * trusted. Anonymous ids are taken as given: they are the browser's own random proof.
 */
export async function respondentOf(
  ctx: IngestContext,
  respondent: Respondent,
): Promise<RespondentRef> {
  if ("anonymousId" in respondent) return { anonymousId: respondent.anonymousId };
  if (ctx.keyKind === "public") {
    if (
      !respondent.token ||
      !checkRespondentToken(await ctx.secretKeys(), respondent.id, respondent.token)
    ) {
      throw new ItemRejection(
        "invalid_token",
        "respondent.token is missing or is not the respondent token of respondent.id; send an anonymousId instead",
        [
          {
            path: "respondent.token",
            code: "invalid_token",
            message: "not HMAC-SHA256(secretKey, respondent.id)",
          },
        ],
      );
    }
  }
  return { id: respondent.id };
}
