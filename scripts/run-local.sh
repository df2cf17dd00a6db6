#!/usr/bin/env bash
# One-command local run on a fresh machine: builds, generates a drop for a 30-rep org over 14 days,
# runs `nightly` for each date into a local warehouse, prints a summary and writes the HTML report.
# Settings (environment): DATA (default ./data), START_DATE (2026-10-01), DAYS (14), REPS (30), SEED (42).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA="${DATA:-$ROOT/data}"
START_DATE="${START_DATE:-2026-10-01}"
DAYS="${DAYS:-14}"
REPS="${REPS:-30}"
SEED="${SEED:-42}"
END_DATE="$(date -u -d "$START_DATE + $((DAYS - 1)) days" +%F)"

command -v java >/dev/null || { echo "run-local: java 17 is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "run-local: maven is required" >&2; exit 1; }

t0=$(date +%s)
rm -rf "$DATA/input" "$DATA/input-truth" "$DATA/warehouse"
scripts/salespulse generate --out "$DATA/input" --start-date "$START_DATE" --days "$DAYS" --reps "$REPS" --seed "$SEED"
t1=$(date +%s)
scripts/salespulse nightly --run-date "$START_DATE" --to-date "$END_DATE" \
  --input-root "$DATA/input" --warehouse "$DATA/warehouse"
t2=$(date +%s)

echo
echo "== SalesPulse local run: $DAYS nightly runs ($START_DATE .. $END_DATE), $REPS reps =="
scripts/salespulse sql --warehouse "$DATA/warehouse" -f sql/queries/local_run_summary.sql 2>/dev/null \
  | { if command -v column >/dev/null; then column -s, -t; else cat; fi; }
t3=$(date +%s)
scripts/salespulse report --warehouse "$DATA/warehouse" --out "$DATA/report.html" 2>"$DATA/report.log" \
  || { cat "$DATA/report.log" >&2; exit 1; }
t4=$(date +%s)
echo
echo "generate: $((t1 - t0)) s (including build), nightly x $DAYS: $((t2 - t1)) s, report: $((t4 - t3)) s, total: $(( $(date +%s) - t0 )) s"
echo "warehouse: $DATA/warehouse   (query it: scripts/salespulse sql --warehouse $DATA/warehouse -e 'SELECT ...')"
echo "report: $DATA/report.html   (open it in a browser; it needs nothing else)"
