// Chokepoints: the ranked table for an economy (GET /api/chokepoints), the supply-chain graph of the chosen map
// (GET /api/chains/graph; a picker lists every loaded map) that fits its panel and zooms and pans, and for a
// selected node who supplies it (GET /api/chains/node).
import {api, el, figureNode, figureText, glossaryLink, params, renderTable, start, svg} from "./app.js";

const COL = 210;
const ROW = 22;
const BOX_W = 180;
const BOX_H = 17;

/** Colour of a node by the economy's own share (percent): red (none) to green (half or more); grey unknown. */
export function shareColour(share) {
  if (share === null || share === undefined) return "#c9d0d6";
  const t = Math.max(0, Math.min(1, share / 50));
  const from = [192, 57, 43];
  const to = [30, 132, 73];
  return `rgb(${from.map((f, i) => Math.round(f + (to[i] - f) * t)).join(",")})`;
}

function ownPct(f) {
  if (!f) return null;
  const v = f.value !== null && f.value !== undefined ? f.value : f.high;
  if (v === null || v === undefined) return null;
  return f.unit === "fraction" ? v * 100 : v;
}

function legend() {
  const box = document.getElementById("graph-legend");
  box.replaceChildren();
  [["no own supply (0%)", shareColour(0)], ["25%", shareColour(25)], ["50% or more", shareColour(50)],
    ["not quantified", shareColour(null)]].forEach(([text, colour]) => box.append(el("span", {style: `--swatch: ${colour}`}, text)));
  box.append(el("span", {style: "--swatch: #fff; outline: 2px solid #1d2329"}, "chokepoint"), " ", glossaryLink("chokepoint"));
}

/** Columns by depth (processes right, their inputs left), bands by stage. */
function layout(nodes, edges, stages) {
  const depth = new Map();
  const into = new Map();
  edges.forEach((e) => {
    if (!into.has(e.dst)) into.set(e.dst, []);
    into.get(e.dst).push(e.src);
  });
  const queue = nodes.filter((n) => n.type === "process").map((n) => n.id);
  queue.forEach((id) => depth.set(id, 0));
  while (queue.length) {
    const id = queue.shift();
    for (const src of into.get(id) || []) {
      if (!depth.has(src)) {
        depth.set(src, depth.get(id) + 1);
        queue.push(src);
      }
    }
  }
  const maxDepth = Math.max(0, ...depth.values());
  nodes.forEach((n) => { if (!depth.has(n.id)) depth.set(n.id, n.type === "ultimate_output" ? -1 : maxDepth); });
  const outOf = new Map();
  edges.forEach((e) => { if (!outOf.has(e.src)) outOf.set(e.src, e.dst); });
  const pos = new Map();
  const bands = [];
  let y = 0;
  const groups = stages.map((st) => ({label: st.name, members: nodes.filter((n) => (n.stages || [])[0] === st.stage_id)}));
  const unstaged = nodes.filter((n) => !(n.stages || []).length || !stages.some((st) => st.stage_id === n.stages[0]));
  if (unstaged.length) groups.push({label: "Final outputs and unstaged nodes", members: unstaged});
  for (const {label, members} of groups) {
    if (!members.length) continue;
    const columns = [];
    for (let d = -1; d <= maxDepth; d += 1) columns.push(members.filter((n) => depth.get(n.id) === d));
    const order = new Map();
    columns.forEach((col, i) => {
      if (i > 1) col.sort((a, b) => (order.get(outOf.get(a.id)) ?? 1e9) - (order.get(outOf.get(b.id)) ?? 1e9));
      col.forEach((n, j) => order.set(n.id, j));
    });
    const height = Math.max(1, ...columns.map((c) => c.length)) * ROW + 30;
    columns.forEach((col, i) => col.forEach((n, j) => pos.set(n.id, {x: 10 + (maxDepth + 1 - i) * COL, y: y + 28 + j * ROW})));
    bands.push({label, y, height});
    y += height + 10;
  }
  return {pos, bands, width: (maxDepth + 2) * COL + 20, height: y};
}

