// Weights: every knob with unit, range, meaning and the value in force; edit with a reason after a what-if
// preview that solves the current state with the proposed and the current weights; the history with authors.
import { api, el, fmt, table, busy } from "/ui/lib.js";

function diff(a, b, digits = 2) {
  const d = b - a;
  return el("span", { class: d > 1e-9 ? "diff-up" : d < -1e-9 ? "diff-down" : null },
    `${fmt.n(a, digits)} → ${fmt.n(b, digits)} (${d >= 0 ? "+" : ""}${fmt.n(d, digits)})`);
}

function previewView(p) {
  const rows = [
    ["CO2e (kg)", p.current.totals.co2eKg, p.proposed.totals.co2eKg],
    ["cost: energy and node hours (USD)", p.current.costUsd, p.proposed.costUsd],
    ["energy (kWh)", p.current.totals.energyKWh, p.proposed.totals.energyKWh],
    ["placed tasks", p.current.placedTasks, p.proposed.placedTasks],
    ["unplaced tasks", p.current.unplacedTasks, p.proposed.unplacedTasks],
    ["moves", p.current.moves, p.proposed.moves],
  ];
  return el("section", { id: "preview", "aria-label": "what-if preview" },
    el("h3", {}, "What-if preview"),
    el("p", { class: "note" }, `Queue: ${p.queue}. Each side solved for up to ${p.seconds} s with the same seed.`),
    el("table", {}, el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "figure"), el("th", { scope: "col" }, "current → proposed"))),
      el("tbody", {}, rows.map(([label, a, b]) => el("tr", {}, el("th", { scope: "row" }, label),
        el("td", { class: "num" }, diff(a, b, Number.isInteger(a) && Number.isInteger(b) ? 0 : 2)))))),
    p.changes.length ? table([{ key: "job", label: "job" }, { key: "task", label: "task", num: true },
      { key: "current", label: "with the current weights" }, { key: "proposed", label: "with the proposed weights" }],
    p.changes, `Tasks that would go elsewhere or start at another hour${p.changesLeftOut ? ` (${p.changesLeftOut} more not shown)` : ""}`)
      : el("p", {}, "No task would go elsewhere or start at another hour."));
}

export default async function render(main, { can }) {
  const [w, history] = await Promise.all([api("/v1/weights"), api("/v1/weights/history")]);
  const editable = can("operator", "admin");
  main.append(el("h2", {}, "Weights"),
    el("p", { class: "note" }, `Version ${w.version}, set by ${w.author} ${fmt.ago(w.createdAt)}: ${w.reason}`));
  const form = el("form", { id: "weights" });
  const inputs = {};
  const rows = w.catalogue.map((k) => {
    const input = el("input", { id: "w-" + k.id, name: k.id, type: "number", step: k.integer ? "1" : "any",
      min: String(k.min), max: String(k.max), value: String(w.weights[k.id]), disabled: !editable,
      "aria-describedby": "d-" + k.id });
    inputs[k.id] = input;
    return el("tr", {}, el("th", { scope: "row" }, el("label", { for: "w-" + k.id }, k.id)),
      el("td", {}, input), el("td", {}, k.unit), el("td", { class: "num" }, `${k.min} – ${k.max}`),
      el("td", { class: "num" }, String(k.defaultValue)), el("td", { id: "d-" + k.id }, k.description));
  });
  form.append(el("table", {}, el("thead", {}, el("tr", {}, ["knob", "value", "unit", "range", "default", "meaning"]
    .map((h) => el("th", { scope: "col" }, h)))), el("tbody", {}, rows)));
  const out = el("div", { "aria-live": "polite" });
  if (editable) {
    const reason = el("input", { id: "reason", name: "reason", type: "text", size: "60", maxlength: "2000" });
    const previewButton = el("button", { type: "button", id: "preview-button" }, "Preview");
    const applyButton = el("button", { type: "submit", id: "apply-button", disabled: true }, "Apply");
    form.append(el("p", {}, el("label", { for: "reason" }, "Reason for the change "), reason),
      el("p", {}, previewButton, " ", applyButton,
        el("span", { class: "note" }, " Apply is possible once the proposed weights have been previewed.")));
    const proposed = () => {
      const knobs = {};
      for (const [id, input] of Object.entries(inputs)) {
        if (Number(input.value) !== w.weights[id] || id in w.set) knobs[id] = Number(input.value);
      }
      return knobs;
    };
    let previewed = null;
    form.addEventListener("input", (e) => {
      if (e.target !== reason) { previewed = null; applyButton.disabled = true; }
    });
    previewButton.addEventListener("click", () => busy(previewButton, "Solving both…", async () => {
      out.replaceChildren();
      try {
        const knobs = proposed();
        const p = await api("/v1/weights/preview", { method: "POST", body: { weights: knobs, seconds: 2 } });
        previewed = JSON.stringify(knobs);
        applyButton.disabled = false;
        out.append(previewView(p));
      } catch (err) { out.append(el("p", { class: "error", role: "alert" }, err.message)); }
    }));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const knobs = proposed();
      if (previewed !== JSON.stringify(knobs)) { out.replaceChildren(el("p", { class: "error", role: "alert" }, "Preview these weights first.")); return; }
      await busy(applyButton, "Applying…", async () => {
        try {
          const v = await api("/v1/weights", { method: "PUT", body: { weights: knobs, reason: reason.value } });
          out.replaceChildren(el("p", { role: "status", id: "applied" }, `Version ${v.version} is in force.`));
          setTimeout(() => window.dispatchEvent(new HashChangeEvent("hashchange")), 800);
        } catch (err) { out.append(el("p", { class: "error", role: "alert" }, err.message)); }
      });
    });
  } else {
    form.append(el("p", { class: "note" }, "Changing weights needs the operator or admin role."));
  }
  main.append(form, out, el("h3", {}, "History"), table([
    { key: "version", label: "version", num: true }, { key: "createdAt", label: "when" }, { key: "author", label: "author" },
    { key: (v) => Object.entries(v.set).map(([k, x]) => `${k}=${x}`).join(", ") || "(defaults)", label: "knobs set" },
    { key: "reason", label: "reason" }], [...history].reverse()));
}
