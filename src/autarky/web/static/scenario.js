// Scenario builder: a blanket control (against) or the measures in force on a date, a target, substitution
// settings → GET /api/scenario/export-control; the scenario chart (availability by stage and tier, intervals as
// bars with whiskers) and the typed tables of each map update on every run.
import {api, el, glossaryLink, intervalChart, params, renderTable, start, status} from "./app.js";

let sequence = 0;

function range(lowId, highId) {
  const lo = Number(document.getElementById(lowId).value || 0);
  const hi = Number(document.getElementById(highId).value || lo);
  return lo === hi ? String(lo) : `${Math.min(lo, hi)}-${Math.max(lo, hi)}`;
}

const byId = (id) => document.getElementById(id);

/** The query the form describes (the API's parameters; also kept in the page's URL). */
export function query() {
  const q = {target: byId("target").value.trim() || "CHN"};
  if (byId("mode-against").checked) {
    const against = [byId("against-bloc").value, ...byId("against-extra").value.split(",").map((s) => s.trim())]
      .filter(Boolean);
    q.against = [...new Set(against)].join(",");
  } else {
    q.measures_in_force = byId("measures-date").value;
  }
  const dom = range("domestic-low", "domestic-high");
  const third = range("third-low", "third-high");
  if (dom !== "0") q.domestic_substitution = dom;
  if (third !== "0") q.third_country = third;
  if (byId("ramp-years").value && byId("ramp-years").value !== "0") q.ramp_years = byId("ramp-years").value;
  if (byId("map-picker").value) q.map = byId("map-picker").value;
  return q;
}

function fill(p) {
  if (p.get("target")) byId("target").value = p.get("target");
  if (p.get("against")) {
    byId("mode-against").checked = true;
    byId("against-extra").value = p.get("against");
  } else if (p.get("measures_in_force")) {
    byId("measures-date").value = p.get("measures_in_force");
  }
  const split = (v, lo, hi) => {
    if (!v) return;
    const [a, b] = v.split("-");
    byId(lo).value = a;
    byId(hi).value = b ?? a;
  };
  split(p.get("domestic_substitution"), "domestic-low", "domestic-high");
  split(p.get("third_country"), "third-low", "third-high");
  if (p.get("ramp_years")) byId("ramp-years").value = p.get("ramp_years");
}

function summaryLine(summary) {
  return el("div", {class: "summary"}, ["stages", "outputs", "nodes"].filter((k) => summary[k]).map((k) =>
    el("div", {"data-summary": k}, el("strong", {}, `${summary[k].lost} lost · ${summary[k].degraded} degraded`),
      ` ${k} (${summary[k].ok} ok)`)));
}

function renderMap(m, doc) {
  const box = el("section", {class: "scenario-map", "data-map": m.map}, el("h3", {}, `Map: ${m.map}`));
  if (m.summary) box.append(summaryLine(m.summary));
  const groups = [];
  if (m.stages && m.stages.rows.length) groups.push({title: "Stages", table: m.stages});
  if (m.capability && m.capability.rows.length) groups.push({title: "Capability tiers", table: m.capability});
  if (groups.length) {
    box.append(intervalChart(groups, doc, `${doc.target}: what remains available, by stage and capability tier`));
  }
  const rowAttrs = (r) => ({class: (r.status || "").split("–")[0] || null, "data-status": r.status || ""});
  for (const key of ["stages", "outputs", "capability", "origins"]) {
    if (m[key]) box.append(renderTable(m[key], doc, {id: `${key}-table`, rowAttrs, limit: 15}));
  }
  if ((m.measures || []).length) {
    box.append(el("h4", {}, "Measures applied"), el("ul", {class: "note"}, m.measures.map((x) => el("li", {}, x))));
  }
  if ((m.not_applied || []).length) {
    box.append(el("details", {}, el("summary", {}, `Measures not applied (${m.not_applied.length})`),
      el("ul", {class: "note"}, m.not_applied.map((x) => el("li", {}, x)))));
  }
  if (m.timeline) box.append(renderTable(m.timeline, doc, {limit: 10}));
  return box;
}

async function run() {
  const q = query();
  const mine = ++sequence;
  const result = byId("result");
  result.dataset.state = "loading";
  status("Running the scenario…");
  const url = new URL(window.location.href);
  url.search = new URLSearchParams(q).toString();
  window.history.replaceState(null, "", url.pathname + url.search);
  try {
    const doc = await api("/api/scenario/export-control", q);
    if (mine !== sequence) return;
    byId("result-title").textContent = doc.against === "measures in force"
      ? `The measures in force on ${doc.date} against ${doc.target}` : `${doc.against} stop supplying ${doc.target}`;
    const r = doc.request;
    byId("assumptions").replaceChildren(`Assumptions: domestic substitution ${r.domestic_substitution}, third-country `
      + `${r.third_country}, ramp-up ${r.ramp_years} years; lost below ${r.lost_below} of normal supply, ok from `
      + `${r.ok_from}. `, glossaryLink("availability", "What availability means"));
    const maps = byId("maps");
    maps.replaceChildren(...(doc.maps || []).map((m) => renderMap(m, doc)));
    (doc.notes || []).forEach((n) => maps.append(el("p", {class: "note"}, n)));
    result.hidden = false;
    result.dataset.query = new URLSearchParams(q).toString();
    result.dataset.state = "done";
    status("");
  } catch (err) {
    if (mine !== sequence) return;
    result.dataset.state = "error";
    status(err.message, true);
  }
}

start(async () => {
  byId("measures-date").value = new Date().toISOString().slice(0, 10);
  fill(params());
  const [blocs, maps] = await Promise.all([api("/api/blocs"), api("/api/chains/maps")]);
  blocs.table.rows.forEach((b) => {
    byId("against-bloc").append(el("option", {value: b.bloc}, b.bloc));
    byId("economy-options").append(el("option", {value: b.bloc}, `${b.bloc} (bloc)`));
  });
  byId("target").addEventListener("focus", () => {
    api("/api/economies", {limit: 1000}).then((doc) => doc.table.rows.forEach((e) =>
      byId("economy-options").append(el("option", {value: e.iso3}, e.name)))).catch(() => {});
  }, {once: true});
  const wanted = params().get("map");
  maps.table.rows.forEach((m) => byId("map-picker").append(el("option", {value: m.name, selected: m.name === wanted},
    `${m.name} (${m.vintage})`)));
  byId("scenario-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    run();
  });
  byId("against-bloc").addEventListener("change", () => { byId("mode-against").checked = true; });
  byId("against-extra").addEventListener("input", () => { byId("mode-against").checked = true; });
  await run();
}, {usesEconomy: false});
