/** What `captureFeedback` resolves with. */
export interface FeedbackReceipt {
  id: string;
  idempotencyKey: string;
}

/** The ids of captures waiting on one store promise, handed out in the order they came. */
interface Waiting {
  ids: (string | undefined)[];
  next: number;
  /** The one reaction of these captures on the store's promise: its n-th call is the n-th capture's. */
  receipt: () => FeedbackReceipt;
}

function waiting(): Waiting {
  const w: Waiting = {
    ids: [],
    next: 0,
    receipt() {
      const id = w.ids[w.next] as string;
      w.ids[w.next++] = undefined; // its capture has its receipt: the id is no longer held here
      return { id, idempotencyKey: `feedback:${id}` };
    },
  };
  return w;
}

/**
 * Turns the store's promise for a captured item into the capture's promise of its receipt,
 * holding only the id per capture until the store has the item. Captures whose items share a
 * store promise (the file store gives one per write and fsync; the memory store one for all)
 * share one reaction function on it instead of a receipt and a bound function each (~150
 * bytes less per capture in a burst, docs/benchmarks.md). A promise calls its reactions in the
 * order they were added (ECMAScript's PromiseReaction list), so that function's n-th call
 * answers the n-th capture; a rejection skips it and reaches each capture's promise as it is.
 */
export function feedbackReceipts(): (
  stored: Promise<void>,
  id: string,
) => Promise<FeedbackReceipt> {
  let last: Promise<void> | undefined;
  let current = waiting();
  return (stored, id) => {
    // A new promise starts a new group; so does the same one once every receipt of the group
    // was handed out (the memory store's one settled promise), so `ids` never grows unbounded.
    if (stored !== last || (current.next > 0 && current.next === current.ids.length)) {
      last = stored;
      current = waiting();
    }
    current.ids.push(id);
    return stored.then(current.receipt);
  };
}
