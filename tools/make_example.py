#!/usr/bin/env python3
"""Builds examples/ (cluster.json, jobs.json, signals.json) for the bundled example.

The signals are real hourly series cut from the data folder (see examples/ATTRIBUTION.md):
Electricity Maps carbon intensity (LCA) and wholesale prices for three grid zones, 48 hours from
2024-03-18T00:00Z, which is also the example's `now`. Rerun: python3 tools/make_example.py [DATA_DIR]
"""
import csv, gzip, io, json, os, sys
from datetime import datetime, timedelta, timezone

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data')
OUT = os.path.join(os.path.dirname(__file__), '..', 'examples')
NOW = datetime(2024, 3, 18, tzinfo=timezone.utc)
HOURS = 48
ZONES = {'DE-LU': 1.2, 'US-CAL-CISO': 1.15, 'US-TEX-ERCO': 1.3}

def iso(t):
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')

def series(path, time_col, value_col):
    out = {}
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            t = datetime.strptime(row[time_col][:19], '%Y-%m-%d %H:%M:%S').replace(tzinfo=timezone.utc)
            if NOW <= t < NOW + timedelta(hours=HOURS) and row[value_col] != '':
                out[t] = float(row[value_col])
    return [{'at': iso(t), 'v': round(v, 3)} for t, v in sorted(out.items())]

signals = {'zones': {}}
for zone in ZONES:
    carbon = series(f'{DATA}/carbon/electricitymaps-hourly/{zone}_2024_hourly.csv.gz', 'Datetime (UTC)',
                    'Carbon Intensity gCO₂eq/kWh (LCA)')
    price = series(f'{DATA}/power-price/hourly-usd-mwh/{zone}_electricity_prices_2024.csv.gz', 'Datetime (UTC)',
                   'Price (USD/MWh)')
    signals['zones'][zone] = {'carbon': [{'at': p['at'], 'gPerKWh': p['v']} for p in carbon],
                              'price': [{'at': p['at'], 'usdPerMWh': p['v']} for p in price]}

def node(id, zone, model, gpus, cpu, mem, cost, base, busy, **extra):
    n = {'id': id, 'zone': zone, 'gpuModel': model, 'gpuCount': gpus, 'cpuMillis': cpu, 'memoryMiB': mem,
         'capacityType': 'ON_DEMAND', 'interruptionPerHour': 0.0, 'costPerHour': cost, 'baseWatts': base,
         'gpuBusyWatts': busy, 'migEnabled': False, 'alwaysOn': False, 'healthy': True, 'schedulable': True}
    n.update(extra)
    return n

nodes = []
for i in range(1, 9):   # H100 SXM, one NVLink domain of 8, Germany, two racks in one leaf block
    nodes.append(node(f'h100-{i:03d}', 'DE-LU', 'H100-80GB', 8, 192000, 2097152, 98.32, 1800, 630,
                      rack='r01' if i <= 4 else 'r02', block='leaf-01',
                      nvlinkIslands=[[0, 1, 2, 3, 4, 5, 6, 7]], healthy=(i != 8)))
for i in range(9, 13):  # H100 in California, second block
    nodes.append(node(f'h100-{i:03d}', 'US-CAL-CISO', 'H100-80GB', 8, 192000, 2097152, 98.32, 1800, 630,
                      rack='r03', block='leaf-02', nvlinkIslands=[[0, 1, 2, 3, 4, 5, 6, 7]]))
for i in range(1, 3):   # H100 spot pool
    nodes.append(node(f'h100-spot-{i}', 'US-CAL-CISO', 'H100-80GB', 8, 192000, 2097152, 39.0, 1800, 630,
                      rack='r04', block='leaf-02', capacityType='SPOT', interruptionPerHour=0.06))
for i in range(1, 4):   # A100 with MIG
    nodes.append(node(f'a100-mig-{i}', 'US-CAL-CISO', 'A100-80GB', 8, 128000, 1048576, 40.97, 1500, 350,
                      rack='r05', block='leaf-03', migEnabled=True))
