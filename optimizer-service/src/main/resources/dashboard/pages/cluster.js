// Cluster: nodes by zone and network block, each GPU a cell showing how it is used; per zone the intensity and
// price in force with their age; the cluster's GPU allocation and stranded share; idle GPUs telemetry found.
import { api, el, fmt, table } from "/ui/lib.js";

const MIG_SLICES = 7;

/** Per GPU of the node: {whole: task, shared: [tasks], mig: [{task, start, size}]}. */
function gpuUse(node, running) {
  const gpus = Array.from({ length: node.gpuCount }, () => ({ whole: null, shared: [], mig: [] }));
  for (const t of running) {
    if (t.node !== node.id) continue;
    for (const g of t.gpus || []) {
      if (!gpus[g]) continue;
      if (t.gpu.kind === "WHOLE") gpus[g].whole = t;
      else if (t.gpu.kind === "SHARED") gpus[g].shared.push(t);
      else if (t.gpu.kind === "MIG") gpus[g].mig.push({ task: t, start: t.migStart || 0, size: migSize(t.gpu.profile) });
    }
  }
  return gpus;
}

function migSize(profile) {
  const m = /^(\d+)g\./.exec(profile || "");
  return m ? Number(m[1]) : 1;
}

function gpuCell(node, i, use) {
  const who = [];
  let cell;
  if (use.whole) {
    who.push(`${use.whole.job} #${use.whole.task} (whole)`);
    cell = el("div", { class: "gpu whole" }, el("span", {}, String(i)));
  } else {
    cell = el("div", { class: "gpu" });
    if (node.migEnabled) {
      for (const m of use.mig) {
        who.push(`${m.task.job} #${m.task.task} (MIG ${m.task.gpu.profile})`);
        cell.append(el("div", { class: "mig", style: `left:${100 * m.start / MIG_SLICES}%;width:${100 * m.size / MIG_SLICES}%` }));
      }
    } else {
      const milli = use.shared.reduce((s, t) => s + t.gpu.milli, 0);
      for (const t of use.shared) who.push(`${t.job} #${t.task} (${t.gpu.milli} milli)`);
      if (milli > 0) cell.append(el("div", { class: "fill", style: `height:${Math.min(100, milli / 10)}%` }));
    }
    cell.append(el("span", {}, String(i)));
  }
  const label = `GPU ${i} of ${node.id}: ` + (who.length ? who.join(", ") : "free");
  cell.setAttribute("title", label);
  cell.setAttribute("role", "img");
  cell.setAttribute("aria-label", label);
  return cell;
}

function nodeBox(node, running, idle) {
  const tags = [node.gpuModel || "no GPU", node.capacityType === "SPOT" ? "spot" : node.capacityType === "RESERVED" ? "reserved" : null,
    node.alwaysOn ? "always on" : null];
  const marks = [];
  if (node.healthy === false) marks.push(el("span", { class: "bad" }, "unhealthy"));
  if (node.schedulable === false) marks.push(el("span", { class: "bad" }, "cordoned"));
  const uses = gpuUse(node, running);
  const box = el("div", { class: "node" + (node.healthy === false ? " unhealthy" : "") + (node.schedulable === false ? " cordoned" : ""),
    "data-node": node.id },
    el("div", { class: "id" }, node.id),
    el("div", { class: "tags" }, tags.filter(Boolean).join(" · "), marks.length ? " · " : "", ...marks.flatMap((m, k) => k ? [" · ", m] : [m]),
      node.migEnabled ? " · MIG" : ""),
    el("div", { class: "gpus" }, uses.map((u, i) => gpuCell(node, i, u))));
  const idleHere = idle.filter((t) => t.node === node.id);
  if (idleHere.length) box.append(el("div", { class: "tags" }, el("span", { class: "bad" },
    "idle but allocated: " + idleHere.map((t) => `${t.job} GPUs ${t.gpus.join(",")}`).join("; "))));
  return box;
}

function shareOf(t) {
  if (t.gpu.kind === "WHOLE") return t.gpu.count;
  if (t.gpu.kind === "SHARED") return t.gpu.milli / 1000;
  if (t.gpu.kind === "MIG") return migSize(t.gpu.profile) / MIG_SLICES;
  return 0;
}

/** The point in force at the current hour: the last at or before now. */
function inForce(points) {
  const now = Date.now();
  let best = null;
  for (const p of points || []) if (Date.parse(p.at) <= now) best = p;
  return best;
}

