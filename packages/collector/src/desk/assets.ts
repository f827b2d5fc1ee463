// The desk's one stylesheet and one script, served from /desk/assets/ so that every page runs
// under `default-src 'self'` with nothing inline. Kept as strings here: the collector ships as
// one bundle, with no files to find beside it at run time.

/** Light and dark by the system's choice; every pair of colours meets WCAG AA (4.5:1). */
export const DESK_CSS = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1a1a1a; --muted: #555555; --line: #d0d0d0;
  --accent: #0b57d0; --late: #b3261e; --late-bg: #fde7e5; --ok: #146c2e; --row: #f4f6fa; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171a; --fg: #ececec; --muted: #b0b0b0; --line: #3a3d42; --accent: #8ab4f8;
    --late: #ffb4ab; --late-bg: #4a1c18; --ok: #8fd19e; --row: #22262b; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; }
.top { display: flex; justify-content: space-between; align-items: center; gap: 16px;
  padding: 8px 24px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.top nav { display: flex; gap: 16px; }
.who { display: flex; gap: 12px; align-items: center; }
.role { color: var(--muted); font-size: 14px; }
main { padding: 16px 24px; max-width: 1280px; }
h1 { font-size: 24px; margin: 8px 0 16px; }
h2 { font-size: 18px; margin: 24px 0 8px; }
button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: var(--bg); cursor: pointer; }
input, select, textarea { font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--muted); border-radius: 6px; padding: 6px 8px; }
label { display: block; font-size: 14px; color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin-bottom: 12px; }
.filters input, .filters select { display: block; width: 140px; }
.filters select { width: auto; }
.filters input[type=search] { width: 260px; }
.filters .check { display: flex; gap: 6px; align-items: center; color: var(--fg); }
.filters .check input { width: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: start; padding: 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 14px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
tr.selected { background: var(--row); outline: 2px solid var(--accent); outline-offset: -2px; }
td.said { max-width: 420px; }
.badge { display: inline-block; font-size: 13px; padding: 0 6px; border-radius: 4px; }
.badge.late { color: var(--late); background: var(--late-bg); font-weight: 600; }
.error { color: var(--late); background: var(--late-bg); padding: 8px 12px; border-radius: 6px; }
.ok { color: var(--ok); }
.count, .hint, .note { color: var(--muted); }
.pages { display: flex; gap: 16px; margin: 12px 0; }
.sign-in { max-width: 360px; margin: 10vh auto; display: grid; gap: 8px; }
.facts, .answers { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
.facts dt, .answers dt { color: var(--muted); }
.facts dd, .answers dd { margin: 0; }
blockquote { margin: 8px 0; padding: 8px 12px; border-inline-start: 4px solid var(--line);
  white-space: pre-wrap; overflow-wrap: anywhere; }
.actions { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 16px;
  align-items: start; }
.actions form { display: grid; gap: 6px; align-content: start; padding: 12px;
  border: 1px solid var(--line); border-radius: 8px; }
.actions h2 { grid-column: 1 / -1; }
.warnings { color: var(--late); margin: 0; padding-inline-start: 20px; font-size: 14px; }
.history { padding-inline-start: 20px; }
.history li { margin-bottom: 8px; }
.headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 16px;
  margin-bottom: 24px; }
.figure { border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.figure .value { font-size: 28px; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 24px; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { width: 100%; max-width: 640px; height: auto; }
svg.chart text { fill: var(--muted); font-size: 12px; }
svg.chart .axis { stroke: var(--line); }
svg.chart .band { fill: var(--accent); opacity: 0.18; }
svg.chart .s0 { stroke: var(--accent); fill: var(--accent); }
svg.chart .s1 { stroke: var(--late); fill: var(--late); }
svg.chart .s2 { stroke: var(--ok); fill: var(--ok); }
svg.chart .s3 { stroke: var(--muted); fill: var(--muted); }
svg.chart path.line { fill: none; stroke-width: 2; }
.legend { display: flex; gap: 12px; flex-wrap: wrap; font-size: 14px; list-style: none; padding: 0; }
.legend .k0 { color: var(--accent); } .legend .k1 { color: var(--late); }
.legend .k2 { color: var(--ok); } .legend .k3 { color: var(--muted); }
details { margin-top: 4px; }
@media (max-width: 800px) { main, .top { padding: 12px; } .charts { grid-template-columns: 1fr; } }
`;

/**
 * The desk's behaviour: j/k and Enter in the inbox, new loops without a reload (server-sent
 * events, then the rows are fetched again), and the resolve editor's six-step hints. Text from
 * the server is set with `textContent`; only whole server-rendered rows are swapped in.
 */
export const DESK_JS = `
(() => {
  const table = document.getElementById("inbox");
  if (table) {
    let at = -1;
    const rows = () => Array.from(table.tBodies[0].rows);
    const select = (i) => {
      const list = rows();
      if (list.length === 0) return;
      at = Math.max(0, Math.min(list.length - 1, i));
      list.forEach((r, j) => r.classList.toggle("selected", j === at));
      list[at].querySelector("a").focus();
    };
    document.addEventListener("keydown", (e) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement ||
          e.target instanceof HTMLTextAreaElement || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "j") { select(at + 1); e.preventDefault(); }
      else if (e.key === "k") { select(at - 1); e.preventDefault(); }
      else if (e.key === "Enter" && at >= 0 && document.activeElement === document.body) {
        location.href = rows()[at].dataset.href;
      }
    });
    const refresh = async () => {
      const res = await fetch(location.href, { headers: { accept: "text/html" } });
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const body = doc.querySelector("#inbox tbody");
      const count = doc.getElementById("count");
      if (body) table.tBodies[0].replaceWith(body);
      if (count) document.getElementById("count").replaceWith(count);
      at = -1;
    };
    if (window.EventSource) {
      const events = new EventSource("/desk/events");
      events.addEventListener("loops", () => { refresh(); });
    }
  }
  const editor = document.querySelector("textarea[data-warnings]");
  if (editor) {
    const list = document.getElementById(editor.dataset.warnings);
    let timer;
    editor.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const body = new FormData();
        body.set("message", editor.value);
        const res = await fetch("/desk/acknowledgement-warnings", { method: "POST", body });
        if (!res.ok) return;
        const { warnings } = await res.json();
        list.replaceChildren(...warnings.map((w) => {
          const li = document.createElement("li");
          li.textContent = w;
          return li;
        }));
      }, 300);
    });
  }
})();
`;
