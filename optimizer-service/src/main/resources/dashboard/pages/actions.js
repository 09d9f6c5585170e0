// Actions: what the service pushed to the cluster (gate releases, evictions, Kueue admissions), or would push in
// dry-run.
import { api, el, table } from "/ui/lib.js";

const STATUSES = ["", "PLANNED", "APPLIED", "DRY_RUN", "FAILED", "SUPERSEDED"];

export default async function render(main) {
  const select = el("select", { id: "status", name: "status" }, STATUSES.map((s) => el("option", { value: s }, s || "any")));
  const out = el("div", { "aria-live": "polite" });
  const load = async () => {
    const list = await api("/v1/actions?limit=200" + (select.value ? "&status=" + select.value : ""));
    out.replaceChildren(list.length ? table([{ key: "id", label: "id", num: true }, { key: "kind", label: "kind" },
      { key: "target", label: "pod or Workload" }, { key: "job", label: "job" }, { key: "nodes", label: "nodes" },
      { key: "dueAt", label: "due" }, { key: "status", label: "status" }, { key: "reason", label: "reason" },
      { key: "attempts", label: "attempts", num: true }, { key: "updatedAt", label: "updated" }], list)
      : el("p", { class: "note" }, "No actions" + (select.value ? " with status " + select.value : "") + ". Actions appear when the "
        + "Kubernetes connector gates pods, a run's moves are applied or Kueue Workloads wait for the carbon-window check "
        + "(kind ADMIT: due is the hour it starts, reason the expected CO2e and cost against starting now); with "
        + "gpuplacer.kubernetes.apply off they end DRY_RUN."));
  };
  select.addEventListener("change", () => load().catch((err) => out.replaceChildren(el("p", { class: "error" }, err.message))));
  main.append(el("h2", {}, "Actions"), el("p", {}, el("label", { for: "status" }, "Status "), select), out);
  await load();
}
