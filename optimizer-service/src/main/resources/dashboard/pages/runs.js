// Runs: optimization runs, the live progress of one (the SSE stream drawn as a score chart) and its plan.
import { api, session, el, fmt, table, busy } from "/ui/lib.js";
import uPlot from "/ui/vendor/uplot/uPlot.esm.js";

/** The soft part of a score like "0hard/-3medium/-12345soft" (micro-USD), and the medium part. */
function parts(score) {
  const m = /(-?\d+)hard\/(-?\d+)medium\/(-?\d+)soft/.exec(score || "");
  return m ? { hard: Number(m[1]), medium: Number(m[2]), soft: Number(m[3]) } : null;
}

/** Reads a server-sent event stream with the token (EventSource cannot send one); calls onEvent(name, data). */
async function stream(path, onEvent, signal) {
  const r = await fetch(path, { headers: { Accept: "text/event-stream", Authorization: "Bearer " + session.get() }, signal });
  if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trim());
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}

function chart(target) {
  const data = [[], [], []];
  const plot = new uPlot({ width: Math.min(900, target.clientWidth || 900), height: 260, title: "Best solution over time",
    scales: { x: { time: false }, soft: {}, medium: {} },
    axes: [{ label: "seconds" }, { scale: "soft", label: "soft score, USD", size: 80 },
      { scale: "medium", side: 1, label: "unplaced work (medium score)", size: 70, grid: { show: false } }],
    series: [{ label: "s" }, { label: "soft score (USD)", scale: "soft", stroke: "#0b5cad", width: 2 },
      { label: "medium score", scale: "medium", stroke: "#b42318", width: 2, dash: [6, 4] }] }, data, target);
  return {
    add(ms, score) {
      const p = parts(score);
      if (!p) return;
      data[0].push(ms / 1000); data[1].push(p.soft / 1e6); data[2].push(p.medium);
      plot.setData(data);
    },
  };
}

async function show(box, id) {
  box.replaceChildren();
  const run = await api("/v1/optimizations/" + id);
  const status = el("p", { id: "run-status", "aria-live": "polite" }, `Run ${run.id}: ${run.status}, score ${run.score || "–"}`);
  const target = el("div", { class: "chart", role: "img", "aria-label": "score of the best solution over time" });
  const rows = [];
  const tableBox = el("div");
  box.append(el("h3", {}, "Run " + run.id), status, target, tableBox);
  const c = chart(target);
  const redraw = () => tableBox.replaceChildren(table([{ key: "s", label: "seconds", num: true, format: (v) => fmt.n(v, 1) },
    { key: "score", label: "score" }, { key: "placed", label: "placed tasks", num: true }], rows, "The chart's points"));
  const done = async () => {
    const final = await api("/v1/optimizations/" + id);
    status.textContent = `Run ${final.id}: ${final.status}, score ${final.score || "–"}`;
    if (final.plan) plan(box, final.plan);
  };
  if (run.status !== "SOLVING") {
    if (run.progress) { c.add(run.progress.elapsedMillis, run.progress.score); rows.push({ s: run.progress.elapsedMillis / 1000, score: run.progress.score, placed: run.progress.placedTasks }); }
    redraw();
    return done();
  }
  await stream(`/v1/optimizations/${id}/events`, (name, p) => {
    c.add(p.elapsedMillis, p.score);
    rows.push({ s: p.elapsedMillis / 1000, score: p.score, placed: p.placedTasks });
    status.textContent = `Run ${id}: ${name === "progress" ? "SOLVING" : name}, best ${p.score}, ${p.placedTasks} of ${p.totalTasks} tasks placed`;
    redraw();
  });
  await done();
}

function plan(box, p) {
  box.append(el("h3", {}, "Plan"),
    el("div", { class: "cards" },
      el("div", { class: "card" }, "CO2e", el("b", {}, fmt.n(p.totals.co2eKg, 1) + " kg")),
      el("div", { class: "card" }, "energy and node cost", el("b", {}, fmt.n(p.totals.energyCostUsd + p.totals.nodeCostUsd, 0) + " USD")),
      el("div", { class: "card" }, "placed", el("b", {}, String(p.placements.length))),
      el("div", { class: "card" }, "unplaced", el("b", {}, String(p.unplaced.length))),
      el("div", { class: "card" }, "moves", el("b", {}, String(p.moves.length)))),
    table([{ key: "job", label: "job" }, { key: "task", label: "task", num: true }, { key: "node", label: "node" },
      { key: (r) => (r.gpus || []).join(", "), label: "GPUs" }, { key: "startSlot", label: "start slot", num: true }],
    p.placements, "Placements"),
    p.moves.length ? table([{ key: "job", label: "job" }, { key: "task", label: "task", num: true },
      { key: "fromNode", label: "from" }, { key: "toNode", label: "to" }], p.moves, "Moves") : null,
    p.unplaced.length ? table([{ key: "job", label: "job" }, { key: "task", label: "task", num: true },
      { key: "reason", label: "why" }], p.unplaced, "Unplaced") : null);
}

export default async function render(main, { can }) {
  main.append(el("h2", {}, "Runs"));
  const detail = el("div", { id: "run" });
  const list = el("div", { id: "runs" });
  const open = (id) => show(detail, id).then(recent)
    .catch((err) => detail.replaceChildren(el("p", { class: "error", role: "alert" }, err.message)));
  const recent = async () => {
    const runs = await api("/v1/optimizations?limit=50");
    list.replaceChildren(runs.length ? table([
      { key: "id", label: "run", format: (v) => { const b = el("button", { type: "button", class: "secondary" }, v); b.addEventListener("click", () => open(v)); return b; } },
      { key: "status", label: "status" }, { key: "score", label: "score" }, { key: "jobs", label: "jobs", num: true },
      { key: "createdAt", label: "started" }], runs) : el("p", { class: "note" }, "No runs yet."));
  };
  if (can("operator", "admin")) {
    const form = el("form", { class: "stack", id: "start" },
      el("label", { for: "jobs" }, "Start a run: job queue (an array of interchange jobs)"),
      el("textarea", { id: "jobs", name: "jobs", rows: "5", spellcheck: "false" }, JSON.stringify([{ id: "batch-1", team: "ml",
        priority: 10, tasks: 2, gpu: { kind: "WHOLE", count: 1 }, cpuMillis: 4000, memoryMiB: 16384, durationHours: 3 }])),
      el("label", { for: "seconds" }, "Seconds"),
      el("input", { id: "seconds", name: "seconds", type: "number", min: "1", max: "600", value: "5" }),
      el("button", { type: "submit" }, "Start"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      await busy(form.querySelector("button"), "Starting…", async () => {
        try {
          const run = await api("/v1/optimizations", { method: "POST", body: { jobs: JSON.parse(form.jobs.value), seconds: Number(form.seconds.value) } });
          await open(run.id);
        } catch (err) { detail.replaceChildren(el("p", { class: "error", role: "alert" }, err.message)); }
      });
    });
    main.append(form);
  }
  main.append(el("h3", {}, "Recent runs"), list, detail);
  await recent();
}
