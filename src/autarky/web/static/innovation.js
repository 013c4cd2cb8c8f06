// Innovation inputs beside peers (GET /api/innovation) and the targets' trajectories (GET /api/trajectory):
// observed values, the fitted trend with its prediction interval, the target, the gap and a verdict.
import {api, chart, el, figureNode, renderTable, start} from "./app.js";

const byId = (id) => document.getElementById(id);
const SERIES = ["ic-self-sufficiency", "rd-basic-research-share", "rd-real-growth"];

function trajectoryChart(t) {
  const values = [];
  t.band.rows.forEach((r) => {
    if (r.interval && r.interval.low !== null) values.push({year: r.year, low: r.interval.low, high: r.interval.high, kind: "band"});
    if (r.fitted && r.fitted.value !== null) values.push({year: r.year, y: r.fitted.value, kind: "trend (assumed to continue)"});
  });
  t.observed.rows.forEach((r) => r.value && r.value.value !== null && values.push({year: r.year, y: r.value.value, kind: "observed"}));
  if (t.target && t.target.value !== null) values.push({year: t.target_year, y: t.target.value, kind: "target"});
  if (!values.length) return null;
  return chart({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json", width: "container", height: 200, data: {values},
    layer: [
      {transform: [{filter: "datum.kind === 'band'"}], mark: {type: "area", opacity: 0.2},
        encoding: {x: {field: "year", type: "quantitative", axis: {format: "d"}}, y: {field: "low", type: "quantitative", title: t.unit},
          y2: {field: "high"}}},
      {transform: [{filter: "datum.kind !== 'band'"}], mark: {type: "line", point: true, tooltip: true},
        encoding: {x: {field: "year", type: "quantitative"}, y: {field: "y", type: "quantitative"},
          color: {field: "kind", type: "nominal", title: null, legend: {orient: "bottom"}}}},
    ],
  }, `${t.name}: observed, trend and target`);
}

start(async (economy) => {
  const doc = await api("/api/innovation", {economy});
  byId("innovation-table").append(renderTable(doc.table, doc, {limit: 15}));
  (doc.notes || []).forEach((n) => byId("innovation-table").append(el("p", {class: "note"}, n)));
  const found = await Promise.all(SERIES.map((series) => api("/api/trajectory", {economy, series}).catch(() => null)));
  for (const t of found.filter(Boolean)) {
    const facts = el("dl", {class: "facts"});
    const add = (label, f) => { if (f) facts.append(el("dt", {}, label), el("dd", {}, figureNode(f, null, t))); };
    add("trend a year", t.slope);
    add(`projected for ${t.target_year ?? ""}`, t.projection);
    add(`target for ${t.target_year ?? ""}`, t.target);
    add("gap to the target", t.gap);
    add("target reached in", t.reach_year);
    const box = el("section", {"data-series": t.series}, el("h3", {}, t.name), facts);
    const c = trajectoryChart(t);
    if (c) box.append(c);
    if (t.explanation) box.append(el("p", {class: "note"}, `Verdict: ${t.explanation}`));
    byId("trajectories").append(box);
  }
  if (!byId("trajectories").children.length) byId("trajectories").append(el("p", {class: "muted"}, "No target series for this economy."));
});
