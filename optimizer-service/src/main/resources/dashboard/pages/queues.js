// Queues, a cohort at a time: each queue's quota, use, borrowing and lending now; its use against its quota hour
// by hour (from the ledger); over the period its quota use, borrowing, lending, preemptions and waits; the
// preemptions carried out; and, with Kubernetes, each waiting pod with why it waits.
import { api, el, fmt, table, busy } from "/ui/lib.js";
import uPlot from "/ui/vendor/uplot/uPlot.esm.js";

const COLORS = ["#0b5cad", "#b42318", "#067647", "#8a4baf", "#b54708", "#344054"];

function isoHour(d) { return new Date(Math.floor(d / 3600000) * 3600000).toISOString().replace(".000Z", "Z"); }

/** Cohorts by name; a queue of no cohort is a cohort of its own. */
function cohorts(queues) {
  const out = new Map();
  for (const q of queues) {
    const name = q.cohort || q.id + " (alone)";
    if (!out.has(name)) out.set(name, []);
    out.get(name).push(q);
  }
  return out;
}

function nominal(q) { return q.flavors.reduce((s, f) => s + f.nominalGpus, 0); }

function now(box, queues) {
  const rows = queues.flatMap((q) => q.flavors.map((f) => ({ queue: q.id, share: q.weightedShare, ...f,
    pending: q.pending ? `${q.pending.pods} pods, ${fmt.n(q.pending.gpus, 1)} GPUs` : "–",
    oldest: q.pending && q.pending.oldestWaitHours !== null ? fmt.n(q.pending.oldestWaitHours, 1) + " h" : "–" })));
  box.append(el("h3", {}, "Now"), table([{ key: "queue", label: "queue" }, { key: "flavor", label: "flavor" },
    { key: "nominalGpus", label: "nominal", num: true, format: (v) => fmt.n(v, 1) },
    { key: "usedGpus", label: "used", num: true, format: (v) => fmt.n(v, 1) },
    { key: "borrowedGpus", label: "borrowed", num: true, format: (v) => fmt.n(v, 1) },
    { key: "lentGpus", label: "lent", num: true, format: (v) => fmt.n(v, 1) },
    { key: "share", label: "weighted share", num: true, format: (v) => fmt.n(v, 0) },
    { key: "pending", label: "waiting" }, { key: "oldest", label: "oldest wait" }], rows,
  "GPUs per flavor; the weighted share is Kueue's (what it borrows per 1000 lent, over its weight)"));
}

function overTime(box, queues, rows) {
  const ids = queues.map((q) => q.id);
  const hours = [...new Set(rows.filter((r) => ids.includes(r.queue)).map((r) => r.hour))].sort();
  box.append(el("h3", {}, "Use against quota, hour by hour"));
  if (!hours.length) {
    box.append(el("p", { class: "note" }, "The ledger has no hours of this cohort's work in the period yet."));
    return;
  }
  const used = new Map(rows.map((r) => [r.queue + "|" + r.hour, r.gpuHours]));
  const x = hours.map((h) => Date.parse(h) / 1000);
  const series = [{}];
  const data = [x];
  queues.forEach((q, i) => {
    const color = COLORS[i % COLORS.length];
    series.push({ label: q.id + " used", stroke: color, width: 2 });
    data.push(hours.map((h) => used.get(q.id + "|" + h) || 0));
    series.push({ label: q.id + " nominal", stroke: color, dash: [6, 4], width: 1 });
    data.push(hours.map(() => nominal(q)));
  });
  const target = el("div", { class: "chart", id: "quota-chart", role: "img",
    "aria-label": "GPUs used per hour by each queue of the cohort, against its nominal quota (dashed); the table below has every value" });
  box.append(target);
  new uPlot({ width: Math.min(900, target.clientWidth || 900), height: 260, scales: { x: { time: true } },
    axes: [{}, { label: "GPUs (GPU-hours per hour)", size: 70 }], series }, data, target);
  const tableRows = hours.map((h) => ({ hour: h, ...Object.fromEntries(ids.map((id) => [id, used.get(id + "|" + h) || 0])) }));
  box.append(el("details", {}, el("summary", {}, "The table behind the chart"),
    table([{ key: "hour", label: "hour" }, ...ids.map((id) => ({ key: id, label: id + " GPUs", num: true,
      format: (v) => fmt.n(v, 2) }))], tableRows)));
}

