#!/usr/bin/env bash
# Benchmark of table maintenance (not a test): a generated org's nights run one after another (a
# history drop, then NIGHTS daily drops, all in one `nightly --run-date A --to-date B`), then the
# files each table holds and the analysts' queries' times, before and after `maintain`.
#   NIGHTS=365 REPS=20 scripts/benchmark-maintenance.sh      (a year of nights; hours on 2 cores)
# Defaults (30 nights of a 10-rep org) take about 15 minutes on 2 cores; figures go to stdout.
# RESUME=1 (same NIGHTS, REPS, WORK) continues a run that was interrupted during its nights: the
# drops are kept, and the nights go on from the day after the latest one that succeeded (a night cut
# off part-way is run again, as an operator's rerun would). The nights' time is then the sum of the
# nights' own durations in audit_runs, without the JVM starts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NIGHTS="${NIGHTS:-30}"
REPS="${REPS:-10}"
HISTORY="${HISTORY:-14}"
SCALE="${SCALE:-1}"
WORK="${WORK:-$ROOT/data/bench-maintenance}"
START="${START:-2025-10-01}"
FIRST="$(date -u -d "$START + $((HISTORY - 1)) days" +%F)"
LAST="$(date -u -d "$START + $((HISTORY + NIGHTS - 1)) days" +%F)"
QUERIES=(activity_vs_attainment_by_rep at_risk_deals_by_team team_leaderboard stage_conversion_and_velocity)
export SALESPULSE_JAVA_OPTS="${SALESPULSE_JAVA_OPTS:--Xmx8g}"
# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

FROM="$FIRST"
if [ "${RESUME:-0}" = "1" ] && [ -f "$WORK/generate.seconds" ]; then
  DONE="$(scripts/salespulse sql --warehouse "$WORK/warehouse" -e "SELECT max(run_date) AS d FROM audit_runs
    WHERE command = 'nightly' AND status = 'succeeded'" 2> /dev/null | tail -1 | tr -d '\r')"
  if [ -n "$DONE" ]; then FROM="$(date -u -d "$DONE + 1 day" +%F)"; fi
  echo "resuming: nights from $FROM to $LAST" >&2
else
  timed generate scripts/salespulse generate --out "$WORK/input" --start-date "$START" \
    --days "$((HISTORY + NIGHTS))" --reps "$REPS" --seed 1 --activity-scale "$SCALE" --bulk-days "$HISTORY"
fi
if [[ ! "$FROM" > "$LAST" ]]; then
  timed "nights-$FROM" scripts/salespulse nightly --run-date "$FROM" --to-date "$LAST" "${CONF_ARGS[@]}" \
    --input-root "$WORK/input" --warehouse "$WORK/warehouse"
fi
# the nights' own durations (one row per night that succeeded; a resumed run's parts add up)
scripts/salespulse sql --warehouse "$WORK/warehouse" -e "SELECT count(*) AS nights,
  sum(unix_timestamp(ended_at) - unix_timestamp(started_at)) AS seconds FROM audit_runs
  WHERE command = 'nightly' AND status = 'succeeded'" > "$WORK/nights.csv" 2> /dev/null
for q in "${QUERIES[@]}"; do
  timed "before-$q" scripts/salespulse sql --warehouse "$WORK/warehouse" -f "sql/queries/$q.sql"
done
timed maintain scripts/salespulse maintain --run-date "$LAST" "${CONF_ARGS[@]}" --warehouse "$WORK/warehouse"
for q in "${QUERIES[@]}"; do
  timed "after-$q" scripts/salespulse sql --warehouse "$WORK/warehouse" -f "sql/queries/$q.sql"
done

python3 - "$WORK" "$NIGHTS" "$REPS" "${QUERIES[@]}" <<'PY'
import csv, re, sys, pathlib
w = pathlib.Path(sys.argv[1]); nights, reps, queries = int(sys.argv[2]), sys.argv[3], sys.argv[4:]
sec = lambda n: float((w / f"{n}.seconds").read_text())
def answered(n):
    m = re.search(r"Answered in (\d+) ms", (w / f"{n}.log").read_text())
    return int(m.group(1)) / 1000 if m else float("nan")
report = list(csv.DictReader((w / "maintain.out").read_text().splitlines()))
tot = lambda k, rows=report: sum(int(r[k]) for r in rows)
facts = [r for r in report if r["table_name"].startswith("fct_")]
stg = [r for r in report if r["table_name"].startswith("stg_")]
print(f"org: {reps} reps, a {nights + 0}-night run after a history drop (one nightly --run-date .. --to-date)")
n_ok, n_sec = (float(x) for x in (w / "nights.csv").read_text().splitlines()[1].split(","))
parts = len(list(w.glob("nights-*.log")))
print(f"nights: {int(n_ok)} succeeded in {parts} invocation(s), {n_sec:.0f} s of nights, {n_sec / n_ok:.1f} s a night "
      f"(audit_runs; JVM starts not included)")
print(f"live files, all tables:     {tot('files_before'):6d} -> {tot('files_after'):6d} after maintain "
      f"({sec('maintain'):.1f} s, {tot('partitions_optimized')} partitions optimized)")
print(f"  staging tables:           {tot('files_before', stg):6d} -> {tot('files_after', stg):6d}")
print(f"  fact tables:              {tot('files_before', facts):6d} -> {tot('files_after', facts):6d}")
print(f"stored data files:          {tot('stored_files_before'):6d} -> {tot('stored_files_after'):6d} "
      "(replaced files stay for the vacuum retention)")
print("query (sql -f sql/queries/Q.sql)        before: wall / answered      after: wall / answered")
for q in queries:
    print(f"  {q:38s} {sec('before-' + q):6.1f} s / {answered('before-' + q):5.2f} s   "
          f"{sec('after-' + q):6.1f} s / {answered('after-' + q):5.2f} s")
PY
