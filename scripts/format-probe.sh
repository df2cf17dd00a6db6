#!/usr/bin/env bash
# Probe (not a test): the same generated org delivered in the contract's other formats, with typed
# values (CRM objects as typed JSON lines and Parquet, comms and payouts as Parquet, calls as gzipped
# JSON lines; MODE=parquet: every dataset as Parquet), runs the same nights as the CSV original;
# every table must come out equal (lineage columns aside). Prints each table's comparison and each
# ingest's time and Spark jobs.
#   scripts/format-probe.sh                                (about 6 minutes on 2 cores)
#   MODE=parquet DAYS=60 REPS=10 scripts/format-probe.sh   (a history drop of 60 daily Parquet files per dataset)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="${WORK:-$ROOT/data/format-probe}"
MODE="${MODE:-mixed}"
DAYS="${DAYS:-8}"
REPS="${REPS:-6}"
# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

start=2026-10-27
last=$(date -u -d "$start + $((DAYS - 1)) days" +%F)
first=$(date -u -d "$start + $((DAYS - 2)) days" +%F)
scripts/salespulse generate --out "$WORK/csv" --start-date "$start" --days "$DAYS" --bulk-days $((DAYS - 1)) \
  --reps "$REPS" --seed 5 > "$WORK/generate.log" 2>&1
SALESPULSE_MAIN_SOURCE="$ROOT/scripts/FormatProbe.java" scripts/salespulse convert "$WORK/csv" "$WORK/$MODE" "$MODE" \
  2> "$WORK/convert.log"
for drop in csv "$MODE"; do
  for day in "$first" "$last"; do
    timed "$drop-$day" scripts/salespulse nightly --run-date "$day" --input-root "$WORK/$drop" \
      --warehouse "file://$WORK/warehouse-$drop" "${CONF_ARGS[@]}"
    printf '%-8s %s: %s\n' "$drop" "$day" "$(grep -o 'END step ingest.*' "$WORK/$drop-$day.log" \
      | sed -E 's/.*(spark_jobs=[0-9]+).* in ([0-9]+) ms/ingest \2 ms, \1/')"
  done
done
SALESPULSE_MAIN_SOURCE="$ROOT/scripts/FormatProbe.java" scripts/salespulse compare "file://$WORK/warehouse-csv" \
  "file://$WORK/warehouse-$MODE" 2> "$WORK/compare.log"
