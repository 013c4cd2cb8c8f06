// Scenario builder: restricting countries or a bloc, a target, substitution settings → GET
// /api/scenarios/export-control; the lost and degraded stages, outputs, inputs and tiers update on every change.
import {api, el, fmt, params, pct, sourceLink, start, status, table} from "./app.js";

const form = () => document.getElementById("scenario-form");
let sequence = 0;
let timer = null;

function range(lowId, highId) {
  const lo = Number(document.getElementById(lowId).value || 0);
  const hi = Number(document.getElementById(highId).value || lo);
  return lo === hi ? String(lo) : `${Math.min(lo, hi)}-${Math.max(lo, hi)}`;
}

/** The query the form describes (the API's parameters; also kept in the page's URL). */
export function query() {
  const against = [];
  const bloc = document.getElementById("against-bloc").value;
  if (bloc) against.push(bloc);
  document.querySelectorAll("#against-countries input:checked").forEach((c) => against.push(c.value));
  document.getElementById("against-extra").value.split(",").map((s) => s.trim()).filter(Boolean)
    .forEach((s) => against.push(s));
  const q = {
    against: [...new Set(against)].join(","),
    target: document.getElementById("target").value.trim() || "CHN",
    domestic_substitution: range("domestic-low", "domestic-high"),
    third_country: range("third-low", "third-high"),
    ramp_years: document.getElementById("ramp-years").value || "0",
    lost_below: document.getElementById("lost-below").value || "0.25",
    ok_from: document.getElementById("ok-from").value || "0.95",
    require_domestic_base: document.getElementById("domestic-base").checked ? "true" : "false",
  };
  const at = document.getElementById("at-year").value;
  if (at !== "") q.at_year = at;
  return q;
}

function outcomeTable(outcomes, columns, empty) {
  if (!outcomes.length) return el("p", {class: "muted"}, empty);
  const rows = outcomes.map((o) => ({
    id: o.id, name: o.name, stage: o.stage_id || "", status: o.status_label, available: o.available_label,
    "lost share": o.lost_share === null ? "—" : (o.lost_share[0] === o.lost_share[1] ? pct(100 * o.lost_share[0])
      : `${pct(100 * o.lost_share[0])}–${pct(100 * o.lost_share[1])}`), explanation: o.explanation,
    worst: o.status[0],
  }));
  return table(columns, rows, {rowClass: (r) => (r.worst === "ok" ? "ok" : r.worst), numeric: ["available"],
    cell: (col, r) => (col === "status" ? el("strong", {"data-status": r.worst}, r.status) : undefined)});
}

function summaryBox(label, counts) {
  return el("div", {"data-summary": label},
    el("strong", {}, `${counts.lost} lost · ${counts.degraded} degraded`), `${label} (${counts.ok} ok)`);
}

function render(res) {
  const s = res.scenario;
  document.getElementById("result-title").textContent =
    `${s.against_label} stop supplying ${s.target_label}`;
  const r = (v) => (v[0] === v[1] ? fmt(v[0]) : `${fmt(v[0])}–${fmt(v[1])}`);
  document.getElementById("assumptions").textContent =
    `Assumptions: domestic substitution ${r(s.domestic_substitution)}, third countries `
    + `${r(s.third_country_substitution)}, lost below ${r(s.lost_below)} of normal supply, ok from ${r(s.ok_from)}`
    + (s.ramp_years ? `, ${s.ramp_years}-year domestic ramp-up (${Math.round(100 * s.ramp_reached)}% reached)` : "")
    + (s.require_domestic_base ? "; domestic substitution only where the target already supplies the input." : ".");
  document.getElementById("summary").replaceChildren(
    summaryBox("stages", res.summary.stages), summaryBox("final outputs", res.summary.outputs),
    summaryBox("inputs and processes", res.summary.nodes));
  document.getElementById("stages").replaceChildren(
    outcomeTable(res.stages, ["name", "status", "available", "explanation"], "No stage."));
  document.getElementById("outputs").replaceChildren(
    outcomeTable(res.outputs, ["name", "status", "available", "explanation"], "The map names no final output."));
  document.getElementById("origins").replaceChildren(
    outcomeTable(res.origins.slice(0, 30), ["id", "name", "stage", "status", "available", "lost share", "explanation"],
      "No input loses its supply under these settings."));
  const tiers = res.tiers.filter((t) => t.status[0] !== "ok");
  document.getElementById("tiers").replaceChildren(
    outcomeTable(tiers.slice(0, 30), ["name", "stage", "status", "available", "explanation"],
      "Every capability tier stays ok."));
  document.getElementById("scenario-source").replaceChildren("Source: ", sourceLink(res.source, res.source.label));
}

