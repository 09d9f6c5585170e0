// Queue and decisions: the work the latest optimization left pending, with why; and "where would this job go?",
// answered by the oracle with its explanations.
import { api, el, fmt, table, busy } from "/ui/lib.js";

const EXAMPLE = { id: "ask-1", team: "ml", priority: 10, tasks: 1, gpu: { kind: "WHOLE", count: 1 }, cpuMillis: 4000,
  memoryMiB: 16384, durationHours: 2, utilization: 0.8 };

function pending(main, run) {
  main.append(el("h3", {}, "Pending work"));
  if (!run) {
    main.append(el("p", { class: "note" }, "No optimization has finished yet: pending work and its reasons come from a run's plan."));
    return;
  }
  const unplaced = (run.plan && run.plan.unplaced) || [];
  main.append(el("p", { class: "note" }, `From optimization ${run.id} (finished ${fmt.ago(run.finishedAt)}, `
    + `${run.jobs} jobs, ${run.tasks} tasks): ${unplaced.length} tasks left unplaced.`));
  if (unplaced.length) {
    main.append(table([{ key: "job", label: "job" }, { key: "task", label: "task", num: true },
      { key: "reason", label: "why it is pending" }], unplaced));
  }
}

function ask(main) {
  const form = el("form", { class: "stack", id: "ask" },
    el("label", { for: "job" }, "Job (interchange job JSON)"),
    el("textarea", { id: "job", name: "job", rows: "9", spellcheck: "false" }, JSON.stringify(EXAMPLE, null, 1)),
    el("label", { for: "limit" }, "How many places"),
    el("input", { id: "limit", name: "limit", type: "number", min: "1", max: "50", value: "3" }),
    el("button", { type: "submit" }, "Where would this job go?"));
  const out = el("div", { id: "answer", "aria-live": "polite" });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    out.replaceChildren();
    let job;
    try { job = JSON.parse(form.job.value); } catch (err) {
      out.append(el("p", { class: "error", role: "alert" }, "The job is not JSON: " + err.message)); return;
    }
    await busy(form.querySelector("button"), "Asking…", async () => {
      try {
        const r = await api("/v1/recommendations", { method: "POST", body: { job, limit: Number(form.limit.value) } });
        answer(out, r);
      } catch (err) {
        out.append(el("p", { class: "error", role: "alert" }, err.message));
      }
    });
  });
  main.append(el("h3", {}, "Where would this job go?"), form, out);
}

function answer(out, r) {
  if (!r.recommendations.length) {
    out.append(el("p", { class: "error" }, "No place now."), el("ul", {}, r.reasons.map((x) => el("li", {}, x))));
    return;
  }
  out.append(el("p", { class: "note" }, `Best first, at weights version ${r.weightsVersion}`
    + (r.complete ? "" : " (the search stopped at its time budget: best found so far)") + "."));
  r.recommendations.forEach((rec, i) => {
    out.append(el("section", { class: "recommendation", "aria-label": `place ${i + 1}` },
      el("h4", {}, `${i + 1}. ${[...new Set(rec.placements.map((p) => p.node))].join(", ")} from ${rec.startsAt}`
        + ` (score change ${rec.scoreDiff})`),
      table([{ key: "task", label: "task", num: true }, { key: "node", label: "node" },
        { key: (p) => (p.gpus || []).join(", "), label: "GPUs" }, { key: "startSlot", label: "start (hours from now)", num: true }],
      rec.placements),
      el("ul", {}, (rec.explanation || []).map((x) => el("li", {}, x)))));
  });
  for (const x of r.reasons || []) out.append(el("p", { class: "note" }, x));
}

export default async function render(main, { can }) {
  main.append(el("h2", {}, "Queue and decisions"));
  if (can("operator", "reporter", "admin")) {
    const runs = await api("/v1/optimizations?limit=20");
    const done = runs.find((r) => r.status === "DONE");
    pending(main, done ? await api("/v1/optimizations/" + done.id) : null);
  }
  if (can("scheduler", "operator", "admin")) ask(main);
  else main.append(el("p", { class: "note" }, "Asking the oracle needs the scheduler, operator or admin role."));
}
