#!/usr/bin/env bash
# Benchmark (not a test): a night's merge into stg_comms__emails (12 messages sent again, 257 new, as
# the default org's night of changes) on a history of N messages over DAYS days, laid out as a first
# load writes it now (files of at most warehouse.staging-rows-per-file rows, each a span of dates)
# against one file (as releases before it did). Prints each merge's seconds, the stored rows Delta
# copied to rewrite the files it touched, and the files rewritten; ROUNDS alternations of the two.
#   N=1000000 DAYS=365 scripts/benchmark-staging-merge.sh      (a 2,000-rep year's emails; ~5 minutes)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${N:-1000000}"
DAYS="${DAYS:-365}"
ROUNDS="${ROUNDS:-2}"
WORK="${WORK:-$ROOT/data/bench-staging-merge}"
export SALESPULSE_JAVA_OPTS="${SALESPULSE_JAVA_OPTS:--Xmx6g}"
# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

# no class-data archive: the launcher would first write the batch commands' (a minute and a half),
# which this one JVM's few merges do not need
SALESPULSE_CDS=0 SALESPULSE_MAIN_SOURCE="$ROOT/scripts/StagingMergeBenchmark.java" \
  scripts/salespulse "$N" "$DAYS" "$WORK" "$ROUNDS" > "$WORK/merge.out" 2> "$WORK/merge.log"
cat "$WORK/merge.out"
