# Sourced by the benchmark scripts (not run by itself). Expects ROOT and WORK to be set; CONF=FILE
# adds a settings file to every run (CONF_ARGS); RESUME=1 keeps $WORK (benchmark-maintenance.sh).
CONF_ARGS=()
if [ -n "${CONF:-}" ]; then CONF_ARGS=(--conf "$CONF"); fi
# RESUME=1 keeps what an earlier, interrupted run of the same benchmark left in $WORK
if [ "${RESUME:-0}" != "1" ]; then rm -rf "$WORK"; fi
mkdir -p "$WORK"

# timed NAME COMMAND...: runs the command with its stdout in $WORK/NAME.out and its log in
# $WORK/NAME.log; its wall seconds go to $WORK/NAME.seconds and its peak RSS (KiB) to $WORK/NAME.rss
timed() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/$name.rss" "$@" > "$WORK/$name.out" 2> "$WORK/$name.log"
  t1=$(date +%s.%N)
  python3 -c "print($t1 - $t0)" > "$WORK/$name.seconds"
}
