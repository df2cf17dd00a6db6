#!/usr/bin/env bash
# Benchmark of the nightly job's cost (not a test): wall time with JVM start, per step time,
# Spark jobs and Delta commits (from the END step log lines, the same figures audit_runs.steps
# records), rows per second and peak RSS, for
#   (a) the first load of a generated org (one history drop; REPS=40 DAYS=270: ~65k communications),
#   (b) a night whose drop has every dataset but no rows,
#   (c) a night with a few hundred changes (the generator's next daily drop),
#   (f) a night whose CRM datasets are a full snapshot (every record sent again, unchanged; the
#       contract allows it) and whose communication logs are empty,
#   (s) `salespulse sql -e` answering a simple query on that warehouse,
#   (d) with YEAR=1: a year of a 2,000-rep org, one new night vs --full (scripts/benchmark-rollup.sh;
#       about an hour on 2 cores).
#   scripts/benchmark-nightly.sh            (figures on stdout; work files in data/bench-nightly)
# CONF=FILE adds a settings file to every run; PROFILE=hard generates an org of many concurrent deals.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPS="${REPS:-40}"
DAYS="${DAYS:-270}"
# PROFILE=hard: 20+ concurrent deals per account (about 30 candidate deals per activity, 2 million
# candidates on a first load; the easy default has a few deals per account)
PROFILE="${PROFILE:-easy}"
WORK="${WORK:-$ROOT/data/bench-nightly}"
START="${START:-2026-01-05}"
HISTORY_END="$(date -u -d "$START + $((DAYS - 2)) days" +%F)"
NEXT_DAY="$(date -u -d "$START + $((DAYS - 1)) days" +%F)"
EMPTY_DAY="$(date -u -d "$START + $DAYS days" +%F)"
SNAPSHOT_DAY="$(date -u -d "$START + $((DAYS + 1)) days" +%F)"
export SALESPULSE_JAVA_OPTS="${SALESPULSE_JAVA_OPTS:--Xmx8g}"
# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

scripts/salespulse --help > /dev/null 2>&1 || true   # build outside the timings
timed generate scripts/salespulse generate --out "$WORK/input" --start-date "$START" --days "$DAYS" --reps "$REPS" \
  --seed 11 --bulk-days "$((DAYS - 1))" --profile "$PROFILE"
# (b)'s drop: every dataset of the next day's drop, same files and headers, no rows
python3 - "$WORK/input" "$NEXT_DAY" "$EMPTY_DAY" <<'PY'
import gzip, pathlib, sys
root, src, dst = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
for folder in root.glob(f"*/*/dt={src}"):
    out = folder.parent / f"dt={dst}"
    out.mkdir()
    for f in folder.iterdir():
        raw = gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
        header = raw.split(b"\n", 1)[0] + b"\n" if ".csv" in f.name and raw else b""
        (out / f.name).write_bytes(gzip.compress(header) if f.suffix == ".gz" else header)
