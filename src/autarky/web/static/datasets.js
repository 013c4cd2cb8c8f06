// Datasets and provenance (GET /api/datasets), quarantined rows (GET /api/quarantine) and data warnings
// (GET /api/warnings).  One section per dataset (#dataset-ID: where every source link points).  A file's
// location on the server is never shown: a path becomes its file name.
import {api, el, renderTable, start} from "./app.js";

/** A file name without the directory it was loaded from (a server's local paths are not the reader's). */
export function withoutPath(value) {
  if (value === null || value === undefined) return value;
  const text = String(value);
  if (/^[a-z]+:\/\//i.test(text)) return text;  // a URL is public
  if (text.includes("/") || text.includes("\\")) return text.split(/[\\/]/).filter(Boolean).pop() || text;
  return text;
}

function fact(label, value) {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length) ? null
    : [el("dt", {}, label), el("dd", {}, Array.isArray(value) ? value.join(", ") : String(value))];
}

start(async () => {
  const [doc, quarantine, warnings] = await Promise.all([
    api("/api/datasets"), api("/api/quarantine", {limit: 1000}), api("/api/warnings", {limit: 1000})]);
  const holder = document.getElementById("datasets");
  holder.append(renderTable(doc.table, doc, {id: "datasets-table", keys: ["id", "name", "kind", "vintage", "licence", "rows",
    "quarantined"], caption: "Loaded datasets", sources: false,
  cell: (c, r) => (c.key === "name" ? el("a", {href: `#dataset-${r.id}`}, r.name) : undefined)}));
  for (const r of doc.table.rows) {
    const q = quarantine.table.rows.filter((x) => x.id === r.id);
    const w = warnings.table.rows.filter((x) => x.id === r.id || x.dataset === r.name);
    const sec = el("section", {id: `dataset-${r.id}`, class: "dataset"},
      el("h2", {}, `${r.name} ${r.vintage}`),
      el("dl", {class: "facts"}, fact("Publisher", r.publisher), fact("Licence", r.licence), fact("Attribution", r.attribution),
        fact("Kind", r.kind), fact("Loaded from", withoutPath(r.source)), fact("Fetched from", r.fetched_from),
        fact("Rows loaded", r.rows), fact("Rows quarantined", r.quarantined), fact("Content sha256", r.content_hash),
        fact("Loaded at (UTC)", r.loaded_at)));
    if (q.length) {
      sec.append(renderTable({...quarantine.table, title: `Quarantined rows (${q.length})`, rows: q}, quarantine,
        {limit: 10, hide: ["id", "dataset"], sources: false,
          cell: (c, row) => (c.key === "file" ? document.createTextNode(withoutPath(row.file) ?? "—") : undefined)}));
    }
    if (w.length) {
      sec.append(renderTable({...warnings.table, title: `Warnings (${w.length})`, rows: w}, warnings, {limit: 10, sources: false}));
    }
    holder.append(sec);
  }
  if (window.location.hash) {
    const target = document.getElementById(window.location.hash.slice(1));
    if (target) target.scrollIntoView();
  }
}, {usesEconomy: false});