/** Zoom and pan by changing the viewBox: wheel, drag, and the +/−/fit buttons. */
function zoomable(root, box, full) {
  let view = {...full};
  const apply = () => root.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
  const zoom = (k, cx = view.x + view.w / 2, cy = view.y + view.h / 2) => {
    const w = Math.min(full.w * 1.5, Math.max(120, view.w * k));
    const h = w * (view.h / view.w);
    view = {x: cx - (cx - view.x) * (w / view.w), y: cy - (cy - view.y) * (h / view.h), w, h};
    apply();
    root.dataset.zoom = (full.w / view.w).toFixed(3);
  };
  const fit = () => { view = {...full}; apply(); root.dataset.zoom = "1.000"; };
  root.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = root.getBoundingClientRect();
    zoom(ev.deltaY > 0 ? 1.2 : 1 / 1.2, view.x + ((ev.clientX - r.left) / r.width) * view.w,
      view.y + ((ev.clientY - r.top) / r.height) * view.h);
  }, {passive: false});
  let drag = null;
  root.addEventListener("pointerdown", (ev) => {
    if (ev.target.closest && ev.target.closest("g.node")) return;
    drag = {x: ev.clientX, y: ev.clientY, view: {...view}};
    root.setPointerCapture(ev.pointerId);
  });
  root.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const r = root.getBoundingClientRect();
    const s = view.w / r.width;
    view = {...drag.view, x: drag.view.x - (ev.clientX - drag.x) * s, y: drag.view.y - (ev.clientY - drag.y) * s};
    apply();
  });
  root.addEventListener("pointerup", () => { drag = null; });
  box.append(el("div", {class: "zoom-controls"},
    el("button", {type: "button", class: "secondary", id: "zoom-in", "aria-label": "zoom in", onclick: () => zoom(1 / 1.5)}, "+"),
    el("button", {type: "button", class: "secondary", id: "zoom-out", "aria-label": "zoom out", onclick: () => zoom(1.5)}, "−"),
    el("button", {type: "button", class: "secondary", id: "zoom-fit", onclick: fit}, "fit")));
  fit();
}

function drawGraph(doc, chokepoints, onSelect) {
  const nodes = doc.table.rows;
  const edges = doc.edges ? doc.edges.rows : [];
  const {pos, bands, width, height} = layout(nodes, edges, doc.stages || []);
  const economy = doc.request.economy || "";
  const root = svg("svg", {width: "100%", preserveAspectRatio: "xMidYMin meet", role: "group",
    "aria-label": `Supply-chain graph: ${doc.table.title}`});
  bands.forEach((b, i) => {
    root.append(svg("rect", {x: 0, y: b.y, width, height: b.height, fill: i % 2 ? "#fafbfc" : "#f1f4f6"}));
    root.append(svg("text", {x: 8, y: b.y + 17, class: "stage-label"}, b.label));
  });
  const lines = svg("g");
  edges.forEach((e) => {
    const a = pos.get(e.src);
    const b = pos.get(e.dst);
    if (!a || !b) return;
    const x1 = a.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const x2 = b.x;
    const y2 = b.y + BOX_H / 2;
    const mid = (x1 + x2) / 2;
    lines.append(svg("path", {d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
      class: e.kind === "is_type_of" ? "edge variant" : "edge"}));
  });
  root.append(lines);
  for (const n of nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const share = ownPct(n.own);
    const label = n.name.length > 27 ? `${n.name.slice(0, 26)}…` : n.name;
    const g = svg("g", {class: `node${chokepoints.has(n.id) ? " chokepoint" : ""}`, "data-node": n.id,
      transform: `translate(${p.x},${p.y})`, tabindex: 0, role: "button",
      "aria-label": `${n.name}: ${economy} share ${figureText(n.own, "pct", doc)}`},
    svg("title", {}, `${n.id} ${n.name} (${(n.type || "").replace("_resource", "")}): ${economy} ${figureText(n.own, "pct", doc)}`
      + (n.top ? `; largest foreign ${n.top} ${figureText(n.top_share, "pct", doc)}` : "")),
    svg("rect", {width: BOX_W, height: BOX_H, rx: 3, fill: shareColour(share)}),
    svg("text", {x: 5, y: 12.5, fill: share === null ? "#1d2329" : "#fff"}, label));
    const select = () => {
      root.querySelectorAll(".node.selected").forEach((s) => s.classList.remove("selected"));
      g.classList.add("selected");
      onSelect(n.id);
    };
    g.addEventListener("click", select);
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(); } });
    root.append(g);
  }
  const box = document.getElementById("graph");
  box.replaceChildren(root);
  // the panel: as wide as the page allows, as tall as the graph at that width, at most 75% of the window
  const fitHeight = () => {
    const w = box.clientWidth || 600;
    root.setAttribute("height", String(Math.round(Math.max(260, Math.min(window.innerHeight * 0.75, (w * height) / width)))));
  };
  fitHeight();
  window.addEventListener("resize", fitHeight);
  zoomable(root, box, {x: 0, y: 0, w: width, h: height});
}

