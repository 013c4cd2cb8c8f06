// Investment flows (GET /api/money/flows), alignment with the economy's chokepoints (GET /api/money/alignment),
// concentration and the white elephants: typed tables, labels as the query layer gives them ("no phase").
import {api, el, renderTable, start} from "./app.js";

const byId = (id) => document.getElementById(id);

async function part(id, path, query, options = {}) {
  const holder = byId(id);
  try {
    const doc = await api(path, query);
    (doc.notes || []).forEach((n) => holder.append(el("p", {class: "note"}, n)));
    holder.append(renderTable(doc.table, doc, {limit: 12, ...options}));
  } catch (err) {
    holder.append(el("p", {class: "error"}, err.message));
  }
}

start(async (economy) => {
  await Promise.all([
    part("flows-table", "/api/money/flows", {economy, by: "phase"}),
    part("alignment-table", "/api/money/alignment", {economy}),
    part("concentration-table", "/api/money/concentration", {economy}),
    part("failed-table", "/api/money/white-elephants", {economy}),
  ]);
});
