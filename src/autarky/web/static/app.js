// Shared helpers of the dashboard pages: fetching the JSON API, building DOM safely, tables, charts, sources.
// Text from the API is always set with textContent (never innerHTML): names come from data files.

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
    if (v === undefined || v === null || v === "") continue;
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

export function fmt(v, digits = 3) {
  if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))) return "—";
  if (typeof v === "number") {
    if (Number.isInteger(v)) return Math.abs(v) < 10000 ? String(v) : v.toLocaleString("en");
    return Math.abs(v) >= 1000 ? v.toLocaleString("en", {maximumFractionDigits: 0})
      : Number(v.toPrecision(digits)).toLocaleString("en", {maximumFractionDigits: 6});
  }
  return String(v);
}

export function pct(v) {
  return v === null || v === undefined ? "—" : `${Number(v).toFixed(1)}%`;
}

/** A link to a figure's dataset and vintage: "eto-chip-explorer 2026-08" → /datasets#dataset-1. */
export function sourceLink(src, text) {
  if (!src) return el("span", {class: "muted"}, "source unknown");
  const label = text || `${src.dataset} ${src.vintage}${src.year ? `, values ${src.year}` : ""}`;
  return el("a", {href: src.href, title: src.label, class: "source-link", "data-dataset": src.dataset_id}, label);
}

/** "Source: a, b" for a list of SourceOut, one link per distinct dataset and year. */
export function sourcesLine(sources, prefix = "Source: ") {
  const seen = new Map();
  for (const s of sources || []) {
    const key = `${s.dataset_id}:${s.year ?? ""}`;
    if (!seen.has(key)) seen.set(key, s);
  }
  const p = el("p", {class: "source"}, prefix);
  if (!seen.size) p.append("not recorded");
  [...seen.values()].forEach((s, i) => {
    if (i) p.append(", ");
    p.append(sourceLink(s));
  });
  return p;
}

/**
 * A table of rows (plain objects) with the given columns.
 * options.numeric: columns to right-align; options.source(row, i): a SourceOut for the row's source cell;
 * options.rowClass(row): a class for the row; options.cell(col, row): a Node or text overriding the cell.
 */
export function table(columns, rows, options = {}) {
  const numeric = new Set(options.numeric || []);
  const head = el("tr", {}, columns.map((c) => el("th", {scope: "col", class: numeric.has(c) ? "num" : null}, c)));
  const body = rows.map((row, i) => el("tr", {class: options.rowClass ? options.rowClass(row) : null},
    columns.map((c) => {
      if (c === "source" && options.source) {
        const src = options.source(row, i);
        return el("td", {class: "src"}, src ? sourceLink(src, row.source_brief || undefined) : fmt(row[c]));
      }
      const custom = options.cell ? options.cell(c, row) : undefined;
      if (custom !== undefined) return el("td", {class: numeric.has(c) ? "num" : null}, custom);
      return el("td", {class: numeric.has(c) ? "num" : null}, fmt(row[c]));
    })));
  const t = el("table", {}, el("thead", {}, head), el("tbody", {}, body));
  if (options.caption) t.prepend(el("caption", {}, options.caption));
  return el("div", {class: "scroll"}, t);
}

/** Render a Vega-Lite spec into a new .chart element (marked data-rendered="true" once drawn). */
export function chart(spec, title) {
  const box = el("div", {class: "chart", role: "img", "aria-label": title || spec.title || "chart"});
  if (typeof window.vegaEmbed !== "function") {
    box.dataset.rendered = "error";
    box.textContent = "charts unavailable (the Vega bundle did not load)";
    return box;
  }
  // Render once the box is in the document, so that width "container" has a width to fill.
  queueMicrotask(() => {
    window.vegaEmbed(box, spec, {actions: false, renderer: "svg"})
      .then(() => { box.dataset.rendered = "true"; })
      .catch((err) => { box.dataset.rendered = "error"; box.textContent = `chart failed: ${err}`; });
  });
  return box;
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
    if (a.dataset.nav === "datasets") return;
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
  api("/api/blocs").then((blocs) => {
    blocs.forEach((b) => list.append(el("option", {value: b.bloc},
      `${b.bloc} (${b.members.length} economies${b.as_of ? `, as of ${b.as_of}` : ""})`)));
  }).catch(() => {});
  input.addEventListener("focus", () => {
    api("/api/economies", {limit: 1000}).then((page) => {
      page.items.forEach((e) => list.append(el("option", {value: e.iso3}, e.name)));
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
