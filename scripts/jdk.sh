# Sourced by scripts/salespulse (not run by itself): which Java runs the commands.
#
# SalesPulse is built for Java 17 and runs on any Java that Spark 4.2 supports (17, 21, 25). On
# Java 25 the JVM can start from an ahead-of-time cache (JEPs 483, 514 and 515): Spark's, Delta's and
# Hadoop's classes loaded and linked, and the method profiles of a training run, so its JIT compiles
# the hot code at once instead of after profiling it again. scripts/benchmark-nightly.sh's org
# (docs/benchmarks.md, thirty-sixth session): a first load 112-113 s against 130-132 s on Java 17 with
# its class-data archive, a night of changes 51-54 s against 61-63 s.
#
# salespulse_java: prints the java command to run, in this order:
#   1. $JAVA, when set (any version);
#   2. $JAVA_HOME/bin/java, when JAVA_HOME is set;
#   3. the newest Java 25 at 25.0.3 or later (Spark 4.2 refuses earlier 25s: JDK-8377811) among the
#      JDKs under SALESPULSE_JDK_DIRS (default /usr/lib/jvm), unless SALESPULSE_JDK_SEARCH=0;
#   4. java on the PATH.
# java_version JAVA: prints the version (17.0.15, 25.0.3) of a java command, from its JDK's `release`
# file when it has one (no JVM started), else from `java -version`.

# "25.0.3" -> "25 0 3"; "17.0.15" -> "17 0 15"; "21" -> "21 0 0"
jdk_version_fields() {
  local v="${1%%[-+]*}" a b c
  IFS=. read -r a b c <<< "$v"
  echo "${a:-0} ${b:-0} ${c:-0}"
}

# the JAVA_VERSION of a JDK home's release file, empty when it has none
jdk_release_version() {
  [[ -f "$1/release" ]] || return 0
  sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1/release" | head -1
}

java_version() {
  local bin home v
  bin="$(command -v "$1" 2>/dev/null || true)"
  [[ -n "$bin" ]] || return 1
  home="$(dirname "$(dirname "$(readlink -f "$bin")")")"
  v="$(jdk_release_version "$home")"
  if [[ -z "$v" ]]; then
    v="$("$bin" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)"
  fi
  [[ -n "$v" ]] || return 1
  echo "$v"
}

salespulse_java() {
  if [[ -n "${JAVA:-}" ]]; then
    echo "$JAVA"
    return
  fi
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
    return
  fi
  local best="" best_key=0 home v key
  if [[ "${SALESPULSE_JDK_SEARCH:-1}" == "1" ]]; then
    for home in ${SALESPULSE_JDK_DIRS:-/usr/lib/jvm}/*; do
      [[ -x "$home/bin/java" ]] || continue
      v="$(jdk_release_version "$home")"
      [[ -n "$v" ]] || continue
      set -- $(jdk_version_fields "$v")
      [[ "$1" == 25 && "$2$3" =~ ^[0-9]+$ ]] || continue
      (( $2 > 0 || $3 >= 3 )) || continue
      key=$(( $2 * 1000 + $3 ))
      if [[ -z "$best" ]] || (( key > best_key )); then
        best="$home/bin/java"
        best_key=$key
      fi
    done
  fi
  echo "${best:-java}"
}
