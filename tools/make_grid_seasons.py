#!/usr/bin/env python3
"""Cuts real hourly grid series for the carbon benchmark: four seasonal 72-hour windows of 2024 for three zones.

Writes optimizer-service/src/main/resources/grid/seasons-2024.csv with columns
season,zone,at,gPerKWh,usdPerMWh. Sources (see examples/ATTRIBUTION.md): Electricity Maps hourly carbon
intensity (LCA) and wholesale prices, both as collected by HewlettPackard/sustain-cluster.
Rerun: python3 tools/make_grid_seasons.py [DATA_DIR]
"""
import csv, gzip, os, sys
from datetime import datetime, timedelta, timezone

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data')
OUT = os.path.join(os.path.dirname(__file__), '..', 'optimizer-service', 'src', 'main', 'resources', 'grid',
                   'seasons-2024.csv')
ZONES = ['DE-LU', 'US-CAL-CISO', 'US-TEX-ERCO']
SEASONS = {'winter': datetime(2024, 1, 15, tzinfo=timezone.utc), 'spring': datetime(2024, 4, 15, tzinfo=timezone.utc),
           'summer': datetime(2024, 7, 15, tzinfo=timezone.utc), 'autumn': datetime(2024, 10, 14, tzinfo=timezone.utc)}
HOURS = 72

def load(path, time_col, value_col):
    out = {}
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            if row[value_col] == '':
                continue
            t = datetime.strptime(row[time_col][:19], '%Y-%m-%d %H:%M:%S').replace(tzinfo=timezone.utc)
            out[t] = float(row[value_col])
    return out

rows = []
for zone in ZONES:
    carbon = load(f'{DATA}/carbon/electricitymaps-hourly/{zone}_2024_hourly.csv.gz', 'Datetime (UTC)',
                  'Carbon Intensity gCO₂eq/kWh (LCA)')
    price = load(f'{DATA}/power-price/hourly-usd-mwh/{zone}_electricity_prices_2024.csv.gz', 'Datetime (UTC)',
                 'Price (USD/MWh)')
    for season, start in SEASONS.items():
        last_c, last_p = None, None
        for h in range(HOURS):
            t = start + timedelta(hours=h)
            last_c = carbon.get(t, last_c)   # a missing hour repeats the last known value
            last_p = price.get(t, last_p)
            rows.append((season, zone, t.strftime('%Y-%m-%dT%H:%M:%SZ'), round(last_c, 2), round(last_p, 3)))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['season', 'zone', 'at', 'gPerKWh', 'usdPerMWh'])
    w.writerows(rows)
print('wrote', OUT, len(rows), 'rows')