PY
# (f)'s drop: each CRM object's latest copy of every record ever sent (by SystemModstamp, else
# LastModifiedDate, else CreatedDate), one CSV per object; the other datasets with a header only
python3 - "$WORK/input" "$EMPTY_DAY" "$SNAPSHOT_DAY" <<'PY'
import csv, gzip, io, pathlib, sys
root, empty, dst = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
for folder in root.glob(f"*/*/dt={empty}"):
    out = folder.parent / f"dt={dst}"
    out.mkdir()
    if folder.parent.parent.name != "crm":
        for f in folder.iterdir():
            (out / f.name).write_bytes(f.read_bytes())
        continue
    latest, header = {}, None
    for f in sorted(folder.parent.glob("dt=*/*.csv*")):
        if f.parent.name > f"dt={empty}":
            continue
        text = gzip.decompress(f.read_bytes()).decode() if f.suffix == ".gz" else f.read_text()
        rows = csv.DictReader(io.StringIO(text, newline=""))
        header = header or rows.fieldnames
        for r in rows:
            stamp = r.get("SystemModstamp") or r.get("LastModifiedDate") or r.get("CreatedDate") or ""
            old = latest.get(r["Id"])
            if old is None or old[0] <= stamp:
                latest[r["Id"]] = (stamp, r)
    with open(out / "snapshot.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(r for _, r in latest.values())
    (out / "_SUCCESS").write_bytes(b"")
PY
run() { timed "$1" scripts/salespulse nightly --run-date "$2" "${CONF_ARGS[@]}" --input-root "$WORK/input" \
  --warehouse "$WORK/warehouse"; }
run first "$HISTORY_END"
run changes "$NEXT_DAY"
run empty "$EMPTY_DAY"
run snapshot "$SNAPSHOT_DAY"
SQL_QUERY="SELECT activity_type, count(*) AS activities FROM fct_activities GROUP BY activity_type ORDER BY 1"
# the first `sql` after a build writes the launcher's class-data archive at its exit (once per build,
# about 20 s more): run once outside the timing, as the build is, so (s) is what every later query costs
scripts/salespulse sql --warehouse "$WORK/warehouse" -e "$SQL_QUERY" > /dev/null 2>&1 || true
timed sql scripts/salespulse sql --warehouse "$WORK/warehouse" -e "$SQL_QUERY"

# the Java the launcher ran (scripts/jdk.sh), and whether its class-data archive or AOT cache was on
JAVA_USED="$(source scripts/jdk.sh && j="$(salespulse_java)" && echo "$j, version $(java_version "$j" || echo unknown)")"
[[ "${SALESPULSE_CDS:-1}" == "1" ]] && JAVA_USED+=", class-data archive on" || JAVA_USED+=", class-data archive off"
python3 - "$WORK" "$REPS" "$DAYS" "$JAVA_USED" <<'PY'
import pathlib, re, sys
w = pathlib.Path(sys.argv[1]); reps, days = sys.argv[2], sys.argv[3]
sec = lambda n: float((w / f"{n}.seconds").read_text())
rss = lambda n: int((w / f"{n}.rss").read_text().split()[-1]) / 1024 / 1024
def steps(name):
    out = []
    for line in (w / f"{name}.log").read_text().splitlines():
        m = re.search(r"END step (\w+) run_date=\S+ commits=(\d+) rows_written=(\d+) spark_jobs=(\d+) spark_tasks=(\d+) .* in (\d+) ms", line)
        if m:
            out.append((m.group(1), int(m.group(6)) / 1000, int(m.group(4)), int(m.group(2)), int(m.group(3))))
    return out
def rows_read(name):
    m = re.search(r"END nightly run_date=\S+ status=\S+ rows_read=(\d+)", (w / f"{name}.log").read_text())
    return int(m.group(1)) if m else 0
truth = sum(1 for _ in open(w / "input-truth" / "activity_truth.csv")) - 1
print(f"org: {reps} reps, {days} days, {truth} communications in the ground truth (generate {sec('generate'):.1f} s)")
print(f"java: {sys.argv[4]}")
print(f"{'run':<34}{'wall s':>8}{'peak RSS GiB':>14}{'rows read':>11}{'rows/s':>9}{'jobs':>7}{'commits':>9}   per step: s / Spark jobs / commits")
for name, label in [("first", "(a) first load"), ("empty", "(b) night, no new rows"), ("changes", "(c) night, a few hundred changes"), ("snapshot", "(f) night, CRM full snapshot")]:
    st = steps(name)
    r = rows_read(name)
    per = "  ".join(f"{s} {t:.1f}/{j}/{c}" for s, t, j, c, _ in st)
    print(f"{label:<34}{sec(name):>8.1f}{rss(name):>14.2f}{r:>11}{r / sec(name):>9.0f}{sum(x[2] for x in st):>7}"
          f"{sum(x[3] for x in st):>9}   {per}")
print(f"{'(s) sql -e, simple query':<34}{sec('sql'):>8.1f}{rss('sql'):>14.2f}")
# the launcher names the quick JIT when it chose it (scripts/quick-jit.sh)
quick = [n for n in ["first", "changes", "empty", "snapshot"] if "the quick JIT compiler" in (w / f"{n}.log").read_text()]
print(f"  quick JIT (C1 alone) for: {', '.join(quick) or 'none'}; the tiered JIT for the others")
for name in ["first", "changes", "empty", "snapshot"]:
    for step in ["attribute", "rollup"]:
        m = re.search(rf"END step {step} run_date=\S+ .*? spark_tasks=\d+ (.*) in \d+ ms", (w / f"{name}.log").read_text())
        print(f"  {name} {step}: {m.group(1) if m else '-'}")
PY
if [ "${YEAR:-0}" = "1" ]; then
  echo
  echo "(d) a year of a 2,000-rep org:"
  REPS=2000 DAYS=366 SCALE=0.3 WORK="$WORK/year" scripts/benchmark-rollup.sh
fi