async function showNode(nodeId, economy, map) {
  const panel = document.getElementById("node-panel");
  panel.replaceChildren(el("p", {class: "status"}, "Loading…"));
  panel.dataset.node = nodeId;
  panel.dataset.loaded = "false";
  try {
    const d = await api("/api/chains/node", {node: nodeId, economy, map});
    const stat = (node, label, gloss) => el("div", {}, el("strong", {}, node), " ", label, gloss ? [" ", glossaryLink(gloss)] : null);
    panel.replaceChildren(
      el("h2", {}, `${d.name} `, el("span", {class: "muted"}, `${d.node_id} · ${(d.type || "").replace("_resource", "")}`)),
      d.description ? el("p", {class: "note"}, d.description) : null,
      el("div", {class: "summary"},
        stat(el("span", {"data-figure": "own-share"}, figureNode(d.self_share, "pct", d)), `${d.economy || economy}'s share`, "self-sufficiency"),
        stat(figureNode(d.foreign_dependence, "fraction", d), "foreign dependence", "dependence"),
        stat(figureNode(d.hhi, "index", d), "HHI (0–1)", "hhi"),
        stat(figureNode(d.countries_to_75, "count", d), "countries to 75%", "countries-to-75"),
        stat(document.createTextNode(d.year === null || d.year === undefined ? "—" : String(d.year)), `year (${d.view} view)`)),
      d.holders ? renderTable(d.holders, d, {caption: "Who supplies it"}) : null,
      d.firms && d.firms.rows.length ? renderTable(d.firms, d, {limit: 10}) : null,
      (d.bounds || []).length ? el("p", {class: "note"}, `Bounds: ${d.bounds.join("; ")}`) : null);
  } catch (err) {
    panel.replaceChildren(el("p", {class: "error"}, err.message));
  }
  panel.dataset.loaded = "true";
  const r = panel.getBoundingClientRect();
  if (r.top < 0 || r.top > window.innerHeight - 40) panel.scrollIntoView({block: "start"});
}

start(async (economy) => {
  const map = params().get("map") || null;
  const [maps, ranking, graph] = await Promise.all([
    api("/api/chains/maps"),
    api("/api/chokepoints", {economy, map, limit: 40}),
    api("/api/chains/graph", {economy, map}),
  ]);
  // the map picker: every loaded map (name and vintage), the shown one selected
  const picker = document.getElementById("map-picker");
  const current = map || graph.request.map || (maps.table.rows[0] || {}).name;
  maps.table.rows.forEach((m) => picker.append(el("option", {value: m.name, selected: m.name === current},
    `${m.name} (${m.vintage}${m.publisher ? `, ${m.publisher}` : ""})`)));
  picker.addEventListener("change", () => {
    const url = new URL(window.location.href);
    url.searchParams.set("map", picker.value);
    url.searchParams.set("economy", economy);
    window.location.assign(url.pathname + url.search);
  });
  document.getElementById("chokepoints-title").textContent = `${ranking.economy}'s chokepoints: ${ranking.flagged} of `
    + `${ranking.ranked} inputs flagged, ${ranking.possible} more possibly`;
  document.getElementById("chokepoint-notes").append(el("p", {class: "note"}, ranking.thresholds || ""), el("p", {class: "note"},
    "Score = foreign dependence × concentration of the foreign supply × criticality × absence of a substitute. ",
    glossaryLink("chokepoint", "What is a chokepoint?")));
  const chokepoints = new Set(ranking.table.rows.filter((r) => r.flag === "chokepoint" || (r.flag || "").startsWith("possib"))
    .map((r) => r.node));
  document.getElementById("chokepoint-table").append(renderTable(ranking.table, ranking, {
    id: "chokepoint-tbl",
    keys: ["rank", "name", "stage", "flag", "score", "dependence", "concentration", "control", "self_share", "top"],
    limit: 15, caption: false,
    cell: (c, row) => (c.key === "name" ? el("a", {href: "#node-panel", "data-node-link": row.node,
      title: row.explanation || null, onclick: (ev) => { ev.preventDefault(); showNode(row.node, economy, map); }}, row.name) : undefined),
  }));
  document.getElementById("graph-title").textContent = `The supply-chain graph: ${graph.table.title}`;
  legend();
  drawGraph(graph, chokepoints, (id) => showNode(id, economy, map));
});
