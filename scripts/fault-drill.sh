#!/usr/bin/env bash
# Kills a nightly with kill -9 at each of three points (inside ingest after some staging tables
# committed; inside attribute after staging committed; during the rollup's fact writes) of the golden
# org's second night, reruns it on top of what it left, and checks every table against one clean run
# (FaultsTest with -Dsalespulse.faults=all; the build runs the first point only). About 5 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q install -DskipTests
mvn -B -ntp test -pl jobs -Dtest=FaultsTest -Dsalespulse.faults=all -Dsurefire.failIfNoSpecifiedTests=false \
  | grep -E "Tests run:|FAIL|killed during|Taking over|Removing the remains" || true
