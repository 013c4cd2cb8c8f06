// Chokepoints: the ranked table for an economy, the supply-chain graph coloured by the economy's own share,
// and, for a selected node, who supplies it (GET /api/chains/nodes/{id}).
import {api, el, fmt, pct, sourceLink, sourcesLine, start, table} from "./app.js";

const SVG = "http://www.w3.org/2000/svg";
const COL = 210;
const ROW = 22;
const BOX_W = 180;
const BOX_H = 17;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  children.forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return node;
}

/** Colour of a node by the economy's own share: red (none) to green (half or more); grey when unknown. */
export function shareColour(share) {
  if (share === null || share === undefined) return "#c9d0d6";
  const t = Math.max(0, Math.min(1, share / 50));
  const from = [192, 57, 43];
  const to = [30, 132, 73];
  const c = from.map((f, i) => Math.round(f + (to[i] - f) * t));
  return `rgb(${c.join(",")})`;
}

function legend() {
  const box = document.getElementById("graph-legend");
  const items = [["no own supply (0%)", shareColour(0)], ["25%", shareColour(25)], ["50% or more", shareColour(50)],
    ["not quantified", shareColour(null)]];
  items.forEach(([text, colour]) => box.append(el("span", {style: `--swatch: ${colour}`}, text)));
  box.append(el("span", {style: "--swatch: #fff; outline: 2px solid #1d2329"}, "chokepoint"));
}

/** Depth of every node: processes 0, what goes into a node one more, variants one more than their class. */
function layout(graph) {
  const depth = new Map();
  const into = new Map();
  graph.edges.forEach((e) => {
    if (!into.has(e.dst)) into.set(e.dst, []);
    into.get(e.dst).push(e.src);
  });
  const queue = graph.nodes.filter((n) => n.type === "process").map((n) => n.id);
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
  // what no process needs (a final output) sits one column right of the processes; anything else unreached, left
  graph.nodes.forEach((n) => { if (!depth.has(n.id)) depth.set(n.id, n.type === "ultimate_output" ? -1 : maxDepth); });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const outOf = new Map();
  graph.edges.forEach((e) => { if (!outOf.has(e.src)) outOf.set(e.src, e.dst); });
  const pos = new Map();
  let y = 0;
  const bands = [];
  const groups = graph.stages.map((st) => ({label: st.name, members: graph.nodes.filter((n) => n.stages[0] === st.stage_id)}));
  const unstaged = graph.nodes.filter((n) => !n.stages.length || !graph.stages.some((st) => st.stage_id === n.stages[0]));
  if (unstaged.length) groups.push({label: "Final outputs", members: unstaged});
  for (const {label, members} of groups) {
    const columns = [];
    for (let d = -1; d <= maxDepth; d += 1) columns.push(members.filter((n) => depth.get(n.id) === d));
    // order each column by the position of what its nodes feed, so that edges cross as little as possible
    const order = new Map();
    columns.forEach((col, i) => {
      if (i > 1) col.sort((a, b) => (order.get(outOf.get(a.id)) ?? 1e9) - (order.get(outOf.get(b.id)) ?? 1e9));
      col.forEach((n, j) => order.set(n.id, j));
    });
    const height = Math.max(1, ...columns.map((c) => c.length)) * ROW + 30;
    columns.forEach((col, i) => col.forEach((n, j) => {
      pos.set(n.id, {x: 10 + (maxDepth + 1 - i) * COL, y: y + 28 + j * ROW});
    }));
    bands.push({stage: {name: label}, y, height});
    y += height + 10;
  }
  return {pos, bands, width: (maxDepth + 2) * COL + 20, height: y, byId};
}

function drawGraph(graph, chokepoints, onSelect) {
  const {pos, bands, width, height} = layout(graph);
  const root = svg("svg", {width, height, viewBox: `0 0 ${width} ${height}`, role: "group",
    "aria-label": `Supply-chain graph of ${graph.dataset.name} ${graph.dataset.vintage}`});
  bands.forEach((b, i) => {
    root.append(svg("rect", {x: 0, y: b.y, width, height: b.height, fill: i % 2 ? "#fafbfc" : "#f1f4f6"}));
    root.append(svg("text", {x: 8, y: b.y + 17, class: "stage-label"}, `${b.stage.name}`));
  });
  const edges = svg("g");
  graph.edges.forEach((e) => {
    const a = pos.get(e.src);
    const b = pos.get(e.dst);
    if (!a || !b) return;
    const x1 = a.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const x2 = b.x;
    const y2 = b.y + BOX_H / 2;
    const mid = (x1 + x2) / 2;
    edges.append(svg("path", {d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
      class: e.kind === "is_type_of" ? "edge variant" : "edge"}));
  });
  root.append(edges);
  for (const n of graph.nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const label = n.name.length > 27 ? `${n.name.slice(0, 26)}…` : n.name;
    const g = svg("g", {class: `node${chokepoints.has(n.id) ? " chokepoint" : ""}`, "data-node": n.id,
      transform: `translate(${p.x},${p.y})`, tabindex: 0, role: "button",
      "aria-label": `${n.name}: ${graph.economy} share ${pct(n.own_share_pct)}`},
    svg("title", {}, `${n.id} ${n.name} (${n.type.replace("_resource", "")}): ${graph.economy} ${pct(n.own_share_pct)}`
      + (n.top_supplier ? `; largest foreign ${n.top_supplier} ${pct(n.top_supplier_share_pct)}` : "")),
    svg("rect", {width: BOX_W, height: BOX_H, rx: 3, fill: shareColour(n.own_share_pct)}),
    svg("text", {x: 5, y: 12.5, fill: n.own_share_pct === null ? "#1d2329" : "#fff"}, label));
    const select = () => {
      root.querySelectorAll(".node.selected").forEach((s) => s.classList.remove("selected"));
      g.classList.add("selected");
      onSelect(n.id);
    };
    g.addEventListener("click", select);
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(); } });
    root.append(g);
  }
  return root;
}

