// Innovation inputs beside peers (GET /api/innovation) and the targets' trajectories from the assessment's
// target sections (charts and their figures).
import {api, el, figureNode, renderTable, start} from "./app.js";

const byId = (id) => document.getElementById(id);

start(async (economy) => {
  const doc = await api("/api/innovation", {economy});
  byId("innovation-table").append(renderTable(doc.table, doc, {limit: 15}));
  (doc.notes || []).forEach((n) => byId("innovation-table").append(el("p", {class: "note"}, n)));
  for (const series of ["ic-self-sufficiency", "rd-basic-research-share", "rd-real-growth"]) {
    let t;
    try {
      t = await api("/api/trajectory", {economy, series});
    } catch (err) {
      continue;  // no such series for this economy
    }
    const facts = el("dl", {class: "facts"});
    const add = (label, node) => facts.append(el("dt", {}, label), el("dd", {}, node));
    add("latest", t.level ? figureNode(t.level, null, t) : "—");
    if (t.target) add(`target ${t.target_year ?? ""}`, figureNode(t.target, null, t));
    if (t.projection) add(`projected ${t.target_year ?? ""}`, figureNode(t.projection, null, t));
    if (t.gap) add("gap", figureNode(t.gap, null, t));
    if (t.verdict) add("verdict", String(t.verdict));
    byId("trajectories").append(el("section", {"data-series": series}, el("h3", {}, t.name || series), facts,
      t.explanation ? el("p", {class: "note"}, t.explanation) : null));
  }
  if (!byId("trajectories").children.length) byId("trajectories").append(el("p", {class: "muted"}, "No target series for this economy."));
});
