// Small helpers shared by the pages: the API with the session's token, element building, number formats.
const KEY = "gpuplacer.token";

export const session = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, message, field) { super(message); this.status = status; this.field = field; }
}

/** Calls the API; JSON in and out (text for non-JSON answers); an error answer throws ApiError with its message. */
export async function api(path, { method = "GET", body, accept = "application/json", signal } = {}) {
  if (!session.get()) throw new ApiError(401, "not logged in"); // logged out meanwhile: ask nothing
  const headers = { Accept: accept, Authorization: "Bearer " + session.get() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  const type = r.headers.get("Content-Type") || "";
  const payload = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) {
    // The API's errors are {"error", "field", "value"}: the message names the field and what would be valid.
    const msg = payload && payload.error ? payload.error : `${r.status} ${r.statusText}`;
    throw new ApiError(r.status, r.status === 403 ? "your role may not do this: " + msg : msg, payload && payload.field);
  }
  return payload;
}

/** An element with attributes and children (strings become text: nothing from the API is read as HTML). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v; else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

export const fmt = {
  n: (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v)) ? "–"
    : Number(v).toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }),
  pct: (v) => (v === null || v === undefined) ? "–" : (100 * v).toFixed(0) + " %",
  ago: (iso) => {
    if (!iso) return "never";
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (s < 0) return "in " + fmt.span(-s);
    return fmt.span(s) + " ago";
  },
  span: (s) => s < 90 ? s + " s" : s < 5400 ? Math.round(s / 60) + " min" : s < 172800 ? Math.round(s / 3600) + " h"
    : Math.round(s / 86400) + " d",
};

/** A table from rows: columns [{key, label, num, format}] (the tables behind the charts use it too). */
export function table(columns, rows, caption) {
  return el("table", {},
    caption ? el("caption", { class: "note" }, caption) : null,
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col", class: c.num ? "num" : null }, c.label)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, columns.map((c) => {
      const v = typeof c.key === "function" ? c.key(r) : r[c.key];
      return el("td", { class: c.num ? "num" : null }, c.format ? c.format(v, r) : (v === null || v === undefined ? "–" : v));
    })))));
}

/** Rows as CSV text, the columns' labels as its header. */
export function csv(columns, rows) {
  const cell = (v) => { const s = v === null || v === undefined ? "" : String(v); return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
  return [columns.map((c) => cell(c.label)).join(","), ...rows.map((r) => columns.map((c) =>
    cell(typeof c.key === "function" ? c.key(r) : r[c.key])).join(","))].join("\n") + "\n";
}

/** A link that downloads text as a file. */
export function download(name, text, type, label) {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name }, label);
  return a;
}

/** A busy button while work runs: disabled, with its label saying so. */
export async function busy(button, label, work) {
  const was = button.textContent;
  button.disabled = true; button.textContent = label;
  try { return await work(); } finally { button.disabled = false; button.textContent = was; }
}

/** A binary answer of the API (a chart, a CSV) as an object URL, the token sent; an error body's message thrown. */
export async function blob(path, type) {
  const r = await fetch(path, { headers: { Authorization: "Bearer " + session.get(), Accept: type } });
  if (!r.ok) {
    let msg = `${r.status} ${r.statusText}`;
    try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return URL.createObjectURL(await r.blob());
}