function period(box, queues, report) {
  const ids = queues.map((q) => q.id);
  const rows = report.queues.filter((r) => ids.includes(r.queue));
  box.append(el("h3", {}, "Over the period"), table([{ key: "queue", label: "queue" },
    { key: "usedGpuHours", label: "GPU-h used", num: true, format: (v) => fmt.n(v, 1) },
    { key: "nominalGpuHours", label: "GPU-h nominal", num: true, format: (v) => fmt.n(v, 1) },
    { key: "quotaUse", label: "quota use", num: true, format: (v) => fmt.pct(v) },
    { key: "borrowedGpuHours", label: "borrowed GPU-h", num: true, format: (v) => fmt.n(v, 1) },
    { key: "lentGpuHours", label: "lent GPU-h", num: true, format: (v) => fmt.n(v, 1) },
    { key: "preemptions", label: "preempted", num: true },
    { key: "lostGpuHours", label: "lost GPU-h", num: true, format: (v) => fmt.n(v, 2) },
    { key: "waitMeanHours", label: "mean wait h", num: true, format: (v) => fmt.n(v, 1) },
    { key: "waitP95Hours", label: "p95 wait h", num: true, format: (v) => fmt.n(v, 1) },
    { key: "co2eKg", label: "kg CO2e", num: true, format: (v) => fmt.n(v, 2) }], rows),
  el("details", {}, el("summary", {}, "How these are worked out"), el("p", {}, report.method)));
}

function preemptions(box, queues, actions) {
  const ids = queues.map((q) => q.id);
  const rows = actions.filter((a) => a.kind === "PREEMPT" && ids.includes(a.victimQueue));
  box.append(el("h3", {}, "Preemptions"));
  box.append(rows.length ? table([{ key: "updatedAt", label: "when" }, { key: "target", label: "pod" },
    { key: "victimQueue", label: "queue" }, { key: "forJob", label: "for" }, { key: "preemptionReason", label: "rule" },
    { key: "status", label: "status" }, { key: "reason", label: "what happened" }], rows)
    : el("p", { class: "note" }, "No preemption of this cohort's work among the latest actions."));
}

async function waiting(box, queues) {
  box.append(el("h3", {}, "Waiting, and why"));
  if (queues.some((q) => q.pending === null)) { // no Kubernetes connection: the service sees no pending pods
    box.append(el("p", { class: "note", id: "no-waiting" }, "Pending pods and why they wait are known with a Kubernetes connection only."));
    return;
  }
  for (const q of queues) {
    const w = await api(`/v1/queues/${encodeURIComponent(q.id)}/waiting`);
    box.append(el("h4", {}, `${q.id}: ${w.waiting.length} waiting`));
    if (w.waiting.length) {
      box.append(table([{ key: "pod", label: "pod" }, { key: "gpus", label: "GPUs", num: true, format: (v) => fmt.n(v, 2) },
        { key: "waitHours", label: "waited h", num: true, format: (v) => fmt.n(v, 1) }, { key: "why", label: "why it waits" }],
      w.waiting));
    }
  }
}

async function load(box, cohort, queues, from, to) {
  box.replaceChildren(el("p", { class: "note" }, "Loading…"));
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const [hourly, report, actions] = await Promise.all([api(`/v1/reports/emissions?${q}&groupBy=queue,hour`),
    api(`/v1/reports/queues?${q}`), api("/v1/actions?limit=500")]);
  box.replaceChildren(el("p", { class: "note" }, `Cohort ${cohort}: ${queues.map((q) => q.id).join(", ")}`));
  now(box, queues);
  overTime(box, queues, hourly.rows);
  period(box, queues, report);
  preemptions(box, queues, actions);
  await waiting(box, queues);
}

export default async function render(main) {
  const state = await api("/v1/queues");
  main.append(el("h2", {}, "Queues"));
  if (!state.queues.length) {
    main.append(el("p", { class: "note" }, "The cluster state has no queues (contract section 9): set them in the "
      + "cluster document, or with Kubernetes in gpuplacer.kubernetes.queues-file."));
    return;
  }
  const groups = cohorts(state.queues);
  const t = Date.now();
  const form = el("form", { id: "cohort-form" },
    el("label", { for: "cohort" }, "Cohort "), el("select", { id: "cohort", name: "cohort" },
      [...groups.keys()].map((c) => el("option", { value: c }, c))), " ",
    el("label", { for: "from" }, "from "), el("input", { id: "from", name: "from", value: isoHour(t - 2 * 86400000), size: "22" }), " ",
    el("label", { for: "to" }, "to "), el("input", { id: "to", name: "to", value: isoHour(t + 3600000), size: "22" }), " ",
    el("button", { type: "submit" }, "Show"));
  const box = el("div", { id: "cohort-view", "aria-live": "polite" });
  const show = () => busy(form.querySelector("button"), "Loading…", () => load(box, form.cohort.value,
    groups.get(form.cohort.value), form.from.value, form.to.value)
    .catch((err) => box.replaceChildren(el("p", { class: "error", role: "alert" }, err.message))));
  form.addEventListener("submit", (e) => { e.preventDefault(); show(); });
  main.append(form, box);
  await show();
}