export default async function render(main) {
  const [cluster, signals, telemetry, status, versions] = await Promise.all([api("/v1/cluster"), api("/v1/signals"),
    api("/v1/telemetry").catch(() => null), api("/v1/signals/status"), api("/v1/state/versions?kind=signals&limit=1")]);
  // Freshness: a configured source's last answer, else when the signals were last PUT.
  const put = versions.length ? `as PUT by ${versions[0].createdBy} ${fmt.ago(versions[0].createdAt)}` : "from the bundled example";
  const freshness = (zone, signal) => {
    const src = status.sources.find((x) => x.zone === zone && x.signal === signal);
    if (!src) return put;
    return `from ${src.provider}, fetched ${fmt.ago(src.lastSuccess)}` + (src.lastError ? `; last try failed: ${src.lastError}` : "")
      + (src.estimatedHours ? `; ${src.estimatedHours} h of the horizon estimated` : "");
  };
  const running = cluster.running || [];
  const nodes = cluster.nodes || [];
  const gpus = nodes.filter((n) => n.healthy !== false).reduce((s, n) => s + n.gpuCount, 0);
  const used = running.reduce((s, t) => s + shareOf(t), 0);
  // Stranded: the free part of GPUs partly used by shared tasks, which no whole-GPU task can use.
  let stranded = 0;
  for (const n of nodes) {
    if (n.migEnabled) continue;
    for (const u of gpuUse(n, running)) {
      const milli = u.shared.reduce((s, t) => s + t.gpu.milli, 0);
      if (!u.whole && milli > 0 && milli < 1000) stranded += (1000 - milli) / 1000;
    }
  }
  const idle = Object.values((telemetry && telemetry.idleByTeam) || {}).flat();
  main.append(el("h2", {}, "Cluster"),
    el("div", { class: "cards" },
      el("div", { class: "card" }, "Nodes", el("b", { id: "node-count" }, String(nodes.length))),
      el("div", { class: "card" }, "GPU allocation", el("b", {}, fmt.pct(gpus ? used / gpus : 0)),
        el("span", { class: "note" }, `${fmt.n(used)} of ${gpus} healthy GPUs`)),
      el("div", { class: "card" }, "Stranded (fragmentation)", el("b", {}, fmt.n(stranded) + " GPU"),
        el("span", { class: "note" }, "free parts of shared GPUs: a whole-GPU job cannot use them")),
      el("div", { class: "card" }, "Idle but allocated", el("b", {}, telemetry && telemetry.inForce ? String(idle.length) : "–"),
        el("span", { class: "note" }, telemetry && telemetry.configured ? (telemetry.inForce ? "from GPU telemetry" : "telemetry not in force")
          : "GPU telemetry not configured"))),
    el("div", { class: "legend", "aria-hidden": "true" },
      el("span", {}, el("i", { style: "background:var(--free)" }), "free"),
      el("span", {}, el("i", { style: "background:var(--whole)" }), "whole GPU"),
      el("span", {}, el("i", { style: "background:var(--shared)" }), "shared (fill = share used)"),
      el("span", {}, el("i", { style: "background:var(--mig)" }), "MIG slices"),
      el("span", {}, "red border: unhealthy · dashed: cordoned")));
  for (const zone of cluster.zones || []) {
    const z = (signals.zones || {})[zone.id] || {};
    const carbon = inForce(z.carbon);
    const price = inForce(z.price);
    const section = el("section", { class: "zone", "aria-label": "zone " + zone.id },
      el("h3", {}, `Zone ${zone.id}`),
      el("p", {}, `PUE ${zone.pue} · carbon intensity `,
        el("b", {}, carbon ? `${fmt.n(carbon.gPerKWh, 0)} g/kWh` : "no value"),
        carbon ? ` (${carbon.provider ? carbon.provider + ", " : ""}${carbon.estimated ? "estimated, " : ""}${freshness(zone.id, "carbon")})` : "",
        " · power price ", el("b", {}, price ? `${fmt.n(price.usdPerMWh, 1)} USD/MWh` : "no value"),
        price ? ` (${freshness(zone.id, "price")})` : ""));
    const blocks = new Map();
    for (const n of nodes.filter((n) => n.zone === zone.id)) {
      const b = n.block || "(no block)";
      if (!blocks.has(b)) blocks.set(b, []);
      blocks.get(b).push(n);
    }
    for (const [b, list] of blocks) {
      section.append(el("div", { class: "block" }, el("div", { class: "note" }, `network block ${b}`),
        el("div", { class: "nodes" }, list.map((n) => nodeBox(n, running, idle)))));
    }
    main.append(section);
  }
  if (idle.length) {
    main.append(el("h3", {}, "Idle but allocated GPUs"), table([
      { key: "team", label: "team" }, { key: "job", label: "job" }, { key: "node", label: "node" },
      { key: (r) => r.gpus.join(", "), label: "GPUs" }, { key: "peakUtilization", label: "peak utilisation", num: true, format: (v) => fmt.pct(v) }],
    idle));
  }
}
