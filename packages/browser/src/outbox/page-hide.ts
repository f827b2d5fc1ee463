/**
 * Calls `fn` when the page may be about to go away: on `visibilitychange` to hidden (tab
 * switched, app backgrounded; on mobile often the last event a page gets) and on `pagehide`
 * (navigation, close, back/forward cache). Closing a tab can fire both, so `fn` should be cheap
 * to repeat (the outbox's flush is single-flight). Returns the unsubscribe function. Outside a
 * browser (SSR) it subscribes to nothing.
 *
 * Only work that starts synchronously, or in microtasks, is sure to happen once the page is
 * leaving: a `fetch` with `keepalive` issued after a later task (an IndexedDB read, a timer) is
 * never sent.
 *
 * @example
 * const off = onPageHide(() => void outbox.flush({ keepalive: true }));
 */
export function onPageHide(fn: () => void): () => void {
  const doc = globalThis.document as Document | undefined;
  if (!doc) return () => {};
  const onVisibility = () => {
    if (doc.visibilityState === "hidden") fn();
  };
  addEventListener("pagehide", fn);
  doc.addEventListener("visibilitychange", onVisibility);
  return () => {
    removeEventListener("pagehide", fn);
    doc.removeEventListener("visibilitychange", onVisibility);
  };
}
