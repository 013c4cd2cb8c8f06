// Overview: the assessment of one economy (GET /api/assess?economy=…): takeaways first, what the data lack,
// then every section (the answer of a question) with its charts, typed tables and sources.
import {api, bind, chart, el, glossaryAnchor, glossaryLink, intervalChart, renderTable, start, tablesOf, takeawayNode}
  from "./app.js";

/** The tables of a section: its answer's own tables, then the tables the assessment built for it. */
function sectionTables(s) {
  return [...(s.answer ? tablesOf(s.answer).map(([, t]) => t) : []), ...(s.tables || [])];
}

function renderSection(s, doc) {
  const box = el("section", {id: `section-${s.key}`, "data-section": s.key, class: s.brief ? "brief" : null},
    el("h2", {}, s.title));
  const seen = new Set();
  for (const n of [...(s.notes || []), ...(s.answer ? s.answer.notes || [] : [])]) {
    if (!seen.has(n)) box.append(el("p", {class: "note"}, n));
    seen.add(n);
  }
  // the scenario: availability by stage and tier drawn from its tables (intervals as bars with whiskers)
  const groups = (s.tables || []).filter((t) => t.rows.length && t.columns.some((c) => c.key === "availability"))
    .map((t) => ({title: t.title, table: t}));
  if (s.key === "scenario" && groups.length) box.append(intervalChart(groups, doc, s.title));
  for (const c of s.charts || []) {
    if (s.key === "scenario" && groups.length && c.name === "scenario") continue;
    const values = c.spec.data && c.spec.data.values;
    if (Array.isArray(values) && !values.length) continue;  // nothing to plot: the table says why
    const anchor = glossaryAnchor(c.name, c.title);
    box.append(chart(c.spec, c.title), el("p", {class: "note chart-note"}, "Reading this chart: ",
      glossaryLink(anchor || "interval", anchor ? "glossary" : "intervals and basis labels")));
  }
  const tables = sectionTables(s);
  tables.forEach((t) => box.append(renderTable(t, doc, {limit: 12, hide: ["description"], seen})));
  if (!tables.length && !(s.charts || []).length) box.append(el("p", {class: "muted"}, "No rows for this economy."));
  return box;
}

start(async (economy) => {
  const doc = await api("/api/assess", {economy});
  bind("economy", doc.economy);
  document.title = `Overview: ${doc.economy} · autarky`;
  document.getElementById("members").textContent = doc.members.length > 1 ? `Economies: ${doc.members.join(", ")}` : "";
  const list = document.getElementById("takeaways-list");
  if (doc.takeaways.length) {
    doc.takeaways.forEach((t) => {
      const li = takeawayNode(t, doc);
      if (t.section) li.append(" ", el("a", {href: `#section-${t.section}`, class: "evidence"}, "evidence"));
      list.append(li);
    });
  } else {
    list.replaceWith(el("p", {class: "muted"}, "No takeaway: the loaded data are too partial to state one."));
  }
  const nav = document.getElementById("section-nav");
  doc.sections.forEach((s) => nav.append(el("li", {}, el("a", {href: `#section-${s.key}`}, s.title))));
  const holder = document.getElementById("sections");
  doc.sections.forEach((s) => holder.append(renderSection(s, doc)));
  if (doc.missing.length) {
    const m = document.getElementById("missing");
    doc.missing.forEach((x) => m.querySelector("ul").append(el("li", {}, `${x.what}: ${x.why}`,
      x.remedy ? [" — get it with ", el("code", {}, x.remedy)] : null)));
    m.hidden = false;
  }
  if (!doc.sections.length) holder.append(el("p", {class: "muted"}, "No data loaded for any section yet."));
});
