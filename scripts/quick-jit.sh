# Sourced by scripts/salespulse (not run by itself): whether a batch command is a small quiet night,
# which the JVM runs faster with its quick (C1) JIT compiler alone.
#
# A night whose drop holds (nearly) no records still rolls up its new date: about 170 Spark jobs
# over a few thousand rows, whose CPU goes mostly to the JIT compilers (C2 alone 26 of 48 s of a
# quiet night, docs/benchmarks.md, thirty-fourth session). C1 alone compiles far less and sooner:
# quiet nights 26-27 s against 33-34 s on scripts/benchmark-nightly.sh's org, 33-36 s against 39-43 s
# on a 300-rep org (docs/benchmarks.md, thirty-fifth session). But its code is slower on rows: a
# first load took 180 s against 127 s, and the 300-rep org's night of changes (a 287 KB drop) 97-103 s
# against 89-90 s. So C1 alone only when all of these hold:
#   - the command is nightly, ingest, attribute, rollup or reconcile, for one date, without --full;
#   - the warehouse and the input root are local folders (named on the command line, in --conf's
#     file, or the embedded defaults), and the warehouse already holds fct_activities;
#   - the night's drop (every dataset's dt=<run date> folder) holds no record: its files (at most
#     QUICK_JIT_MAX_DROP_BYTES together, 64 KiB, read to tell) are CSV headers and empty JSON files,
#     as ingest reads them (RawReader.hasRecords). A single record makes the night re-attribute and
#     roll up its whole window, a night of changes;
#   - the warehouse is small: fct_activities, fct_activity_opportunity_credits and
#     fct_opportunity_engagement_daily hold at most QUICK_JIT_MAX_FACT_BYTES together (16 MiB, from
#     their latest Delta checksums). A quiet night recomputes its running periods, up to a quarter,
#     whose rows are at most what those tables hold: 9.2 MB on the benchmark's org and 10.5 MB on the
#     300-rep org above; a 1,000-rep org's 59 MB made a quiet night 67-68 s with C1 alone against
#     52-54 s with both compilers.
# quick_jit_reason ARGS...: prints why and returns 0 when C1 alone fits; returns 1 otherwise (also
# whenever a setting cannot be read here: the tiered JIT is never the wrong choice by much).
QUICK_JIT_MAX_DROP_BYTES="${QUICK_JIT_MAX_DROP_BYTES:-65536}"
QUICK_JIT_MAX_FACT_BYTES="${QUICK_JIT_MAX_FACT_BYTES:-16777216}"

# a settings file's value of KEY (the last line naming it), empty when none
quick_jit_setting() {
  [[ -f "$1" ]] || return 0
  sed -n "s/^[[:space:]]*$2[[:space:]]*[=:][[:space:]]*//p" "$1" | tail -1 | sed 's/[[:space:]]*$//'
}

# a local folder for a warehouse or input URI; fails for any other scheme
quick_jit_local() {
  case "$1" in
    file://*) echo "${1#file://}" ;;
    file:*) echo "${1#file:}" ;;
    *://*) return 1 ;;
    "") return 1 ;;
    *) echo "$1" ;;
  esac
}

# whether the drop of INPUT for DAY holds no record, as ingest reads its files (InputFile.formatOf,
# RawReader.hasRecords): names starting with . or _ and other extensions are not input; a Parquet
# file counts as records; a CSV file's first non-blank line is its header; every non-blank line of a
# JSON file is a record
quick_jit_no_records() {
  local f name lines
  while IFS= read -r -d '' f; do
    name="$(basename "$f" | tr '[:upper:]' '[:lower:]')"
    [[ "$name" == .* || "$name" == _* ]] && continue
    case "${name%.gz}" in
      *.parquet) return 1 ;;
      *.csv|*.json|*.jsonl) ;;
      *) continue ;;
    esac
    if [[ "$name" == *.gz ]]; then
      lines="$(gzip -dc "$f" 2>/dev/null | awk 'NF { n++ } END { print n + 0 }')" || return 1
    else
      lines="$(awk 'NF { n++ } END { print n + 0 }' "$f")" || return 1
    fi
    if [[ "${name%.gz}" == *.csv ]]; then (( lines <= 1 )) || return 1; else (( lines == 0 )) || return 1; fi
  done < <(find "$1"/*/*/"dt=$2" -type f -print0 2>/dev/null)
}

quick_jit_reason() {
  case "${1:-}" in nightly|ingest|attribute|rollup|reconcile) ;; *) return 1 ;; esac
  shift
  local day="" warehouse="" input="" conf="" defaults="${QUICK_JIT_DEFAULTS:-}"
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --run-date) day="${2:-}"; shift ;;
      --run-date=*) day="${1#*=}" ;;
      --warehouse) warehouse="${2:-}"; shift ;;
      --warehouse=*) warehouse="${1#*=}" ;;
      --input-root) input="${2:-}"; shift ;;
      --input-root=*) input="${1#*=}" ;;
      --conf) conf="${2:-}"; shift ;;
      --conf=*) conf="${1#*=}" ;;
      --full|--to-date|--to-date=*) return 1 ;;
      *) ;;   # an option of no interest here, or its value
    esac
    shift
  done
  [[ "$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || return 1
  [[ -n "$warehouse" ]] || warehouse="$(quick_jit_setting "$conf" salespulse.warehouse)"
  [[ -n "$warehouse" ]] || warehouse="$(quick_jit_setting "$defaults" salespulse.warehouse)"
  [[ -n "$input" ]] || input="$(quick_jit_setting "$conf" salespulse.input-root)"
  [[ -n "$input" ]] || input="$(quick_jit_setting "$defaults" salespulse.input-root)"
  warehouse="$(quick_jit_local "$warehouse")" || return 1
  input="$(quick_jit_local "$input")" || return 1
  [[ -d "$warehouse/fct_activities/_delta_log" && -d "$input" ]] || return 1
  local drop
  # a drop not there (not landed, or removed since) says nothing of the night
  compgen -G "$input/*/*/dt=$day" > /dev/null || return 1
  drop="$(find "$input"/*/*/"dt=$day" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')"
  [[ "$drop" =~ ^[0-9]+$ ]] && (( drop <= QUICK_JIT_MAX_DROP_BYTES )) || return 1
  quick_jit_no_records "$input" "$day" || return 1
  local table crc bytes facts=0
  for table in fct_activities fct_activity_opportunity_credits fct_opportunity_engagement_daily; do
    # the latest checksum (Delta writes one per commit; its versions are zero-padded: they sort as text)
    crc="$(ls "$warehouse/$table/_delta_log/"*.crc 2>/dev/null | sort | tail -1)"
    [[ -n "$crc" ]] || return 1
    bytes="$(grep -o '"tableSizeBytes":[0-9]*' "$crc" | head -1 | cut -d: -f2)"
    [[ "$bytes" =~ ^[0-9]+$ ]] || return 1
    facts=$((facts + bytes))
  done
  (( facts <= QUICK_JIT_MAX_FACT_BYTES )) || return 1
  echo "a quiet night (a drop of $drop bytes without records for $day; fact tables of $facts bytes)"
}