for i in range(1, 3):   # A100 whole GPUs, two NVLink islands of four
    nodes.append(node(f'a100-{i}', 'US-TEX-ERCO', 'A100-80GB', 8, 128000, 1048576, 40.97, 1500, 350,
                      rack='r06', block='leaf-04', nvlinkIslands=[[0, 1, 2, 3], [4, 5, 6, 7]]))
for i in range(1, 5):   # L4 pairs
    nodes.append(node(f'l4-{i:03d}', 'US-TEX-ERCO', 'L4', 4, 48000, 196608, 3.40, 400, 55,
                      rack='r07', block='leaf-04', nvlinkIslands=[[0, 1], [2, 3]], schedulable=(i != 4)))
for i in range(1, 5):   # T4 spot pool
    nodes.append(node(f't4-spot-{i}', 'US-TEX-ERCO', 'T4', 4, 64000, 262144, 0.62, 300, 50,
                      rack='r08', block='leaf-04', nvlinkIslands=[[0, 1], [2, 3]], capacityType='SPOT',
                      interruptionPerHour=0.04))
for i in range(1, 3):   # CPU-only
    nodes.append(node(f'cpu-{i}', 'DE-LU', '', 0, 128000, 524288, 4.10, 350, 0, rack='r09', block='leaf-01',
                      alwaysOn=(i == 1)))

def job_fields(team, priority, gpu, cpu, mem, models=(), topology='ANY', preemptible=False, ckpt=30, restart=5,
               util=0.8):
    return {'team': team, 'priority': priority, 'gpu': gpu, 'cpuMillis': cpu, 'memoryMiB': mem,
            'gpuModels': list(models), 'topology': topology, 'preemptible': preemptible,
            'checkpointMinutes': ckpt, 'restartMinutes': restart, 'utilization': util}

WHOLE = lambda n: {'kind': 'WHOLE', 'count': n}
SHARED = lambda m: {'kind': 'SHARED', 'milli': m}
MIG = lambda p: {'kind': 'MIG', 'profile': p}
NONE = {'kind': 'NONE'}

def running(job, task, node, gpus, remaining, migratable, fields, mig_start=None):
    r = {'job': job, 'task': task, 'node': node, 'gpus': gpus, 'migStart': mig_start, 'remainingHours': remaining,
         'migratable': migratable}
    r.update(fields)
    return r

cluster = {'zones': [{'id': z, 'pue': p} for z, p in ZONES.items()], 'nodes': nodes, 'running': [
    running('train-7', 0, 'h100-001', [0, 1, 2, 3], 5.5, True,
            job_fields('nlp', 100, WHOLE(4), 16000, 65536, ['H100-80GB'], 'ISLAND', True, 30, 5, 0.9)),
    running('finetune-3', 0, 'h100-008', [0, 1], 3.0, True,
            job_fields('vision', 80, WHOLE(2), 8000, 32768, ['H100-80GB'], 'NODE', True, 20, 5, 0.85)),
    running('legacy-eval', 0, 'h100-008', [4], 2.0, False,
            job_fields('research', 20, WHOLE(1), 4000, 16384, [], 'ANY', False, 0, 2, 0.5)),
    running('serve-chat', 0, 'l4-001', [0], 30.0, False,
            job_fields('inference', 200, SHARED(500), 4000, 16384, ['L4'], 'ANY', False, 0, 1, 0.6)),
    running('notebook-12', 0, 'a100-mig-1', [0], 8.0, False,
            job_fields('research', 30, MIG('3g.40gb'), 2000, 16384, ['A100-80GB'], 'ANY', False, 0, 1, 0.3),
            mig_start=0),
]}

def job(id, tasks, duration, fields, earliest=None, deadline=None):
    j = {'id': id, 'tasks': tasks, 'durationHours': duration}
    j.update(fields)
    j['earliestStart'] = iso(NOW + timedelta(hours=earliest)) if earliest is not None else None
    j['deadline'] = iso(NOW + timedelta(hours=deadline)) if deadline is not None else None
    return j

