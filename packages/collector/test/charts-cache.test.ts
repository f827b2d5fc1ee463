// The desk's charts are computed at most once a minute per environment and grouping; past that
// the last charts answer at once while new ones are computed. On a real SQLite store.
import { describe, expect, it } from "vitest";
import { CHARTS_FRESH_MS, createChartsCache } from "../src/desk/charts-cache.js";
import { WEEKS } from "../src/desk/charts-data.js";
import { sqliteStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";
import { countingMetrics } from "./store-fixtures.js";

describe("the charts cache", () => {
  it("computes once a minute, then answers the last charts while it computes anew", async () => {
    const store = sqliteStore(":memory:");
    await store.migrate();
    const { store: counted, calls } = countingMetrics(store);
    let clock = Date.parse("2026-12-01T12:00:00Z");
    const charts = createChartsCache(counted, () => new Date(clock).toISOString());
    const perCompute = WEEKS + 2; // a report per week, and the headline's two 30-day periods

    const first = await charts("env", "journey");
    expect(calls()).toBe(perCompute);
    expect(first.computedAt).toBe("2026-12-01T12:00:00.000Z");

    clock += CHARTS_FRESH_MS - 1;
    await charts("env", "journey");
    expect(calls()).toBe(perCompute); // still fresh
    await charts("env", "region");
    // Another grouping has its own weekly charts; the headline is the environment's, shared.
    expect(calls()).toBe(perCompute + WEEKS);

    clock += 2;
    const stale = await charts("env", "journey");
    expect(stale.computedAt).toBe(first.computedAt); // answered at once, from the last charts
    await charts("env", "journey"); // while the refresh runs: no second one
    await new Promise((r) => setTimeout(r, 50));
    expect(calls()).toBe(2 * perCompute + WEEKS);
    const fresh = await charts("env", "journey");
    expect(Date.parse(fresh.computedAt)).toBe(clock);
    await store.close();
  });

  it("warms: a computation started by another page is the one the charts page awaits", async () => {
    const store = sqliteStore(":memory:");
    await store.migrate();
    const { store: counted, calls } = countingMetrics(store);
    const charts = createChartsCache(counted, () => "2026-12-01T12:00:00.000Z");
    charts.warm("env");
    expect(calls()).toBe(WEEKS + 2); // started at once, without waiting
    const page = await charts("env", "journey");
    expect(calls()).toBe(WEEKS + 2); // the page's request computed nothing more
    expect(page.weeks).toHaveLength(WEEKS);
    charts.warm("env", "region");
    expect(calls()).toBe(2 * WEEKS + 2); // the other grouping's weeks; the headline is shared
    await charts("env", "region");
    expect(calls()).toBe(2 * WEEKS + 2);
    await store.close();
  });

  it("a failed warm-up reaches no one, and the next request computes again", async () => {
    const store = sqliteStore(":memory:");
    await store.migrate();
    let fail = true;
    const failing: CollectorStore = {
      ...store,
      metrics: (...args) => (fail ? Promise.reject(new Error("down")) : store.metrics(...args)),
    };
    const charts = createChartsCache(failing, () => "2026-12-01T12:00:00.000Z");
    charts.warm("env");
    await new Promise((r) => setTimeout(r, 20));
    fail = false;
    const page = await charts("env", "journey");
    expect(page.charts.map((c) => c.id)).toContain("nps");
    await store.close();
  });
});