async function showNode(nodeId, economy) {
  const panel = document.getElementById("node-panel");
  panel.replaceChildren(el("p", {class: "status"}, "Loading…"));
  panel.dataset.node = nodeId;
  panel.dataset.loaded = "false";
  try {
    const d = await api(`/api/chains/nodes/${encodeURIComponent(nodeId)}`, {economy});
    const n = d.node;
    panel.replaceChildren(
      el("h2", {}, `${n.name} `, el("span", {class: "muted"}, `${n.node_id} · ${n.type.replace("_resource", "")}`)),
      n.description ? el("p", {class: "note"}, n.description) : null,
      el("div", {class: "summary"},
        el("div", {}, el("strong", {"data-figure": "own-share"}, pct(d.economy ? d.economy.share_pct : null)),
          `${d.economy ? d.economy.economy : economy}'s share`),
        el("div", {}, el("strong", {}, fmt(d.hhi)), "HHI (0–1)"),
        el("div", {}, el("strong", {}, fmt(d.countries_to_75)), "countries to 75%"),
        el("div", {}, el("strong", {}, d.year === null ? "—" : String(d.year)), `year (${d.view} view)`)),
      el("h3", {}, "Country shares"),
      table(["country", "share"], d.country_shares.map((s) => ({
        country: s.iso3 ? `${s.iso3} ${s.name}` : s.name,
        share: s.share_pct !== null ? pct(s.share_pct) : s.qualitative,
      })), {numeric: ["share"]}),
      d.firm_shares.length ? el("h3", {}, "Firms") : null,
      d.firm_shares.length ? table(["firm", "HQ", "share"], d.firm_shares.slice(0, 15).map((f) => ({
        firm: f.name, HQ: f.iso3, share: f.share_pct !== null ? pct(f.share_pct) : f.qualitative,
      })), {numeric: ["share"]}) : null,
      el("p", {class: "source"}, "Source: ", sourceLink(d.source, d.source.label)));
  } catch (err) {
    panel.replaceChildren(el("p", {class: "error"}, err.message));
  }
  panel.dataset.loaded = "true";
  const box = panel.getBoundingClientRect();
  if (box.top < 0 || box.top > window.innerHeight - 40) panel.scrollIntoView({block: "start", behavior: "smooth"});
}

start(async (economy) => {
  const [ranking, graph] = await Promise.all([
    api("/api/chains/chokepoints", {economy, limit: 25}),
    api("/api/chains/graph", {economy}),
  ]);
  const chokepoints = new Set(ranking.items.filter((c) => c.is_chokepoint || c.possible).map((c) => c.node_id));
  document.getElementById("chokepoints-title").textContent =
    `${ranking.economy}'s chokepoints: ${ranking.flagged} of ${ranking.ranked} inputs flagged`;
  document.getElementById("chokepoint-notes").append(el("p", {class: "note"},
    "Score = foreign dependence × concentration of the foreign supply × criticality (share of the final outputs, "
    + "per capability tier, that need the input) × absence of a substitute; intervals where the map leaves shares "
    + "unattributed. Flagged when the target supplies at most a quarter itself, one foreign economy holds at least "
    + "75%, the foreign HHI is at least 0.25, the input bounds at least half the capability units and the score is "
    + "at least 0.2; \"possibly\" when this holds only at the high end. The 25 highest are listed."));
  // a figure: its number, or its interval (and its word), never a midpoint
  const fig = (f, unit = "", digits = 3) => (f === null || f === undefined ? "—"
    : (f.low === f.high && f.low !== null ? `${Number(f.low).toFixed(digits)}${unit}`
      : `${f.label ? `${f.label} ` : ""}${Number(f.low).toFixed(digits)}–${Number(f.high).toFixed(digits)}${unit}`));
  const rows = ranking.items.map((c, i) => ({
    rank: c.rank ?? i + 1, node_id: c.node_id, input: c.name + (c.is_chokepoint ? "" : " (possibly)"),
    stage: c.stage_id || "", score: fig(c.score),
    dependence: fig(c.foreign_dependence), concentration: fig(c.foreign_concentration),
    [`${ranking.economy} share`]: fig(c.self_share, "%", 1), "top suppliers": c.top_suppliers.map((t) =>
      `${t.holder} ${fig(t.share, "%", 1)}` + (t.firms.length ? ` (${t.firms.join(", ")})` : "")).join("; "),
    year: c.year ?? "", source: "",
  }));
  const columns = ["rank", "input", "stage", "score", "dependence", "concentration", `${ranking.economy} share`,
    "top suppliers", "source"];
  document.getElementById("chokepoint-table").append(table(columns, rows, {
    numeric: ["rank", "score", "dependence", "concentration", `${ranking.economy} share`],
    source: (row) => ({...ranking.source, year: row.year || null}),
    cell: (col, row) => (col === "input"
      ? el("a", {href: "#node-panel", "data-node-link": row.node_id,
        onclick: (ev) => { ev.preventDefault(); showNode(row.node_id, economy); }}, row.input) : undefined),
  }));
  legend();
  document.getElementById("graph").append(drawGraph(graph, chokepoints, (id) => showNode(id, economy)));
  document.getElementById("graph-source").replaceWith(sourcesLine([graph.source]));
});
