// Investment: flows fund → segment (GET /api/money/flows), alignment with the economy's chokepoints
// (GET /api/money/alignment), redundancy and failed projects; every table with its ledger's source.
import {api, chart, el, fmt, sourcesLine, start, table} from "./app.js";

function bn(v) {
  return v === null || v === undefined ? "—" : `${(v / 1e9).toFixed(2)} bn`;
}

function flowsSpec(rows) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "Deal value by fund and segment (USD)",
    width: "container",
    data: {values: rows.filter((r) => r.amount_usd).map((r) => ({fund: r.fund_name || r.fund_id || "unknown fund",
      segment: r.segment || "unassigned", usd: r.amount_usd}))},
    mark: {type: "bar", tooltip: true},
    encoding: {
      y: {field: "fund", type: "nominal", sort: "-x", title: null, axis: {labelLimit: 220}},
      x: {field: "usd", type: "quantitative", title: "USD", aggregate: "sum"},
      color: {field: "segment", type: "nominal", title: null, legend: {orient: "bottom", columns: 2}},
      tooltip: [{field: "fund"}, {field: "segment"}, {field: "usd", aggregate: "sum", format: ",.0f"}],
    },
  };
}

function alignmentSpec(rows, economy) {
  const values = [];
  for (const r of rows) {
    for (const k of ["chokepoint", "self_supplied", "other", "unmapped"]) {
      values.push({phase: String(r.phase ?? "all"), class: k.replace("_", "-"), share: r[`share_${k}`] || 0});
    }
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `Where the value goes, by phase: ${economy}'s chokepoints vs self-supplied nodes`,
    width: "container",
    data: {values},
    mark: {type: "bar", tooltip: true},
    encoding: {
      y: {field: "phase", type: "nominal", title: "phase"},
      x: {field: "share", type: "quantitative", stack: "normalize", title: "share of deal value",
        axis: {format: "%"}},
      color: {field: "class", type: "nominal", title: null, legend: {orient: "bottom"},
        scale: {domain: ["chokepoint", "self-supplied", "other", "unmapped"],
          range: ["#c0392b", "#1e8449", "#7f8c8d", "#d5dbdf"]}},
      tooltip: [{field: "phase"}, {field: "class"}, {field: "share", format: ".1%"}],
    },
  };
}

start(async (economy) => {
  const [flows, alignment, redundancy, failed] = await Promise.all([
    api("/api/money/flows", {by: "fund,segment", economy, limit: 1000}),
    api("/api/money/alignment", {economy, by: "phase"}),
    api("/api/money/redundancy", {economy}),
    api("/api/money/failed", {economy}),
  ]);
  const f = document.getElementById("flows-chart");
  if (flows.rows.some((r) => r.amount_usd)) f.append(chart(flowsSpec(flows.rows), "deal value by fund and segment"));
  flows.notes.forEach((n) => f.append(el("p", {class: "note"}, n)));
  document.getElementById("flows-table").append(
    flows.rows.length ? table(["fund_name", "segment", "deals", "amount_cny", "amount_usd"], flows.rows.map((r) => ({
      ...r, amount_cny: bn(r.amount_cny), amount_usd: bn(r.amount_usd)})), {numeric: ["deals", "amount_cny",
      "amount_usd"]}) : el("p", {class: "muted", "data-empty": "flows"}, `No deal with an investee in ${economy}.`),
    sourcesLine(flows.sources));
  const a = document.getElementById("alignment-chart");
  if (alignment.rows.length) a.append(chart(alignmentSpec(alignment.rows, economy), "alignment"));
  alignment.notes.forEach((n) => a.append(el("p", {class: "note"}, n)));
  const pctCols = ["share_chokepoint", "share_self_supplied", "share_other", "share_unmapped"];
  document.getElementById("alignment-table").append(
    alignment.rows.length ? table(["phase", "deals", "value", ...pctCols], alignment.rows.map((r) => ({...r,
      value: bn(r.value), ...Object.fromEntries(pctCols.map((c) => [c, r[c] === null ? "—"
        : `${(100 * r[c]).toFixed(1)}%`]))})), {numeric: ["deals", "value", ...pctCols]})
      : el("p", {class: "muted", "data-empty": "alignment"}, "No valued deal to align."),
    sourcesLine(alignment.sources));
  document.getElementById("redundancy-table").append(
    redundancy.rows.length ? table(redundancy.columns.filter((c) => c !== "deal_ids"), redundancy.rows)
      : el("p", {class: "muted"}, `No segment is funded by ${fmt(3)} or more provinces within 3 years in the ledger.`),
    sourcesLine(redundancy.sources));
  document.getElementById("failed-table").append(
    table(["status", "deals", "amount_cny", "amount_usd", "investees"], failed.rows.map((r) => ({...r,
      amount_cny: bn(r.amount_cny), amount_usd: bn(r.amount_usd)})), {numeric: ["deals", "amount_cny", "amount_usd"]}),
    sourcesLine(failed.sources));
});