async function run() {
  const q = query();
  const mine = ++sequence;
  const result = document.getElementById("result");
  result.dataset.state = "loading";
  window.history.replaceState(null, "", `?${new URLSearchParams(q)}`);
  if (!q.against) {
    status("Choose at least one restricting country, bloc or firm.", true);
    result.dataset.state = "error";
    return;
  }
  status("Running the scenario…");
  try {
    const res = await api("/api/scenarios/export-control", q);
    if (mine !== sequence) return; // a newer request is on its way
    render(res);
    result.hidden = false;
    result.dataset.state = "done";
    result.dataset.query = new URLSearchParams(q).toString();
    status("");
  } catch (err) {
    if (mine !== sequence) return;
    status(err.message, true);
    result.dataset.state = "error";
  }
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
}

function prefill(countries, blocs) {
  const p = params();
  const against = (p.get("against") || "CHIP_TOOLMAKERS").split(",").map((s) => s.trim()).filter(Boolean);
  const blocSelect = document.getElementById("against-bloc");
  blocs.forEach((b) => blocSelect.append(el("option", {value: b.bloc},
    `${b.bloc} (${b.members.join(" ")})${b.as_of ? ` as of ${b.as_of}` : ""}`)));
  const box = document.getElementById("against-countries");
  countries.slice(0, 24).forEach((c) => box.append(el("label", {},
    el("input", {type: "checkbox", value: c.iso3, name: "against_country", "data-country": c.iso3}), ` ${c.iso3}`,
    el("span", {class: "muted"}, ` ${c.name}`))));
  const extra = [];
  for (const a of against) {
    const check = box.querySelector(`input[value="${CSS.escape(a)}"]`);
    if (check) check.checked = true;
    else if (!blocSelect.value && blocs.some((b) => b.bloc === a)) blocSelect.value = a;
    else extra.push(a);
  }
  document.getElementById("against-extra").value = extra.join(",");
  document.getElementById("target").value = p.get("target") || p.get("economy") || "CHN";
  const set = (id, v) => { if (v !== null && v !== undefined && v !== "") document.getElementById(id).value = v; };
  const split = (v) => (v || "").split(/-|\.\./);
  if (p.has("domestic_substitution")) {
    const [lo, hi] = split(p.get("domestic_substitution"));
    set("domestic-low", lo);
    set("domestic-high", hi ?? lo);
  }
  if (p.has("third_country")) {
    const [lo, hi] = split(p.get("third_country"));
    set("third-low", lo);
    set("third-high", hi ?? lo);
  }
  set("ramp-years", p.get("ramp_years"));
  set("at-year", p.get("at_year"));
  set("lost-below", p.get("lost_below"));
  set("ok-from", p.get("ok_from"));
  if (p.get("require_domestic_base") === "false") document.getElementById("domestic-base").checked = false;
}

start(async () => {
  const [map, blocs] = await Promise.all([api("/api/chains/map"), api("/api/blocs")]);
  prefill(map.countries, blocs.filter((b) => b.members.length > 1));
  form().addEventListener("submit", (ev) => { ev.preventDefault(); clearTimeout(timer); run(); });
  form().addEventListener("change", schedule);
  form().addEventListener("input", (ev) => { if (ev.target.type !== "checkbox") schedule(); });
  await run();
}, {usesEconomy: false});