jobs = {'now': iso(NOW), 'horizonHours': HOURS, 'jobs': [
    job('train-42', 2, 6.0, job_fields('nlp', 100, WHOLE(8), 64000, 524288, ['H100-80GB'], 'BLOCK', True, 30, 5, 0.9)),
    job('pretrain-big', 3, 12.0, job_fields('nlp', 150, WHOLE(8), 64000, 524288, ['H100-80GB'], 'RACK', False, 60, 10,
                                             0.95), deadline=40),
    job('rl-sweep', 4, 2.0, job_fields('rl', 40, WHOLE(1), 8000, 32768, [], 'NODE', True, 10, 2, 0.7)),
    job('moe-island', 1, 4.0, job_fields('nlp', 90, WHOLE(4), 16000, 131072, ['H100-80GB', 'A100-80GB'], 'ISLAND',
                                          False, 30, 5, 0.9)),
    job('a100-pair', 2, 3.0, job_fields('vision', 60, WHOLE(2), 8000, 65536, ['A100-80GB'], 'ISLAND', False, 20, 5, 0.8)),
    job('batch-embed', 1, 5.0, job_fields('search', 30, WHOLE(2), 8000, 32768, [], 'ANY', True, 15, 3, 0.7),
        deadline=30),
    job('nightly-eval', 1, 3.0, job_fields('research', 25, WHOLE(1), 4000, 16384, ['H100-80GB'], 'ANY', True, 10, 2,
                                           0.6), earliest=2, deadline=24),
    job('render-frames', 2, 8.0, job_fields('media', 20, WHOLE(1), 4000, 16384, ['T4', 'L4'], 'ANY', True, 5, 1, 0.9),
        deadline=36),
    job('mig-notebook-1', 1, 8.0, job_fields('research', 30, MIG('1g.10gb'), 2000, 8192, ['A100-80GB'])),
    job('mig-notebook-2', 1, 8.0, job_fields('research', 30, MIG('1g.10gb'), 2000, 8192, ['A100-80GB'])),
    job('mig-infer-a', 3, 24.0, job_fields('inference', 120, MIG('2g.20gb'), 4000, 16384, ['A100-80GB'], 'ANY', False,
                                           0, 1, 0.5)),
    job('mig-train-small', 1, 6.0, job_fields('vision', 50, MIG('3g.40gb'), 8000, 32768, ['A100-80GB'])),
    job('mig-tiny-batch', 1, 2.0, job_fields('search', 10, MIG('1g.10gb'), 1000, 4096, ['A100-80GB']), deadline=20),
    job('serve-rank', 2, 48.0, job_fields('inference', 200, SHARED(300), 4000, 16384, ['L4'], 'ANY', False, 0, 1, 0.5)),
    job('serve-asr', 1, 48.0, job_fields('inference', 180, SHARED(250), 4000, 16384, ['L4', 'T4'], 'ANY', True, 0, 1,
                                         0.4)),
    job('dev-shared', 3, 4.0, job_fields('research', 15, SHARED(100), 1000, 4096, [], 'ANY', True, 0, 1, 0.2)),
    job('video-transcode', 4, 6.0, job_fields('media', 10, SHARED(500), 2000, 8192, ['T4'], 'ANY', True, 5, 1, 0.7),
        deadline=30),
    job('etl-nightly', 1, 4.0, job_fields('data', 10, NONE, 32000, 131072), deadline=24),
    job('feature-build', 2, 2.0, job_fields('data', 15, NONE, 16000, 65536)),
    job('log-compact', 1, 1.0, job_fields('platform', 5, NONE, 8000, 16384, preemptible=True), deadline=12),
    job('want-h200', 1, 2.0, job_fields('nlp', 50, WHOLE(8), 16000, 65536, ['H200-141GB'])),
    job('too-late', 1, 10.0, job_fields('research', 10, WHOLE(1), 4000, 16384), deadline=6),
]}

os.makedirs(OUT, exist_ok=True)
for name, doc in (('cluster.json', cluster), ('jobs.json', jobs), ('signals.json', signals)):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(doc, f, indent=2)
        f.write('\n')
print('wrote', OUT)
