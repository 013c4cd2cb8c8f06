// Company exposure: the user drops a bill of materials (CSV or JSON); the browser reads it LOCALLY into lines and
// posts them as JSON to POST /api/company/exposure (nothing but the parsed lines leaves the page); the answer —
// spend by economy and bloc, upstream map shares, what a scenario breaks, alternatives — is rendered table by table.
// "Analyse the bundled sample" asks GET /api/company/exposure (the fictitious sample bill).
import {api, el, post, renderTable, start, status, tablesOf} from "./app.js";

export const FIELDS = ["line_id", "part", "quantity", "unit_cost", "currency", "hs_code", "node", "supplier",
  "hq_country", "site_country"];

const byId = (id) => document.getElementById(id);

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; a list of rows (lists of strings). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i += 1) {
    const ch = src[i];
    if (quoted) {
      if (ch === "\"" && src[i + 1] === "\"") { field += "\""; i += 1; } else if (ch === "\"") quoted = false;
      else field += ch;
    } else if (ch === "\"") quoted = true;
    else if (ch === ",") { row.push(field); field = ""; } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (quoted) throw new Error("the file ends inside a quoted field");
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.some((c) => c.trim() !== ""));
}

/** BOM lines from a CSV's text: the documented headers (case and spaces ignored); blank cells left out; other
 * columns are not sent (their names are returned in `ignored`). */
export function linesFromCsv(text) {
  const rows = parseCsv(text);
  if (!rows.length) throw new Error("the file is empty");
  const header = rows[0].map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, "_"));
  const missing = ["line_id", "part", "quantity"].filter((f) => !header.includes(f));
  if (missing.length) throw new Error(`line 1: missing column(s) ${missing.join(", ")}; expected ${FIELDS.join(", ")}`);
  const ignored = rows[0].filter((h, i) => h.trim() && !FIELDS.includes(header[i]));
  const lines = rows.slice(1).map((r) => {
    const line = {};
    header.forEach((h, i) => {
      const v = (r[i] ?? "").trim();
      if (FIELDS.includes(h) && v !== "") line[h] = v;
    });
    return line;
  });
  return {lines, ignored};
}

export function linesFromJson(text) {
  const doc = JSON.parse(text);
  const items = Array.isArray(doc) ? doc : doc && doc.lines;
  if (!Array.isArray(items)) throw new Error("expected a list of BOM lines, or an object with \"lines\"");
  const ignored = new Set();
  const lines = items.map((item, i) => {
    if (!item || typeof item !== "object" || Array.isArray(item)) throw new Error(`lines[${i + 1}] is not an object`);
    const line = {};
    for (const [k, v] of Object.entries(item)) {
      if (FIELDS.includes(k)) { if (v !== null && v !== "") line[k] = v; } else ignored.add(k);
    }
    return line;
  });
  return {lines, ignored: [...ignored]};
}

/** The BOM's name for the answer, from the file name (letters, digits, . _ - and spaces; at most 64). */
export function bomName(fileName) {
  const name = fileName.replace(/[^A-Za-z0-9._ -]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 64);
  return name || null;
}

function options() {
  const mode = document.querySelector("input[name='scenario']:checked").value;
  const against = byId("against").value.trim();
  return {
    against: mode === "against" && against ? against : null,
    measures_in_force: mode === "measures" ? byId("measures-date").value || null : null,
    economy: mode === "measures" ? byId("buyer").value.trim() || null : null,
    bloc: byId("bloc").value.trim() || null,
  };
}

function render(doc, label) {
  const out = byId("exposure");
  out.replaceChildren(el("h2", {}, `Exposure of ${label}`));
  (doc.notes || []).forEach((n) => out.append(el("p", {class: "note"}, n)));
  for (const [key, t] of tablesOf(doc)) {
    if (!t.rows.length && key !== "quarantined") continue;
    const sec = el("section", {"data-table": key});
    sec.append(renderTable(t, doc, {limit: 15, id: `company-${key}`}));
    out.append(sec);
  }
  out.dataset.state = "done";
}

async function analyse(lines, label) {
  byId("exposure").dataset.state = "loading";
  status(`Analysing ${lines.length} lines…`);
  try {
    const o = options();
    const body = {lines, name: bomName(label), against: o.against, measures_in_force: o.measures_in_force,
      bloc: o.bloc};
    if (o.economy) body.economy = o.economy;
    const doc = await post("/api/company/exposure", body);
    render(doc, label);
    status("");
  } catch (err) {
    byId("exposure").dataset.state = "error";
    status(err.status === 405 || err.status === 404
      ? "This server does not analyse posted bills of materials (POST /api/company/exposure is missing)." : err.message, true);
  }
}

async function readFile(file) {
  const text = await file.text();
  let read;
  try {
    read = /\.json$/i.test(file.name) ? linesFromJson(text) : linesFromCsv(text);
  } catch (err) {
    byId("exposure").dataset.state = "error";
    status(`${file.name}: ${err.message}`, true);
    return;
  }
  byId("file-name").textContent = `${file.name}: ${read.lines.length} lines read in your browser`
    + (read.ignored.length ? `; column(s) not in the layout, not sent: ${read.ignored.join(", ")}` : "");
  await analyse(read.lines, file.name);
}

start(async () => {
  byId("measures-date").value = new Date().toISOString().slice(0, 10);
  const input = byId("bom-file");
  input.addEventListener("change", () => input.files[0] && readFile(input.files[0]));
  const zone = byId("drop-zone");
  zone.addEventListener("dragover", (ev) => { ev.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (ev) => {
    ev.preventDefault();
    zone.classList.remove("over");
    const file = ev.dataTransfer && ev.dataTransfer.files[0];
    if (file) readFile(file);
  });
  byId("sample").addEventListener("click", async () => {
    byId("exposure").dataset.state = "loading";
    try {
      const o = options();
      const doc = await api("/api/company/exposure", o);
      render(doc, "the bundled sample bill (fictitious)");
      status("");
    } catch (err) {
      byId("exposure").dataset.state = "error";
      status(err.message, true);
    }
  });
}, {usesEconomy: false});
