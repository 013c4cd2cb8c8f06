// Shared helpers of the dashboard pages: the JSON API, safe DOM building, and ONE renderer of the query
// layer's typed tables (columns by kind; figures as value or low–high with their basis, note and sources).
// Text from the API is always set with textContent (never innerHTML): names come from data files.
// Formatting follows autarky.queries.display (the terminal's and the report's rules), ported to JS.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** GET /api/... with query parameters; resolves to JSON or throws ApiError with the error envelope's message. */
export async function api(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "" || v === false) continue;
    if (Array.isArray(v)) v.forEach((item) => url.searchParams.append(k, item));
    else url.searchParams.set(k, v);
  }
  return request(url, {headers: {Accept: "application/json"}});
}

/** POST JSON to /api/...; same error handling as api(). */
export async function post(path, body) {
  return request(new URL(path, window.location.origin), {
    method: "POST", headers: {Accept: "application/json", "Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
}

async function request(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new ApiError(0, "network_error", `the server did not answer (${err})`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    body = null;
  }
  if (!response.ok) {
    const e = body && body.error ? body.error : {code: "http_error", message: response.statusText};
    throw new ApiError(response.status, e.code, e.message);
  }
  return body;
}

/** el("td", {class: "num", title: "x"}, "text", childNode, ...) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// -- numbers and figures (autarky.queries.display) -------------------------------------------------------

export const DASH = "—";

function money(x) {
  const a = Math.abs(x);
  for (const [div, suffix] of [[1e12, " tn"], [1e9, " bn"], [1e6, " m"], [1e3, " k"]]) {
    if (a >= div) {
      const v = x / div;
      return Math.abs(v) < 100 ? `${v.toLocaleString("en", {minimumFractionDigits: 1, maximumFractionDigits: 1})}${suffix}`
        : `${Math.round(v).toLocaleString("en")}${suffix}`;
    }
  }
  return Math.round(x).toLocaleString("en");
}

function pctText(p) {
  return Math.abs(p) < 9.95 ? `${p.toFixed(1)}%` : `${p.toFixed(0)}%`;
}

/** One number in a column's display format (pct, fraction, pp, usd, cny, money, index, count, year, number). */
export function number(x, fmt, unit) {
  if (x === null || x === undefined || (typeof x === "number" && !Number.isFinite(x))) return DASH;
  if (fmt === "pct") return pctText(x);
  if (fmt === "fraction") return pctText(x * 100);
  if (fmt === "pp") return `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} pp`;
  if (fmt === "usd" || fmt === "cny") return money(x);
  if (fmt === "money") return unit && /^[A-Za-z]{3}$/.test(unit) ? `${unit} ${money(x)}` : money(x);
  if (fmt === "index") return x.toFixed(3);
  if (fmt === "count" || fmt === "int") return Math.round(x).toLocaleString("en");
  if (fmt === "year") return x.toFixed(0);
  if (Math.abs(x) >= 1000 || Number.isInteger(x)) return Math.round(x).toLocaleString("en");
  return String(Number(x.toPrecision(4)));
}

function interval(lo, hi, fmt, unit) {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return DASH;
  let a = number(lo, fmt, unit);
  let b = number(hi, fmt, unit);
  let suffix = "";
  for (const s of ["%", " pp"]) {
    if (a.endsWith(s) && b.endsWith(s)) {
      a = a.slice(0, -s.length);
      b = b.slice(0, -s.length);
      suffix = s;
    }
  }
  return `${a}–${b}${suffix}`;
}

/** The display format a figure's unit implies when the column declares none. */
export function fmtForUnit(unit) {
  if (unit && /^[A-Z]{3}$/.test(unit)) return "money";
  return {fraction: "fraction", "%": "pct", index: "index", count: "count", year: "year"}[unit || ""] || null;
}

export function isPoint(f) {
  return f.value !== null && f.value !== undefined && (f.low === null || f.low === undefined || f.low === f.high);
}

/** A figure as text: its number, its interval (low–high), or its word; "*" assumed, "†" partial data. */
export function figureText(f, fmt, doc) {
  if (f === null || f === undefined) return DASH;
  let format = fmt;
  if ((f.unit === "%" || f.unit === "fraction") && [null, undefined, "pct", "fraction"].includes(fmt)) {
    format = f.unit === "%" ? "pct" : "fraction";
  }
  if (format === null || format === undefined) format = fmtForUnit(f.unit);
  let text;
  if (f.basis === "qualitative") {
    text = f.label || "";
    if (f.low !== null && f.high !== null && f.low !== undefined && f.high !== undefined) {
      text += ` (${interval(f.low, f.high, format, f.unit)})`;
    }
    if (!text) text = DASH;
  } else if (isPoint(f)) {
    text = number(f.value, format, f.unit);
  } else {
    text = interval(f.low, f.high, format, f.unit);
  }
  if (f.basis === "assumed") text += "*";
  const cov = doc && f.coverage !== null && f.coverage !== undefined ? (doc.coverages || [])[f.coverage] : null;
  if (cov && !cov.complete) text += "†";
  return text;
}

/** A source as a short line: "eto-chip-explorer 2026-08, values 2025, measures.csv line 2". */
export function sourceText(s) {
  if (!s) return "source unknown";
  let out = s.dataset + (s.vintage ? ` ${s.vintage}` : "");
  if (s.year !== null && s.year !== undefined) out += `, values ${s.year}`;
  if (s.file && s.lines && s.lines.length) {
    out += `, ${s.file} line${s.lines.length > 1 ? "s" : ""} ${s.lines.slice(0, 5).join(", ")}`
      + (s.lines.length > 5 ? ` … (${s.lines.length} rows)` : "");
  }
  if (s.locator) out += `, ${s.locator}`;
  return out;
}

/** A link to a source's dataset (its provenance on the Datasets page), or to its document. */
export function sourceLink(s, text) {
  if (!s) return el("span", {class: "muted"}, "source unknown");
  const label = text || sourceText(s);
  if (s.dataset_id !== null && s.dataset_id !== undefined) {
    return el("a", {href: `/datasets#dataset-${s.dataset_id}`, class: "source-link", title: label,
      "data-dataset": s.dataset_id}, label);
  }
  if (s.url && /^https?:\/\//.test(s.url)) return el("a", {href: s.url, class: "source-link doc", rel: "noreferrer"}, label);
  return el("span", {class: "source-text"}, label);
}

/** The glossary entry for a basis, a column key or a label (null when none). */
const GLOSSARY_KEYS = [
  [/hhi|concentration/i, "hhi"], [/countries.to.75/i, "countries-to-75"], [/self.?suff|self_share|own share|^own$/i, "self-sufficiency"],
  [/dependence/i, "dependence"], [/chokepoint|^score$/i, "chokepoint"], [/availability/i, "availability"],
  [/criticality/i, "criticality"], [/net.import.ratio/i, "net-import-ratio"], [/\brca\b|\beci\b|\bpci\b/i, "complexity"],
];

export function glossaryAnchor(key, label) {
  for (const [re, anchor] of GLOSSARY_KEYS) if (re.test(key || "") || re.test(label || "")) return anchor;
  return null;
}

export function glossaryLink(anchor, text = "?") {
  return el("a", {href: `/glossary#${anchor}`, class: "gloss", title: `What this means (glossary: ${anchor})`,
    "aria-label": `glossary: ${anchor}`}, text);
}

const BASIS_WORDS = {
  reported: "reported: a number read from a source row",
  derived: "derived: computed from reported numbers",
  bounded: "bounded: only an interval is known (low–high); no source gives the exact figure",
  qualitative: "qualitative: a word such as \"major\", with the interval the data allow where known",
  assumed: "assumed: rests on an assumption (yours, or a trend assumed to continue)",
};

/** A figure cell: text, basis marker (a glossary link), and a title with its basis, note, coverage and sources. */
export function figureNode(f, fmt, doc) {
  if (f === null || f === undefined) return el("span", {class: "missing-value", title: "not given"}, DASH);
  const srcs = (f.sources || []).map((i) => (doc.sources || [])[i]).filter(Boolean);
  const cov = f.coverage !== null && f.coverage !== undefined ? (doc.coverages || [])[f.coverage] : null;
  const lines = [BASIS_WORDS[f.basis] || f.basis];
  if (f.note) lines.push(f.note);
  if (cov && !cov.complete) lines.push(`partial data: ${cov.note}`);
  if (srcs.length) lines.push(`source: ${srcs.map(sourceText).join("; ")}`);
  const span = el("span", {class: `fig basis-${f.basis}`, "data-basis": f.basis, title: lines.join("\n")},
    figureText(f, fmt, doc));
  if (f.basis !== "reported" && f.basis !== "derived") {
    span.append(" ", el("a", {href: `/glossary#basis-${f.basis}`, class: `basis-mark basis-${f.basis}`,
      title: BASIS_WORDS[f.basis] || f.basis}, f.basis[0]));
  }
  return span;
}

function sharesNode(value, doc) {
  if (!value || !value.length) return el("span", {class: "missing-value", title: "not given"}, DASH);
  const out = el("span", {class: "shares"});
  value.forEach((x, i) => {
    if (i) out.append(", ");
    out.append(el("span", {class: "share-item"}, `${x.name} `, figureNode(x.share, "fraction", doc)));
  });
  return out;
}

/** A cell of a typed column as a DOM node. */
export function cellNode(value, column, doc) {
  if (value === null || value === undefined || (Array.isArray(value) && !value.length && column.kind !== "list")) {
    return el("span", {class: "missing-value", title: "not given"}, DASH);
  }
  switch (column.kind) {
    case "figure": return figureNode(value, column.fmt, doc);
    case "shares": return sharesNode(value, doc);
    case "list": {
      if (!value.length) return el("span", {class: "missing-value", title: "none"}, DASH);
      if (value.length <= LIST_SHOWN + 2) return document.createTextNode(value.join(", "));
      return el("span", {class: "long-list"}, value.slice(0, LIST_SHOWN).join(", "),
        el("details", {}, el("summary", {}, `and ${value.length - LIST_SHOWN} more`), value.slice(LIST_SHOWN).join(", ")));
    }
    case "int": return document.createTextNode(column.fmt && !["year", "id"].includes(column.fmt)
      ? number(Number(value), column.fmt) : String(value));
    case "bool": return document.createTextNode(value ? "yes" : "no");
    default: {
      const text = String(value);
      if (/url$/.test(column.key) && /^https?:\/\//.test(text)) return el("a", {href: text, rel: "noreferrer"}, text);
      return document.createTextNode(text);
    }
  }
}

const NUMERIC = new Set(["int", "figure"]);
/** Items of a list cell shown before the rest folds ("and N more"). */
const LIST_SHOWN = 6;

/**
 * The one table renderer: a typed table (Result.to_dict()'s table) with its title, notes, markers legend and
 * sources.  options: keys (columns to show, in order), hide (keys), limit (rows shown before "and N more"),
 * cell(column, row) → Node|undefined (a page's own cell), rowAttrs(row) → attributes, id, caption (false: none),
 * seen (a Set of notes already shown on the page: not repeated).  Prose columns (sentences) are not squeezed
 * into a column: each row's prose follows it as a full-width line (tr.prose-row).
 */
export function renderTable(t, doc, options = {}) {
  let cols = t.columns;
  if (options.keys) cols = options.keys.map((k) => t.columns.find((c) => c.key === k)).filter(Boolean);
  if (options.hide) cols = cols.filter((c) => !options.hide.includes(c.key));
  const prose = cols.filter((c) => c.kind === "prose");
  cols = cols.filter((c) => c.kind !== "prose");
  const head = el("tr", {}, cols.map((c) => {
    const anchor = glossaryAnchor(c.key, c.label);
    return el("th", {scope: "col", class: NUMERIC.has(c.kind) ? "num" : null, title: c.doc || null,
      "data-key": c.key}, c.label, c.unit && !["fraction", "%", "index", "count", "year"].includes(c.unit)
      ? el("span", {class: "unit"}, ` (${c.unit})`) : null, anchor ? [" ", glossaryLink(anchor)] : null);
  }));
  const rowNode = (row) => {
    const tr = el("tr", options.rowAttrs ? options.rowAttrs(row) : {}, cols.map((c) => {
      const custom = options.cell ? options.cell(c, row) : undefined;
      const v = row[c.key];
      const wide = (c.kind === "text" || c.kind === "list") && v && String(v).length > 40;
      return el("td", {class: NUMERIC.has(c.kind) ? "num" : (wide ? "wide" : null), "data-label": c.label},
        custom !== undefined ? custom : cellNode(row[c.key], c, doc));
    }));
    const words = prose.filter((c) => row[c.key]).map((c) => el("p", {}, el("span", {class: "prose-label"}, `${c.label}: `),
      String(row[c.key])));
    if (!words.length) return [tr];
    tr.classList.add("has-prose");
    return [tr, el("tr", {class: "prose-row"}, el("td", {colspan: cols.length}, words))];
  };
  const limit = options.limit && t.rows.length > options.limit + 2 ? options.limit : null;
  const shown = limit ? t.rows.slice(0, limit) : t.rows;
  const body = el("tbody", {}, shown.flatMap(rowNode));
  const table = el("table", {id: options.id || null}, el("thead", {}, head), body);
  if (options.caption !== false && t.title) table.prepend(el("caption", {}, options.caption || t.title));
  const box = el("div", {class: "typed-table"}, el("div", {class: "scroll"}, table));
  if (!t.rows.length) box.append(el("p", {class: "muted empty"}, "No rows for this request."));
  if (limit) {
    const rest = t.rows.length - limit;
    const more = el("button", {type: "button", class: "secondary more", onclick: () => {
      t.rows.slice(limit).forEach((r) => body.append(...rowNode(r)));
      more.remove();
    }}, `and ${rest} more`);
    box.append(more);
  }
  if (t.total !== null && t.total !== undefined && t.total > t.rows.length) {
    box.append(el("p", {class: "note"}, `${t.rows.length} of ${t.total} rows shown.`));
  }
  const seen = options.seen || new Set();
  (t.notes || []).filter((n) => !seen.has(n)).forEach((n) => { seen.add(n); box.append(el("p", {class: "note"}, n)); });
  const markers = markersIn(t, doc);
  if (markers.length) box.append(el("p", {class: "note legend-line"}, markers.join(" · "), " ", glossaryLink("basis", "basis labels")));
  if (options.sources !== false) box.append(sourcesLine(tableSources(t, doc)));
  return box;
}

function figuresOf(t) {
  const out = [];
  for (const c of t.columns) {
    if (c.kind !== "figure" && c.kind !== "shares") continue;
    for (const r of t.rows) {
      const v = r[c.key];
      if (!v) continue;
      if (c.kind === "shares") v.forEach((x) => x.share && out.push(x.share));
      else out.push(v);
    }
  }
  return out;
}

function markersIn(t, doc) {
  const used = new Set();
  for (const f of figuresOf(t)) {
    if (f.basis === "assumed") used.add("*");
    const cov = f.coverage !== null && f.coverage !== undefined ? (doc.coverages || [])[f.coverage] : null;
    if (cov && !cov.complete) used.add("†");
    if (!isPoint(f) && (f.basis === "bounded" || f.basis === "assumed")) used.add("–");
  }
  const words = {"–": "– an interval: only bounds are known", "*": "* assumed", "†": "† partial data: see the coverage note"};
  return ["–", "*", "†"].filter((m) => used.has(m)).map((m) => words[m]);
}

/** The distinct sources a table's figures cite (indices into doc.sources). */
export function tableSources(t, doc) {
  const seen = new Set();
  figuresOf(t).forEach((f) => (f.sources || []).forEach((i) => seen.add(i)));
  return [...seen].sort((a, b) => a - b).map((i) => (doc.sources || [])[i]).filter(Boolean);
}

/** "Sources: a, b" (one link per distinct dataset and vintage; documents counted). */
export function sourcesLine(sources, prefix = "Sources: ") {
  const datasets = new Map();
  let documents = 0;
  for (const s of sources || []) {
    if (s.dataset_id !== null && s.dataset_id !== undefined) {
      const key = `${s.dataset_id}:${s.year ?? ""}`;
      if (!datasets.has(key)) datasets.set(key, s);
    } else {
      documents += 1;
    }
  }
  const p = el("p", {class: "source"}, prefix);
  if (!datasets.size && !documents) {
    p.append("none cited by these figures");
    return p;
  }
  [...datasets.values()].slice(0, 12).forEach((s, i) => {
    if (i) p.append(", ");
    p.append(sourceLink(s, `${s.dataset}${s.vintage ? ` ${s.vintage}` : ""}${s.year ? `, values ${s.year}` : ""}`));
  });
  if (datasets.size > 12) p.append(`, and ${datasets.size - 12} more`);
  if (documents) p.append(`${datasets.size ? "; " : ""}${documents} document${documents > 1 ? "s" : ""} (see each figure's title)`);
  return p;
}

/** Every table of a result (top-level fields holding {columns, rows}), in the document's order. */
export function tablesOf(doc) {
  return Object.entries(doc).filter(([, v]) => v && typeof v === "object" && !Array.isArray(v)
    && Array.isArray(v.columns) && Array.isArray(v.rows)).map(([k, v]) => [k, v]);
}

/** A takeaway sentence: its template with each {name} replaced by the figure (a node with title and basis). */
export function takeawayNode(t, doc, tag = "li") {
  const node = el(tag, {class: "takeaway", "data-section": t.section || null});
  const parts = t.template.split(/(\{[A-Za-z0-9_]+\})/);
  for (const part of parts) {
    const m = /^\{([A-Za-z0-9_]+)\}$/.exec(part);
    if (m && t.figures && m[1] in t.figures) node.append(figureNode(t.figures[m[1]], null, doc));
    else if (part) node.append(part);
  }
  return node;
}

/** Render a Vega-Lite spec into a new .chart element (marked data-rendered="true" once drawn). */
export function chart(spec, title) {
  const box = el("div", {class: "chart", role: "img", "aria-label": title || spec.title || "chart"});
  if (typeof window.vegaEmbed !== "function") {
    box.dataset.rendered = "error";
    box.textContent = "charts unavailable (the Vega bundle did not load)";
    return box;
  }
  queueMicrotask(() => {
    window.vegaEmbed(box, spec, {actions: false, renderer: "svg"})
      .then(() => { box.dataset.rendered = "true"; })
      .catch((err) => { box.dataset.rendered = "error"; box.textContent = `chart failed: ${err}`; });
  });
  return box;
}

const SVGNS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  children.flat().forEach((c) => c !== null && c !== undefined
    && node.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return node;
}

const STATUS_COLOUR = {lost: "#c0392b", degraded: "#b9770e", ok: "#1e8449"};

/**
 * The scenario chart: availability by stage and by capability tier, each an interval drawn as a bar from low
 * to high with whiskers at both ends (a point is a dot).  groups: [{title, table}] of the scenario's tables;
 * sized to its rows (one band per row), width fits its box.
 */
export function intervalChart(groups, doc, title) {
  const rows = [];
  for (const g of groups) {
    rows.push({heading: g.title});
    for (const r of g.table.rows) rows.push({name: r.name, f: r.availability, status: r.status});
  }
  const W = 640;
  const LABEL = 250;
  const ROWH = 20;
  const top = 24;
  const height = top + rows.length * ROWH + 28;
  const x = (v) => LABEL + (W - LABEL - 20) * Math.max(0, Math.min(1, v));
  const root = svg("svg", {viewBox: `0 0 ${W} ${height}`, width: "100%", role: "img", class: "interval-chart",
    preserveAspectRatio: "xMinYMin meet", "aria-label": title});
  root.append(svg("title", {}, title));
  [0, 0.25, 0.5, 0.75, 1].forEach((t) => {
    root.append(svg("line", {x1: x(t), x2: x(t), y1: top - 6, y2: height - 24, class: "grid"}));
    root.append(svg("text", {x: x(t), y: height - 8, "text-anchor": "middle", class: "axis"}, `${t * 100}%`));
  });
  root.append(svg("text", {x: LABEL, y: 12, class: "axis"}, "share of normal supply available (bar: low–high)"));
  rows.forEach((r, i) => {
    const y = top + i * ROWH;
    if (r.heading) {
      root.append(svg("text", {x: 4, y: y + 14, class: "group-label"}, r.heading));
      return;
    }
    const name = r.name.length > 34 ? `${r.name.slice(0, 33)}…` : r.name;
    const g = svg("g", {class: "interval", "data-name": r.name});
    g.append(svg("text", {x: 12, y: y + 14, class: "row-label"}, name));
    const f = r.f;
    const colour = STATUS_COLOUR[r.status || ""] || "#5f6b76";
    if (f && f.low !== null && f.high !== null && f.low !== undefined) {
      const a = x(f.low);
      const b = x(f.high);
      const mid = y + ROWH / 2;
      if (b - a > 0.5) {
        g.append(svg("rect", {x: a, y: mid - 5, width: b - a, height: 10, fill: colour, "fill-opacity": 0.35, class: "bar"}));
        g.append(svg("line", {x1: a, x2: b, y1: mid, y2: mid, stroke: colour, "stroke-width": 1.5}));
        g.append(svg("line", {x1: a, x2: a, y1: mid - 7, y2: mid + 7, stroke: colour, "stroke-width": 2, class: "whisker"}));
        g.append(svg("line", {x1: b, x2: b, y1: mid - 7, y2: mid + 7, stroke: colour, "stroke-width": 2, class: "whisker"}));
      } else {
        g.append(svg("circle", {cx: a, cy: mid, r: 4.5, fill: colour, class: "point"}));
      }
    } else {
      g.append(svg("text", {x: LABEL, y: y + 14, class: "axis"}, "not quantified"));
    }
    g.append(svg("title", {}, `${r.name}: ${r.status || ""} — ${figureText(f, "fraction", doc)}`
      + (f && f.note ? `\n${f.note}` : "")));
    root.append(g);
  });
  const legend = el("p", {class: "legend"}, ["lost", "degraded", "ok"].map((s) =>
    el("span", {style: `--swatch: ${STATUS_COLOUR[s]}`}, s)), el("span", {style: "--swatch: #5f6b76"}, "mixed / unknown"),
  " ", glossaryLink("availability", "what availability means"));
  return el("figure", {class: "chart svg-chart", "data-rendered": "true"}, root, legend);
}

export function params() {
  return new URLSearchParams(window.location.search);
}

/** The economy this page shows: ?economy=…, else CHN (the flagship case); fills the picker and labels. */
export function economy() {
  const value = (params().get("economy") || "CHN").trim() || "CHN";
  const input = document.getElementById("economy-input");
  if (input) input.value = value;
  return value;
}

export function bind(name, text) {
  document.querySelectorAll(`[data-bind="${name}"]`).forEach((n) => { n.textContent = text; });
}

/** Keep ?economy= on the menu's links, so the economy follows the user from page to page. */
export function carryEconomy(value) {
  document.querySelectorAll("a[data-nav]").forEach((a) => {
    if (["datasets", "glossary", "company", "measures"].includes(a.dataset.nav)) return;
    const url = new URL(a.getAttribute("href"), window.location.origin);
    url.searchParams.set("economy", value);
    a.setAttribute("href", url.pathname + url.search);
  });
}

/** Fill the picker's suggestions with the blocs, then (on first focus) the economies. */
export function fillPicker() {
  const list = document.getElementById("economy-options");
  const input = document.getElementById("economy-input");
  if (!list || !input) return;
  api("/api/blocs").then((doc) => {
    doc.table.rows.forEach((b) => list.append(el("option", {value: b.bloc},
      `${b.bloc} (${(b.members || []).length} economies${b.as_of ? `, as of ${b.as_of}` : ""})`)));
  }).catch(() => {});
  input.addEventListener("focus", () => {
    api("/api/economies", {limit: 1000}).then((doc) => {
      doc.table.rows.forEach((e) => list.append(el("option", {value: e.iso3}, e.name)));
    }).catch(() => {});
  }, {once: true});
}

export function status(text, isError = false) {
  const s = document.getElementById("status");
  if (!s) return;
  s.textContent = text;
  s.classList.toggle("error", isError);
  s.hidden = !text;
}

/** Mark the page done (tests and screen readers wait for it), or failed with the API's message. */
export function ready(error) {
  const main = document.getElementById("main");
  if (error) {
    status(error.message || String(error), true);
    main.dataset.error = error.code || "error";
  } else {
    status("");
  }
  main.dataset.ready = "true";
}

/** Common start of a page: economy from the URL, picker, menu links; runs render(economy) and marks ready. */
export async function start(render, {usesEconomy = true} = {}) {
  const value = usesEconomy ? economy() : null;
  if (usesEconomy) {
    bind("economy", value);
    carryEconomy(value);
  }
  fillPicker();
  try {
    await render(value);
    ready();
  } catch (err) {
    console.error(err);
    ready(err);
  }
}
