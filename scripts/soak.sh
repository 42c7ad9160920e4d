#!/usr/bin/env bash
# Soak: a few minutes of reconnect churn against one ROUTER (heartbeats on), sampling the process's
# heap after GC, direct memory, threads, open files and RSS; prints the series and a verdict, FLAT or
# GROWING (exit 1). See dev.zmq.perf.Soak (benchmarks module) for the rule. Errors the library logs during
# the run (e.g. OutOfMemoryError for direct buffers) are counted and also fail the run.
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
errors="$root/benchmarks/target/soak-stderr.log"
mkdir -p "$(dirname "$errors")"
trap 'rm -f "$out"' EXIT
# The library's own log (stderr) goes to a file: the series stays readable; its errors are summed up below.
java "${opts[@]}" -cp "$jar" dev.zmq.perf.Soak "${SOAK_SECONDS:-180}" "${SOAK_CLIENTS:-20}" "${SOAK_SAMPLE:-10}" 2>"$errors" | tee "$out"
severe=$(grep -c '^SEVERE' "$errors" || true)
echo "library errors logged: $severe (in $errors)"
if [ "$severe" -gt 0 ]; then
  grep -A1 '^SEVERE' "$errors" | grep -v '^SEVERE\|^--' | sed -E 's/\(allocated: [0-9]+/(allocated: N/' | sort | uniq -c | sort -rn | head -3
fi
grep -q '^VERDICT: FLAT' "$out" && [ "$severe" -eq 0 ]
