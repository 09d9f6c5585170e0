// Emissions: hourly CO2e stacked by team (the service's chart, with the counterfactual as a dashed line), the
// grid intensity the ledger used as a heat map (hour x zone), actual against the counterfactual, and the table
// behind each with a CSV download.
import { api, el, fmt, table, csv, download, busy, blob } from "/ui/lib.js";

function isoHour(d) { return new Date(Math.floor(d / 3600000) * 3600000).toISOString().replace(".000Z", "Z"); }

/** White to dark red by intensity; text stays readable (dark on light cells, white on dark ones). */
function heat(g, max) {
  const t = max > 0 ? Math.min(1, g / max) : 0;
  const light = Math.round(97 - 62 * t);
  return `background:hsl(8,70%,${light}%);color:${light < 55 ? "#fff" : "#1b1f24"}`;
}

async function load(out, from, to, group) {
  out.replaceChildren(el("p", { class: "note" }, "Loading…"));
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const [report, byZoneHour, svg, csvUrl] = await Promise.all([
    api(`/v1/reports/emissions?${q}&groupBy=${group},hour`),
    api(`/v1/reports/emissions?${q}&groupBy=zone,hour`),
    blob(`/v1/reports/emissions/chart.svg?${q}&groupBy=${group}`, "image/svg+xml"),
    blob(`/v1/reports/emissions?${q}&groupBy=${group},hour&format=csv`, "text/csv")]);
  out.replaceChildren();
  const t = report.totals;
  out.append(el("div", { class: "cards" },
    el("div", { class: "card" }, "CO2e", el("b", { id: "total-co2e" }, fmt.n(t.co2eKg, 1) + " kg")),
    el("div", { class: "card" }, "energy", el("b", {}, fmt.n(t.energyKWh, 1) + " kWh")),
    el("div", { class: "card" }, "cost", el("b", {}, fmt.n(t.costUsd, 0) + " USD")),
    el("div", { class: "card" }, "GPU-hours", el("b", {}, fmt.n(t.gpuHours, 1))),
    el("div", { class: "card" }, "on estimated intensity", el("b", {}, fmt.pct(t.estimatedShare)))));

  out.append(el("h3", {}, `Hourly emissions by ${group}`),
    el("figure", { class: "chart" }, el("img", { id: "emissions-chart", src: svg, width: "960", height: "480",
      alt: `Hourly CO2e by ${group} from ${from} to ${to}, ${fmt.n(t.co2eKg, 1)} kg in all; the table below has every value` }),
    el("figcaption", { class: "note" }, "Stacked bars: what ran. Dashed line, when there is one: the cluster had the jobs the savings count run as a carbon-agnostic first fit.")));
  const columns = [{ key: group, label: group }, { key: "hour", label: "hour" },
    { key: "co2eKg", label: "kg CO2e", num: true, format: (v) => fmt.n(v, 3) },
    { key: "energyKWh", label: "kWh", num: true, format: (v) => fmt.n(v, 2) },
    { key: "costUsd", label: "USD", num: true, format: (v) => fmt.n(v, 2) }];
  out.append(el("details", {}, el("summary", {}, `The table behind the chart (${report.rows.length} rows)`),
    el("p", {}, download(`emissions-${group}-hour.csv`, "", "text/csv", "Download CSV")), table(columns, report.rows)));
  out.querySelector("details a").href = csvUrl;

  // Heat map: the intensity the ledger used, per zone and hour (its CO2e over its energy).
  const zones = [...new Set(byZoneHour.rows.map((r) => r.zone))].sort();
  const hours = [...new Set(byZoneHour.rows.map((r) => r.hour))].sort();
  const value = new Map(byZoneHour.rows.filter((r) => r.energyKWh > 0).map((r) => [r.zone + "|" + r.hour, 1000 * r.co2eKg / r.energyKWh]));
  const max = Math.max(0, ...value.values());
  const heatRows = hours.map((h) => ({ hour: h, ...Object.fromEntries(zones.map((z) => [z, value.get(z + "|" + h)])) }));
  const heatColumns = [{ key: "hour", label: "hour" }, ...zones.map((z) => ({ key: z, label: z + " g/kWh" }))];
  out.append(el("h3", {}, "Grid intensity used (g CO2e/kWh), hour × zone"),
    el("p", {}, download("intensity-zone-hour.csv", csv(heatColumns, heatRows), "text/csv", "Download CSV")),
    el("div", { style: "overflow-x:auto" }, el("table", { class: "heat", id: "heat" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "day / hour (UTC)"), ...zones.map((z) => el("th", { scope: "col" }, z)))),
      el("tbody", {}, heatRows.map((r) => el("tr", {}, el("th", { scope: "row" }, r.hour.replace("T", " ").replace(":00:00Z", "h")),
        ...zones.map((z) => r[z] === undefined ? el("td", {}, "–") : el("td", { style: heat(r[z], max) }, fmt.n(r[z], 0)))))))));

  const s = report.savings;
  const sides = [["what ran", s.actual], ["as the counterfactual", s.asCounterfactual], ["saved", s.saved],
    ["perfect foresight (bound)", s.perfectForesight]].map(([side, f]) => ({ side, ...f }));
  const savingColumns = [{ key: "side", label: "" }, { key: "co2eKg", label: "kg CO2e", num: true, format: (v) => fmt.n(v, 2) },
    { key: "energyKWh", label: "kWh", num: true, format: (v) => fmt.n(v, 2) }, { key: "costUsd", label: "USD", num: true, format: (v) => fmt.n(v, 2) }];
  out.append(el("h3", {}, "Actual against the counterfactual"),
    el("p", {}, `${s.jobs} jobs counted (${s.counterfactual}); achieved ${s.achievedShare === null ? "– (nothing could be saved)" : fmt.pct(s.achievedShare)}`
      + ` of what perfect foresight could save; time shifting added ${fmt.n(s.delayHours.total, 2)} h of delay (mean ${fmt.n(s.delayHours.mean, 2)} h).`),
    el("p", {}, download("savings.csv", csv(savingColumns, sides), "text/csv", "Download CSV")),
    table(savingColumns, sides, "Savings, never subtracted from the totals"),
    el("details", {}, el("summary", {}, "How the savings are worked out"), el("p", {}, s.method)));
}

export default async function render(main) {
  const now = Date.now();
  const form = el("form", { id: "period" },
    el("label", { for: "from" }, "From "), el("input", { id: "from", name: "from", value: isoHour(now - 2 * 86400000), size: "22" }), " ",
    el("label", { for: "to" }, "to "), el("input", { id: "to", name: "to", value: isoHour(now + 2 * 3600000), size: "22" }), " ",
    el("label", { for: "group" }, "stacked by "),
    el("select", { id: "group", name: "group" }, ["team", "zone", "node", "gpuModel", "job"].map((g) => el("option", { value: g }, g))), " ",
    el("button", { type: "submit" }, "Show"));
  const out = el("div", { id: "emissions", "aria-live": "polite" });
  const show = () => busy(form.querySelector("button"), "Loading…", () => load(out, form.from.value, form.to.value, form.group.value)
    .catch((err) => out.replaceChildren(el("p", { class: "error", role: "alert" }, err.message))));
  form.addEventListener("submit", (e) => { e.preventDefault(); show(); });
  main.append(el("h2", {}, "Emissions"), form, out);
  await show();
}
