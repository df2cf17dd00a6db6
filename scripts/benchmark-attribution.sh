#!/usr/bin/env bash
# Benchmark of the attribute step (not a test): generates an org, ingests its drops, then times
# `attribute` over the whole period and prints activities per second and the JVM's peak memory.
#   REPS=500 DAYS=30 SCALE=10 scripts/benchmark-attribution.sh      (~1M activities)
# Defaults are small enough for a laptop run; figures go to stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPS="${REPS:-100}"
DAYS="${DAYS:-20}"
SCALE="${SCALE:-2}"
WORK="${WORK:-$ROOT/data/bench}"
START=2026-10-01
END="$(date -u -d "$START + $((DAYS - 1)) days" +%F)"
export SALESPULSE_JAVA_OPTS="${SALESPULSE_JAVA_OPTS:--Xmx12g}"
rm -rf "$WORK"
mkdir -p "$WORK"

t0=$(date +%s.%N)
scripts/salespulse generate --out "$WORK/input" --start-date "$START" --days "$DAYS" --reps "$REPS" --seed 1 \
  --activity-scale "$SCALE" 2> "$WORK/generate.log"
t1=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$WORK/ingest.rss" scripts/salespulse ingest --run-date "$START" --to-date "$END" \
  --input-root "$WORK/input" --warehouse "$WORK/warehouse" 2> "$WORK/ingest.log"
t2=$(date +%s.%N)
# a 400-day re-attribution window makes this one run attribute every activity of the period
cat > "$WORK/bench.properties" <<PROPS
attribution.reattribution-window-days=400
PROPS
/usr/bin/time -f "%M" -o "$WORK/attribute.rss" scripts/salespulse attribute --run-date "$END" \
  --input-root "$WORK/input" --warehouse "$WORK/warehouse" --conf "$WORK/bench.properties" 2> "$WORK/attribute.log"
t3=$(date +%s.%N)
activities=$(scripts/salespulse sql --warehouse "$WORK/warehouse" -e "SELECT count(*) FROM fct_activities" 2>/dev/null | tail -1)
rows=$(grep -o "rows_read=[0-9]*" "$WORK/ingest.log" | cut -d= -f2 | python3 -c "import sys; print(sum(int(x) for x in sys.stdin))")
python3 - "$t0" "$t1" "$t2" "$t3" "$activities" "$rows" "$(cat "$WORK/ingest.rss")" "$(cat "$WORK/attribute.rss")" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5]); acts, rows = int(sys.argv[5]), int(sys.argv[6])
ingest_rss, attr_rss = int(sys.argv[7]) / 1024 / 1024, int(sys.argv[8]) / 1024 / 1024
print(f"activities attributed:   {acts}")
print(f"generate:                {t1 - t0:8.1f} s")
print(f"ingest ({rows} rows):    {t2 - t1:8.1f} s  {rows / (t2 - t1):10.0f} rows/s  peak RSS {ingest_rss:.1f} GiB")
print(f"attribute (one run):     {t3 - t2:8.1f} s  {acts / (t3 - t2):10.0f} activities/s  peak RSS {attr_rss:.1f} GiB")
PY
