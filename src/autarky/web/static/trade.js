// Trade dependence: imports by year with the top suppliers (GET /api/trade/dependence) and the dependency
// screen (GET /api/trade/screen), for a strategic sector and a source of flows.
import {api, chart, el, fmt, params, sourcesLine, start, table} from "./app.js";

function usd(v) {
  if (v === null || v === undefined) return "—";
  const a = Math.abs(v);
  if (a >= 1e9) return `$${(v / 1e9).toFixed(2)} bn`;
  if (a >= 1e6) return `$${(v / 1e6).toFixed(1)} m`;
  if (a >= 1e3) return `$${(v / 1e3).toFixed(0)} k`;
  return `$${fmt(v)}`;
}

function trendSpec(rows, economy) {
  const years = new Set(rows.map((r) => r.year));
  const values = rows.map((r) => ({year: String(r.year), group: r.group, imports: r.imports,
    top: r.top_suppliers || ""}));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `${economy}: imports by year (USD)`,
    width: "container",
    height: 260,
    data: {values},
    mark: years.size > 1 ? {type: "line", point: true, tooltip: true} : {type: "bar", tooltip: true},
    encoding: {
      x: {field: "year", type: "ordinal", title: null},
      y: {field: "imports", type: "quantitative", title: "imports (USD)"},
      ...(years.size > 1 ? {color: {field: "group", type: "nominal", title: null, legend: {orient: "bottom"}}}
        : {xOffset: {field: "group"}, color: {field: "group", type: "nominal", title: null,
          legend: {orient: "bottom"}}}),
      tooltip: [{field: "group"}, {field: "year"}, {field: "imports", format: ",.0f"}, {field: "top",
        title: "top suppliers"}],
    },
  };
}

function settings() {
  const p = params();
  const v = {sector: p.get("sector") || "", source: p.get("source") || "", by: p.get("by") || "sector"};
  document.getElementById("source").value = v.source;
  document.getElementById("by").value = v.by;
  return v;
}

start(async (economy) => {
  const v = settings();
  const sectors = await api("/api/trade/sectors", {limit: 1000});
  const names = [...new Set(sectors.rows.map((r) => r.sector))].sort();
  const select = document.getElementById("sector");
  names.forEach((n) => select.append(el("option", {value: n}, n.replaceAll("_", " "))));
  select.value = v.sector;
  document.getElementById("trade-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams({economy, sector: select.value, source: document.getElementById("source").value,
      by: document.getElementById("by").value});
    for (const [k, val] of [...q.entries()]) if (!val) q.delete(k);
    window.location.search = q.toString();
  });
  const query = {economy, sector: v.sector, source: v.source, by: v.by, top: 5, limit: 1000};
  const [dep, scr] = await Promise.all([
    api("/api/trade/dependence", query),
    api("/api/trade/screen", {economy, sector: v.sector, source: v.source, limit: 200}),
  ]);
  const holder = document.getElementById("trend-chart");
  if (dep.rows.length) holder.append(chart(trendSpec(dep.rows, economy), "imports by year"));
  dep.notes.forEach((n) => holder.append(el("p", {class: "note"}, n)));
  const rows = dep.rows.map((r) => ({...r, imports: usd(r.imports), exports: usd(r.exports),
    "import share of trade": r.net_import_ratio, "supplier HHI": r.supplier_hhi}));
  const cols = ["year", "group", "imports", "exports", "supplier HHI", "top_suppliers"];
  document.getElementById("trend-table").append(
    rows.length ? table(cols, rows, {numeric: ["imports", "exports", "supplier HHI"]})
      : el("p", {class: "muted", "data-empty": "dependence"}, `No imports of ${economy} in the loaded flows.`),
    sourcesLine(dep.sources));
  const screenRows = scr.rows.map((r) => ({...r, imports: usd(r.imports)}));
  document.getElementById("screen-table").append(
    screenRows.length ? table(["product", "latest_year", "flagged_latest", "years_flagged", "imports", "import_hhi",
      "world_export_hhi", "import_export_ratio"], screenRows, {numeric: ["imports", "import_hhi", "world_export_hhi",
      "import_export_ratio"]})
      : el("p", {class: "muted", "data-empty": "screen"}, "No product passes the screen's thresholds."),
    ...scr.notes.map((n) => el("p", {class: "note"}, n)),
    sourcesLine(scr.sources));
});
