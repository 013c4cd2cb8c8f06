// Trade dependence of an economy (GET /api/trade/dependence), the dependency screen of HS products
// (GET /api/trade/screen) and the sector concordance (GET /api/trade/sectors): every HS code with its name.
import {api, chart, el, params, renderTable, start} from "./app.js";

const byId = (id) => document.getElementById(id);

/** An HS code and its name in one cell: "854231 Processors and controllers …" (the name from the same row). */
function hsCell(code, name) {
  if (!code) return undefined;
  return el("span", {class: "hs"}, el("code", {}, code), name ? ` ${name}` : el("span", {class: "muted"}, " (name not given)"));
}

function importsChart(doc) {
  const values = [];
  for (const r of doc.table.rows) {
    const f = r.imports;
    if (f && f.value !== null && f.value !== undefined) values.push({year: r.year, imports: f.value, group: r.name || r.group});
  }
  const years = new Set(values.map((v) => v.year));
  if (years.size < 2) {
    return el("p", {class: "note"}, `Trade flows for ${[...years].join(", ") || "no year"} only are loaded: no trend to draw.`);
  }
  return chart({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json", width: "container", height: 220,
    data: {values}, mark: {type: "line", point: true, tooltip: true},
    encoding: {x: {field: "year", type: "ordinal"}, y: {field: "imports", type: "quantitative", title: "imports (USD)"},
      color: {field: "group", type: "nominal", title: null, legend: {orient: "bottom", columns: 2}}},
  }, "imports by year");
}

start(async (economy) => {
  const p = params();
  const sector = p.get("sector") || "";
  const by = p.get("by") || "sector";
  const [sectors, dep, screen] = await Promise.all([
    api("/api/trade/sectors", {sector: sector || null}),
    api("/api/trade/dependence", {economy, sector: sector || null, by}),
    api("/api/trade/screen", {economy, sector: sector || null, all: true, limit: 200}),
  ]);
  const names = [...new Set(sectors.table.rows.map((r) => r.sector))];
  const all = sector ? await api("/api/trade/sectors") : sectors;
  [...new Set(all.table.rows.map((r) => r.sector))].forEach((s) => byId("sector").append(el("option", {value: s, selected: s === sector}, s)));
  byId("by").value = by;
  byId("trade-economy").value = economy;
  byId("trend-chart").append(importsChart(dep));
  const hsByGroup = by === "product";
  byId("trend-table").append(renderTable(dep.table, dep, {limit: 15,
    cell: (c, r) => (hsByGroup && c.key === "group" ? hsCell(r.group, r.name) : undefined),
    hide: hsByGroup ? ["name"] : []}));
  (dep.notes || []).forEach((n) => byId("trend-table").append(el("p", {class: "note"}, n)));
  byId("screen-table").append(renderTable(screen.table, screen, {limit: 15,
    cell: (c, r) => (c.key === "product" ? hsCell(r.product, r.name) : undefined), hide: ["name"]}));
  byId("sectors-title").textContent = `HS codes of ${sector || names.length + " strategic sectors"}, with their names`;
  byId("sectors-table").append(renderTable(sectors.table, sectors, {limit: 20,
    cell: (c, r) => (c.key === "hs_code" ? hsCell(r.hs_code, r.description) : undefined), hide: ["description"]}));
});
