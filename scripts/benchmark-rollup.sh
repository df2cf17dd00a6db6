#!/usr/bin/env bash
# Benchmark of a nightly run (not a test): builds a warehouse from a generated org with a long
# history, then times one nightly run for a single new day (incremental: only the dates, deals
# and periods that night can change) against a full recompute of every fact (--full), and prints
# the ratio and each run's peak memory (RSS of the JVM).
#   REPS=2000 DAYS=366 SCALE=0.25 scripts/benchmark-rollup.sh      (~2,000 reps, a year of history)
# The first DAYS-1 days are generated as one history drop (--bulk-days) and loaded by one nightly
# run; the last day is the "new day". Defaults are small enough for a laptop; figures go to stdout.
# CONF=FILE adds a settings file to every run (e.g. attribution.learn=false to time the rollups
# and the reconciliation without training a model on the history).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPS="${REPS:-50}"
DAYS="${DAYS:-60}"
SCALE="${SCALE:-1}"
WORK="${WORK:-$ROOT/data/bench-rollup}"
START="${START:-2025-10-01}"
HISTORY_END="$(date -u -d "$START + $((DAYS - 2)) days" +%F)"
NEW_DAY="$(date -u -d "$START + $((DAYS - 1)) days" +%F)"
export SALESPULSE_JAVA_OPTS="${SALESPULSE_JAVA_OPTS:--Xmx12g}"
# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

timed generate scripts/salespulse generate --out "$WORK/input" --start-date "$START" --days "$DAYS" --reps "$REPS" \
  --seed 1 --activity-scale "$SCALE" --bulk-days "$((DAYS - 1))"
timed history scripts/salespulse nightly --run-date "$HISTORY_END" "${CONF_ARGS[@]}" --input-root "$WORK/input" --warehouse "$WORK/warehouse"
timed incremental scripts/salespulse nightly --run-date "$NEW_DAY" "${CONF_ARGS[@]}" --input-root "$WORK/input" --warehouse "$WORK/warehouse"
timed full scripts/salespulse nightly --run-date "$NEW_DAY" --full "${CONF_ARGS[@]}" --input-root "$WORK/input" --warehouse "$WORK/warehouse"

scripts/salespulse sql --warehouse "$WORK/warehouse" -e "
  SELECT (SELECT count(*) FROM fct_activities) AS activities,
         (SELECT count(*) FROM stg_crm__opportunities) AS opportunities,
         (SELECT count(*) FROM fct_opportunity_engagement_daily) AS engagement_rows,
         (SELECT count(*) FROM fct_rep_performance) AS rep_rows,
         (SELECT count(*) FROM fct_team_performance) AS team_rows,
         (SELECT count(DISTINCT user_id) FROM dim_users) AS users,
         (SELECT count(*) FROM fct_incentive_payouts) AS payout_lines,
         (SELECT count(*) FROM fct_incentive_exceptions) AS exceptions" 2>/dev/null | tail -1 > "$WORK/counts.csv"
python3 - "$WORK" "$REPS" "$DAYS" <<'PY'
import sys, pathlib
w = pathlib.Path(sys.argv[1]); reps, days = sys.argv[2], sys.argv[3]
sec = lambda n: float((w / f"{n}.seconds").read_text())
rss = lambda n: int((w / f"{n}.rss").read_text().split()[-1]) / 1024 / 1024
acts, opps, eng, rep, team, users, lines, exc = (int(x) for x in (w / "counts.csv").read_text().strip().split(","))
def step(name, log):
    import re
    out = {}
    for line in (w / f"{log}.log").read_text().splitlines():
        m = re.search(r"END step (\w+) run_date=\S+ .*in (\d+) ms", line)
        if m:
            out[m.group(1)] = int(m.group(2)) / 1000
    return " ".join(f"{k} {v:.1f}s" for k, v in out.items())
print(f"org: {users} users ({reps} reps requested), {days} days, {opps} opportunities, {acts} activities")
print(f"tables: fct_opportunity_engagement_daily {eng} rows, fct_rep_performance {rep}, fct_team_performance {team}, "
      f"fct_incentive_payouts {lines}, fct_incentive_exceptions {exc}")
print(f"generate:                         {sec('generate'):8.1f} s")
print(f"history load (one nightly run):   {sec('history'):8.1f} s  peak RSS {rss('history'):.1f} GiB  [{step('history', 'history')}]")
print(f"nightly, one new day:             {sec('incremental'):8.1f} s  peak RSS {rss('incremental'):.1f} GiB  [{step('incremental', 'incremental')}]")
print(f"nightly --full (recompute all):   {sec('full'):8.1f} s  peak RSS {rss('full'):.1f} GiB  [{step('full', 'full')}]")
print(f"full / incremental:               {sec('full') / sec('incremental'):8.2f} x")
PY
echo
echo "incentive exceptions against the generator's known ones (evaluate-reconciliation):"
scripts/salespulse evaluate-reconciliation --warehouse "$WORK/warehouse" --truth "$WORK/input-truth/payout_truth.csv" \
  "${CONF_ARGS[@]}" 2>/dev/null
