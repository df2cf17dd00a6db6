#!/usr/bin/env bash
# Benchmark of attribution (not a test): generates an org with CRM-logged activity as one history
# drop, ingests it, then times `train-attribution` (the org's model, over every activity of the
# period) and `attribute` (scoring every activity with it), and prints rates and peak memory.
#   REPS=1000 DAYS=10 SCALE=20 scripts/benchmark-attribution.sh      (~1M activities)
#   PROFILE=hard REPS=100 DAYS=20 scripts/benchmark-attribution.sh   (the hard org profile)
# Defaults are small enough for a laptop run; figures go to stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPS="${REPS:-100}"
DAYS="${DAYS:-20}"
SCALE="${SCALE:-2}"
PROFILE="${PROFILE:-easy}"
WORK="${WORK:-$ROOT/data/bench}"
START=2026-10-01
END="$(date -u -d "$START + $((DAYS - 1)) days" +%F)"
export SALESPULSE_JAVA_OPTS="${SALESPULSE_JAVA_OPTS:--Xmx12g}"
rm -rf "$WORK"
mkdir -p "$WORK"

t0=$(date +%s.%N)
scripts/salespulse generate --out "$WORK/input" --start-date "$START" --days "$DAYS" --reps "$REPS" --seed 1 \
  --activity-scale "$SCALE" --profile "$PROFILE" --bulk-days "$DAYS" 2> "$WORK/generate.log"
t1=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$WORK/ingest.rss" scripts/salespulse ingest --run-date "$END" \
  --input-root "$WORK/input" --warehouse "$WORK/warehouse" 2> "$WORK/ingest.log"
t2=$(date +%s.%N)
# train on, and re-attribute, every activity of the period; score with the trained model only
cat > "$WORK/bench.properties" <<PROPS
attribution.reattribution-window-days=400
attribution.training-days=400
attribution.retrain-every-days=0
PROPS
/usr/bin/time -f "%M" -o "$WORK/train.rss" scripts/salespulse train-attribution --run-date "$END" \
  --input-root "$WORK/input" --warehouse "$WORK/warehouse" --conf "$WORK/bench.properties" 2> "$WORK/train.log"
t3=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$WORK/attribute.rss" scripts/salespulse attribute --run-date "$END" \
  --input-root "$WORK/input" --warehouse "$WORK/warehouse" --conf "$WORK/bench.properties" 2> "$WORK/attribute.log"
t4=$(date +%s.%N)
counts=$(scripts/salespulse sql --warehouse "$WORK/warehouse" -e \
  "SELECT count(*), sum(CAST(is_logged AS INT)), first(model_version) FROM fct_activities" 2>/dev/null | tail -1)
rows=$(grep -o "rows_read=[0-9]*" "$WORK/ingest.log" | cut -d= -f2 | python3 -c "import sys; print(sum(int(x) for x in sys.stdin))")
labels=$(grep -o "on [0-9]* labelled activities" "$WORK/train.log" | grep -o "[0-9]*" || echo 0)
scripts/salespulse evaluate-attribution --warehouse "$WORK/warehouse" --truth "$WORK/input-truth/activity_truth.csv" \
  2>/dev/null > "$WORK/evaluation.csv"
python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$counts" "$rows" "$labels" "$(cat "$WORK/ingest.rss")" "$(cat "$WORK/train.rss")" \
  "$(cat "$WORK/attribute.rss")" "$WORK/evaluation.csv" <<'PY'
import csv, sys
t0, t1, t2, t3, t4 = map(float, sys.argv[1:6])
acts, logged, model = sys.argv[6].split(",")
acts, logged, rows, labels = int(acts), int(logged), int(sys.argv[7]), int(sys.argv[8])
ingest_rss, train_rss, attr_rss = (int(x) / 1024 / 1024 for x in sys.argv[9:12])
print(f"activities:              {acts} ({logged} logged in the CRM), model {model}")
print(f"generate:                {t1 - t0:8.1f} s")
print(f"ingest ({rows} rows):    {t2 - t1:8.1f} s  {rows / (t2 - t1):10.0f} rows/s  peak RSS {ingest_rss:.1f} GiB")
print(f"train-attribution:       {t3 - t2:8.1f} s  {labels} labelled activities, {acts / (t3 - t2):10.0f} activities/s  peak RSS {train_rss:.1f} GiB")
print(f"attribute (scoring):     {t4 - t3:8.1f} s  {acts / (t4 - t3):10.0f} activities/s  peak RSS {attr_rss:.1f} GiB")
lines = open(sys.argv[12]).read().split("\n\n")[0].splitlines()
for r in csv.DictReader(lines):
    if r["type"] == "overall":
        print(f"{r['scope']:>10}: coverage {r['coverage']}  precision {r['opportunity_precision']}  "
              f"precision at >= 0.9 {r['precision_at_090']} (coverage {r['coverage_at_090']})  ECE {r['expected_calibration_error']}")
PY
