/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { DeskUser } from "../../store/desk-types.js";
import type { ChartData } from "../charts-data.js";
import { count, instant, money } from "../format.js";
import { can } from "../roles.js";
import { Layout } from "./layout.js";
import { LineChart } from "./line-chart.js";

/** `▲ 1,200 on the 30 days before`, or `no change`. */
function trend(now: number, before: number, format: (n: number) => string): string {
  const d = now - before;
  if (d === 0) return "no change on the 30 days before";
  return `${d > 0 ? "▲" : "▼"} ${format(Math.abs(d))} on the 30 days before`;
}

const Figure: FC<{ label: string; value: string; note: string }> = ({ label, value, note }) => (
  <div class="figure">
    <div class="role">{label}</div>
    <div class="value">{value}</div>
    <div class="role">{note}</div>
  </div>
);

/** NPS, CSAT, CES, loops, times and breaches by week; what the loops are worth, for leads. */
export const ChartsPage: FC<{
  user: DeskUser;
  data: ChartData & { computedAt: string };
  by: "journey" | "region";
}> = ({ user, data, by }) => {
  const h = data.headline;
  const customers = (n: number) => `${count(n)} customer${n === 1 ? "" : "s"}`;
  return (
    <Layout title="Charts" user={user}>
      <h1>How the loops are going</h1>
      <p class="hint">The last 12 weeks, computed {instant(data.computedAt)}.</p>
      <form method="get" action="/desk/charts" class="filters">
        <label>
          Lines by
          <select name="by">
            <option value="journey" selected={by === "journey"}>
              journey
            </option>
            <option value="region" selected={by === "region"}>
              region
            </option>
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      <section class="headline" aria-label="The last 30 days">
        {can(user.role, "lead") && (
          <Figure
            label="Value at risk (open detractor loops)"
            value={money(h.valueAtRisk.now)}
            note={`${customers(h.valueAtRisk.customers)} · ${trend(h.valueAtRisk.now, h.valueAtRisk.before, money)}`}
          />
        )}
        <Figure
          label="Customers at risk"
          value={count(h.customersAtRisk.now)}
          note={trend(h.customersAtRisk.now, h.customersAtRisk.before, count)}
        />
        {can(user.role, "lead") && (
          <Figure
            label="Customer asset growth"
            value={money(h.assetGrowth.now)}
            note={`${customers(h.assetGrowth.count)} net · ${trend(h.assetGrowth.now, h.assetGrowth.before, money)}`}
          />
        )}
      </section>
      <div class="charts">
        {data.charts.map((chart) => (
          <LineChart chart={chart} weeks={data.weeks} />
        ))}
      </div>
    </Layout>
  );
};
