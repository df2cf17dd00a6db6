#!/usr/bin/env bash
# Benchmark (not a test): the golden test org's two nights (the tests' generator settings: 6 reps, a
# week of history in one drop and one daily drop) run ITERATIONS times in one JVM with the tests'
# Spark settings, each into a fresh warehouse. The first iteration pays the JVM's warm-up; the later
# ones show what a night costs the test suite's warm JVM. Prints each iteration's seconds and the
# whole run's wall, CPU (user + system, child processes included) and peak RSS.
#   ITERATIONS=4 scripts/benchmark-warm-nights.sh          (about 10 minutes on 2 cores)
# Compare two builds side by side (both started together: this host's speed varies by hours).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ITERATIONS="${ITERATIONS:-4}"
WORK="${WORK:-$ROOT/data/bench-warm-nights}"
export SALESPULSE_JAVA_OPTS="${SALESPULSE_JAVA_OPTS:--Xmx6g -XX:+UseParallelGC}"
# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

scripts/salespulse generate --out "$WORK/drop" --start-date 2026-10-27 --days 8 --bulk-days 7 --reps 6 --seed 5 \
  > "$WORK/generate.log" 2>&1
# the tests' Spark settings (the file TestSupport.TEST_SPARK reads), plus CONF's lines if given
cp "$ROOT/jobs/src/test/resources/test-spark.properties" "$WORK/tests.properties"
if [ -n "${CONF:-}" ]; then cat "$CONF" >> "$WORK/tests.properties"; fi
SALESPULSE_MAIN_SOURCE="$ROOT/scripts/WarmNights.java" /usr/bin/time -f "%e %U %S %M" -o "$WORK/nights.time" \
  scripts/salespulse "$ITERATIONS" "$WORK/drop" "$WORK/tests.properties" "$WORK" 2026-11-02 2026-11-03 \
  > "$WORK/nights.out" 2> "$WORK/nights.log"
cat "$WORK/nights.out"
read -r wall user sys rss < "$WORK/nights.time"
python3 -c "print(f'whole run: {$wall:.1f} s wall, {$user + $sys:.1f} s CPU, peak RSS {$rss / 1048576:.2f} GiB')"
