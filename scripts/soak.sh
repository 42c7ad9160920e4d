#!/usr/bin/env bash
# Soak: a few minutes of reconnect churn against one ROUTER (heartbeats on), sampling the process's
# heap after GC, direct memory, threads, open files and RSS; prints the series and a verdict, FLAT or
# GROWING (exit 1). See dev.zmq.perf.Soak (benchmarks module) for the rule.
#
# Usage: scripts/soak.sh              (builds benchmarks/target/zmq-perf.jar if missing)
# Environment: SOAK_SECONDS=180  SOAK_CLIENTS=20  SOAK_SAMPLE=10  SOAK_JAVA_OPTS="-Xmx512m"
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/benchmarks/target/zmq-perf.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -o -pl benchmarks -am package -DskipTests)
fi
read -r -a opts <<< "${SOAK_JAVA_OPTS:--Xmx512m}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
java "${opts[@]}" -cp "$jar" dev.zmq.perf.Soak "${SOAK_SECONDS:-180}" "${SOAK_CLIENTS:-20}" "${SOAK_SAMPLE:-10}" | tee "$out"
grep -q '^VERDICT: FLAT' "$out"
