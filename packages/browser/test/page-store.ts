// Drives the page API of pages/outbox.page.ts from the test process, and a QueueStore whose every
// method runs on a store living in a Chromium page, so that suites written for vitest (the
// QueueStore conformance suite) drive the real browser stores unchanged.
import type { BatchItem, PeekLimit, QueueStore, StoredItem } from "@closeloop/core";
import type { Page } from "playwright-core";
import type { PageApi, Result, StoreKind } from "./pages/outbox.page.js";

/** The entry page that exposes the outbox pieces as `window.closeloop`. */
export const OUTBOX_PAGE = new URL("./pages/outbox.page.ts", import.meta.url);

/** Calls `window.closeloop[method](...args)` in the page. */
export function pageCall<M extends keyof PageApi>(
  page: Page,
  method: M,
  ...args: Parameters<PageApi[M]>
): Promise<Awaited<ReturnType<PageApi[M]>>> {
  // The callback runs in the page: it can use nothing from this module.
  return page.evaluate(
    ([m, a]) => {
      const api = (
        globalThis as unknown as { closeloop: Record<string, (...x: unknown[]) => unknown> }
      ).closeloop;
      return api[m]?.(...a);
    },
    [method, args as unknown[]] as const,
  ) as Promise<Awaited<ReturnType<PageApi[M]>>>;
}

/** An error thrown in the page, with its name and code kept. */
export class PageError extends Error {
  readonly code: string | undefined;
  constructor(e: { name: string; code?: string; message: string }) {
    super(e.message);
    this.name = e.name;
    this.code = e.code;
  }
}

export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new PageError(r.error);
  return r.value;
}

export interface PageStore extends QueueStore {
  /** The name it was opened with, to open it again. */
  readonly name: string;
  readonly page: Page;
  /** Fallbacks `browserQueueStore` reported while opening it. */
  readonly fallbacks: { from: string; to: string; reason: string }[];
}

/** Opens a store of `kind` named `name` in `page` (on OUTBOX_PAGE) and returns a proxy to it. */
export async function openPageStore(page: Page, kind: StoreKind, name: string): Promise<PageStore> {
  const opened = unwrap(await pageCall(page, "open", kind, name));
  const call = async (method: "append" | "peek" | "remove" | "count" | "close", args: unknown[]) =>
    unwrap(await pageCall(page, "call", opened.id, method, args));
  return {
    name,
    page,
    kind: opened.kind,
    fallbacks: opened.fallbacks,
    append: async (item: BatchItem, enqueuedAt: number) => {
      await call("append", [item, enqueuedAt]);
    },
    peek: async (limit: PeekLimit) => (await call("peek", [limit])) as StoredItem[],
    remove: async (seqs: readonly number[]) => {
      await call("remove", [seqs]);
    },
    count: async () => (await call("count", [])) as number,
    close: async () => {
      await call("close", []);
    },
  };
}
