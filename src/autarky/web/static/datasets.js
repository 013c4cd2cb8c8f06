// Datasets and provenance: every loaded dataset (anchor #dataset-ID), with its quarantined rows and warnings
// on demand.
import {api, el, fmt, start, table} from "./app.js";

async function all(path) {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await api(path, {limit: 1000, offset});
    items.push(...page.items);
    if (items.length >= page.total || !page.items.length) return items;
  }
}

function details(title, count, load) {
  const d = el("details", {}, el("summary", {}, `${title} (${fmt(count)})`));
  let loaded = false;
  d.addEventListener("toggle", async () => {
    if (!d.open || loaded) return;
    loaded = true;
    try {
      d.append(await load());
    } catch (err) {
      d.append(el("p", {class: "error"}, err.message));
    }
  });
  return d;
}

start(async () => {
  const datasets = await all("/api/datasets");
  const holder = document.getElementById("datasets");
  if (!datasets.length) holder.append(el("p", {class: "muted"}, "No dataset is loaded: run `autarky init`."));
  for (const d of datasets) {
    const facts = [
      ["kind", d.kind], ["vintage", d.vintage], ["publisher", d.publisher], ["licence", d.licence],
      ["attribution", d.attribution], ["source", d.source], ["loaded", d.loaded_at],
      ["rows read", fmt(d.rows_read)], ["rows loaded", fmt(d.rows_loaded)],
      ["rows quarantined", fmt(d.rows_quarantined)], ["content sha256", d.content_hash],
    ].filter(([, v]) => v !== null && v !== undefined && v !== "");
    const section = el("section", {id: `dataset-${d.dataset_id}`, class: "dataset", "data-dataset": d.dataset_id},
      el("h2", {}, `${d.name} ${d.vintage}`, el("span", {class: "muted"}, ` · dataset ${d.dataset_id}`)),
      el("div", {class: "scroll"}, el("table", {}, el("tbody", {},
        facts.map(([k, v]) => el("tr", {}, el("th", {scope: "row"}, k), el("td", {}, String(v))))))),
      details("Quarantined rows", d.rows_quarantined || 0, async () => {
        const rows = await all(`/api/datasets/${d.dataset_id}/quarantine`);
        return rows.length ? table(["file", "line", "field", "value", "reason"], rows, {numeric: ["line"]})
          : el("p", {class: "muted"}, "None: every row read was loaded.");
      }),
      details("Data warnings", "…", async () => {
        const rows = await all(`/api/datasets/${d.dataset_id}/warnings`);
        return rows.length ? table(["subject", "message"], rows) : el("p", {class: "muted"}, "None.");
      }));
    holder.append(section);
  }
  if (window.location.hash) {
    const target = document.getElementById(window.location.hash.slice(1));
    if (target) {
      target.classList.add("highlight");
      target.scrollIntoView();
    }
  }
}, {usesEconomy: false});
