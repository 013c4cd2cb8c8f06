// Overview: the assessment of one economy (GET /api/assess/{economy}): a card per stage, then every
// section with its chart, table and sources.
import {api, bind, chart, el, sourceLink, sourcesLine, start, table} from "./app.js";

function stageCard(section, label) {
  const total = section.rows.find((r) => r.type === "stage");
  const i = total ? section.rows.indexOf(total) : -1;
  const src = i >= 0 ? section.sources[i] : section.sources[0];
  const stage = section.key.slice("stage:".length);
  return el("article", {class: "card", "data-stage": stage},
    el("div", {class: "label"}, stage),
    el("div", {class: "figure"}, total ? total.own : "—"),
    el("div", {class: "muted"}, total ? `${label}'s share of the stage (${total.view} view)` : "no stage total"),
    total ? el("div", {}, `Largest foreign supplier: ${total["largest foreign"]}`) : null,
    el("div", {class: "source"}, "Source: ", sourceLink(src)));
}

function gapsCard(section) {
  const first = section.rows[0];
  return el("article", {class: "card", "data-stage": "gaps"},
    el("div", {class: "label"}, "Inputs not supplied at home"),
    el("div", {class: "figure"}, String(section.rows.length)),
    el("div", {class: "muted"}, "most concentrated inputs with no domestic share"),
    first ? el("div", {}, `Most concentrated: ${first.input} (${first["largest supplier"]} ${first.share})`) : null,
    el("div", {class: "source"}, "Source: ", sourceLink(section.sources[0])));
}

/** The source of row i of a section: its own (one per row), the section it summarises, or the section's first. */
function rowSource(s, row, i, byKey) {
  if (s.sources.length === s.rows.length) return s.sources[i];
  const target = row.section ? byKey.get(row.section) : null;
  if (target) {
    const total = target.rows.findIndex((r) => r.type === "stage");
    return target.sources[total >= 0 && target.sources.length === target.rows.length ? total : 0];
  }
  return s.sources[0];
}

function overviewCard(row, src) {
  const value = row.value === null || row.value === undefined ? "—" : String(row.value);
  return el("article", {class: "card", "data-measure": row.measure},
    el("div", {class: "label"}, row.measure),
    el("div", {class: value.length > 24 ? "figure long" : "figure"}, value),
    el("div", {class: "source", title: row.source || ""}, "Source: ", sourceLink(src)));
}

function renderSection(s, byKey) {
  const numeric = ["HHI", "countries to 75%", "foreign share", "share"].filter((c) => s.columns.includes(c));
  const box = el("section", {id: s.key.replace(/[^A-Za-z0-9]+/g, "-"), "data-section": s.key},
    el("h2", {}, s.title),
    s.notes.map((n) => el("p", {class: "note"}, n)));
  for (const c of s.charts) {
    box.append(chart(c.spec, c.title), sourcesLine(c.sources, "Chart source: "));
  }
  box.append(table(s.columns, s.rows, {numeric, source: (row, i) => rowSource(s, row, i, byKey)}));
  if (s.sources.length) box.append(sourcesLine(s.sources));
  return box;
}

start(async (economy) => {
  const a = await api(`/api/assess/${encodeURIComponent(economy)}`);
  bind("economy", a.economy);
  document.title = `Overview: ${a.economy} · autarky`;
  document.getElementById("members").textContent = a.members.length > 1
    ? `Economies: ${a.members.join(", ")}` : "";
  const byKey = new Map(a.sections.map((s) => [s.key, s]));
  const cards = document.getElementById("cards");
  const overview = byKey.get("overview");
  if (overview) {
    // the assessment's own scorecard: one card per measure, linked to the figures it summarises
    overview.rows.forEach((row, i) => cards.append(overviewCard(row, rowSource(overview, row, i, byKey))));
  } else {
    for (const s of a.sections) {
      if (s.key.startsWith("stage:")) cards.append(stageCard(s, a.economy));
      else if (s.key === "gaps") cards.append(gapsCard(s));
    }
  }
  const holder = document.getElementById("sections");
  a.sections.filter((s) => s !== overview).forEach((s) => holder.append(renderSection(s, byKey)));
  if (a.missing.length) {
    const m = document.getElementById("missing");
    a.missing.forEach((text) => m.querySelector("ul").append(el("li", {}, text)));
    m.hidden = false;
  }
  if (!a.sections.length) holder.append(el("p", {class: "muted"}, "No data loaded for any section yet."));
});
