#!/usr/bin/env python3
"""Writes examples/capacity/: a generated 12-week demand history of two GPU models (H100 training that grows 3 GPUs a
week, with launches of 16-48 GPUs on weekday mornings for ten hours and an end-of-quarter evaluation of 40 GPUs for
two days in week 10; L4 inference following business hours), the fleet of twelve H100 and six L4 nodes it ran on
(demand above the fleet is pending), a catalogue, mean signals, announced growth and the workload's job shapes.
Seeded: the same files every time. Used by docs/capacity.md's worked example."""
import json
import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "examples" / "capacity"
random.seed(7)
start = datetime(2026, 9, 14, tzinfo=timezone.utc)  # a Monday, twelve weeks before 2026-12-07
rows = ["hour,zone,gpuModel,usedGpus,pendingGpus"]
launch = 0
for h in range(12 * 168):
    t = (start + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%SZ")
    dow, hod = (h // 24) % 7, h % 24
    base = 40 + 3 * h / 168 + random.uniform(-3, 3)
    if hod == 8 and dow < 5:
        launch = random.choice([16, 24, 32, 48])
    if hod == 18:
        launch = 0
    evaluation = 40 if 10 * 168 <= h < 10 * 168 + 48 else 0
    demand = base + launch + evaluation
    rows.append(f"{t},DE-LU,H100-80GB,{min(demand, 96):.2f},{max(0, demand - 96):.2f}")
    inference = 12 + 10 * max(0, math.sin(math.pi * (hod - 7) / 12)) if 7 <= hod <= 19 else 12
    rows.append(f"{t},FR,L4,{min(inference, 24):.2f},{max(0, inference - 24):.2f}")
OUT.mkdir(parents=True, exist_ok=True)
(OUT / "history.csv").write_text("\n".join(rows) + "\n")
nodes = [{"id": f"h100-{i}", "zone": "DE-LU", "block": f"leaf-{i // 4}", "gpuModel": "H100-80GB", "gpuCount": 8,
          "cpuMillis": 192000, "memoryMiB": 2097152, "costPerHour": 45, "baseWatts": 1800, "gpuBusyWatts": 630}
         for i in range(12)]
nodes += [{"id": f"l4-{i}", "zone": "FR", "gpuModel": "L4", "gpuCount": 4, "cpuMillis": 64000, "memoryMiB": 262144,
           "costPerHour": 4, "baseWatts": 300, "gpuBusyWatts": 72} for i in range(6)]
docs = {
    "cluster.json": {"zones": [{"id": "DE-LU", "pue": 1.2}, {"id": "FR", "pue": 1.15}, {"id": "SE", "pue": 1.1}],
                     "nodes": nodes, "running": []},
    "catalogue.json": {"nodeTypes": [
        {"id": "p5.48xlarge", "zone": "DE-LU", "gpuModel": "H100-80GB", "gpuCount": 8, "leadTimeWeeks": 16,
         "costPerHour": 55, "baseWatts": 1800, "gpuBusyWatts": 630, "embodiedKgCo2e": 25000, "lifetimeYears": 5},
        {"id": "p5.48xlarge", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8, "leadTimeWeeks": 20,
         "costPerHour": 57, "baseWatts": 1800, "gpuBusyWatts": 630, "embodiedKgCo2e": 25000, "lifetimeYears": 5},
        {"id": "g6.12xlarge", "zone": "FR", "gpuModel": "L4", "gpuCount": 4, "leadTimeWeeks": 4, "costPerHour": 4.6,
         "baseWatts": 300, "gpuBusyWatts": 72, "embodiedKgCo2e": 3000, "lifetimeYears": 5}]},
    "signals.json": {"zones": {z: {"carbon": [{"at": "2026-12-07T00:00:00Z", "gPerKWh": g}],
                                   "price": [{"at": "2026-12-07T00:00:00Z", "usdPerMWh": p}]}
                               for z, g, p in [("DE-LU", 380, 95), ("SE", 35, 45), ("FR", 55, 70)]}},
    "growth.json": [{"team": "vision", "gpuModel": "H100-80GB", "gpus": 16, "from": "2027-02-01T00:00:00Z"}],
    "jobs.json": {"now": "2026-12-07T00:00:00Z", "jobs": [
        {"id": "train", "team": "nlp", "priority": 100, "tasks": 2, "gpu": {"kind": "WHOLE", "count": 8},
         "cpuMillis": 32000, "memoryMiB": 262144, "topology": "BLOCK", "durationHours": 10},
        {"id": "ft", "team": "nlp", "priority": 50, "tasks": 1, "gpu": {"kind": "WHOLE", "count": 4},
         "cpuMillis": 16000, "memoryMiB": 131072, "durationHours": 4},
        {"id": "dev", "team": "research", "priority": 10, "tasks": 1, "gpu": {"kind": "WHOLE", "count": 1},
         "cpuMillis": 4000, "memoryMiB": 32768, "durationHours": 2},
        {"id": "serve", "team": "inference", "priority": 200, "tasks": 1, "gpu": {"kind": "WHOLE", "count": 1},
         "cpuMillis": 4000, "memoryMiB": 16384, "gpuModels": ["L4"], "durationHours": 1}]},
}
for name, doc in docs.items():
    (OUT / name).write_text(json.dumps(doc, indent=1) + "\n")
print("wrote", OUT)
