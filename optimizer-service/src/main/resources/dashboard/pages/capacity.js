// Capacity: what to buy, where and when to order it (GET /v1/capacity/plan), the service's chart of history,
// forecast band, capacity and purchases, and the average-based plan's miss beside it.
import { api, el, fmt, table, blob } from "/ui/lib.js";

async function load(out, months) {
  out.replaceChildren(el("p", { class: "note" }, "Loading…"));
  const [plan, svg] = await Promise.all([api(`/v1/capacity/plan?months=${months}`),
    blob(`/v1/capacity/chart.svg?months=${months}`, "image/svg+xml")]);
  out.replaceChildren();
  const nodes = plan.purchases.reduce((n, p) => n + p.count, 0);
  out.append(el("div", { class: "cards" },
    el("div", { class: "card" }, "nodes to buy", el("b", { id: "nodes-to-buy" }, String(nodes))),
    el("div", { class: "card" }, "to retire", el("b", {}, String(plan.retire.length))),
    el("div", { class: "card" }, "cost", el("b", {}, fmt.n(plan.cost.usd, 0) + " USD")),
    el("div", { class: "card" }, "CO2e", el("b", {}, fmt.n(plan.cost.co2eKg + plan.cost.embodiedKgCo2e, 0) + " kg")),
    el("div", { class: "card" }, "average plan leaves waiting", el("b", { id: "average-shortfall" },
      fmt.n(plan.averageBased.shortfallGpuHours, 0) + " GPU-h"))));
  out.append(el("figure", { class: "chart" }, el("img", { id: "capacity-chart", src: svg, width: "960",
    alt: `GPU demand history, forecast band and capacity for ${months} months; ${nodes} node(s) to buy; the tables below have every value` }),
    el("figcaption", { class: "note" }, "Dots: weekly peaks (p95). Line: weekly means. Band: forecast mean to peak. Red step: capacity in place. Triangles: purchases arriving.")));
  out.append(el("h3", {}, "Purchases"), plan.purchases.length ? table([
    { key: "count", label: "count", num: true }, { key: "nodeType", label: "node type" }, { key: "zone", label: "zone" },
    { key: "gpuModel", label: "GPU model" }, { key: "orderBy", label: "order by" }, { key: "arrives", label: "arrives" },
    { key: "reason", label: "why" }], plan.purchases, "What to buy")
    : el("p", { class: "note" }, "Nothing to buy: the fleet holds the forecast peak."));
  if (plan.retire.length) {
    out.append(el("h3", {}, "Retire"), table([{ key: "node", label: "node" }, { key: "zone", label: "zone" },
      { key: "gpuModel", label: "GPU model" }, { key: "reason", label: "why" }], plan.retire));
  }
  const r = plan.replay;
  out.append(el("h3", {}, "The peak week replayed"), el("p", {},
    `Week from ${r.plannedFleet.from}, jobs of ${r.shapes}: ${fmt.pct(r.plannedFleet.unplacedShare)} of the demand finds no place on the planned fleet, ${fmt.pct(r.averageBasedFleet.unplacedShare)} on the average-based one.`));
  out.append(el("details", {}, el("summary", {}, `The forecast (${plan.forecast.length} rows)`), table([
    { key: "month", label: "month" }, { key: "zone", label: "zone" }, { key: "gpuModel", label: "GPU model" },
    { key: "peakGpus", label: "peak GPUs", num: true }, { key: "averageGpus", label: "mean GPUs", num: true },
    { key: "capacityGpus", label: "capacity", num: true }], plan.forecast)));
  for (const w of plan.warnings) out.append(el("p", { class: "note" }, "Warning: " + w));
  out.append(el("p", { class: "note" }, plan.method));
}

export default async function render(main) {
  const select = el("select", { id: "months", name: "months" }, [3, 6, 12, 24].map((m) =>
    el("option", { value: String(m), ...(m === 6 ? { selected: "" } : {}) }, `${m} months`)));
  const out = el("div", { "aria-live": "polite" });
  const show = () => load(out, select.value).catch((err) =>
    out.replaceChildren(el("p", { class: "error", role: "alert" }, err.message)));
  select.addEventListener("change", show);
  main.append(el("h2", {}, "Capacity"), el("p", {}, el("label", { for: "months" }, "Plan "), select), out);
  await show();
}
