import type { Loop } from "../schemas/loop.js";

/** One page of `GET /v1/loops`: the loops, and the cursor of the next page when there is one. */
export interface LoopPage {
  loops: Loop[];
  next?: string;
}
