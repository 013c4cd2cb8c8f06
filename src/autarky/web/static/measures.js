// Export-control measures (GET /api/measures, optionally in force on a date) and the timeline of those biting
// an economy (GET /api/measures/timeline).
import {api, el, params, renderTable, start} from "./app.js";

const byId = (id) => document.getElementById(id);

start(async () => {
  const p = params();
  const on = p.get("in_force") || "";
  const target = (p.get("target") || "CHN").trim() || "CHN";
  byId("in-force").value = on;
  byId("target").value = target;
  const [list, timeline] = await Promise.all([
    api("/api/measures", {in_force: on || null}),
    api("/api/measures/timeline", {target}),
  ]);
  byId("measures-table").append(renderTable(list.table, list, {limit: 20, hide: ["date_note"]}));
  byId("timeline-title").textContent = `Measures biting ${target}, date by date`;
  byId("timeline-table").append(renderTable(timeline.table, timeline, {limit: 25}));
}, {usesEconomy: false});
