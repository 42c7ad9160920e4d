#!/usr/bin/env bash
# Reconnect-storm benchmark (not a test): CPU of a process holding many connecting DEALER sockets while
# their binder goes away and comes back, ours (dev.zmq.perf.StormClients) beside libzmq 4.3 (pyzmq).
# See benchmarks/reconnect_storm.py for what each column means.
#
# Usage: benchmarks/reconnect_storm.sh      (builds benchmarks/target/zmq-perf.jar if missing)
# Environment: STORM_CLIENTS=200  STORM_WARMUP=3  STORM_CYCLES=5  STORM_DOWN=3  STORM_UP=1  STORM_IDLE=5
#              STORM_IMPLS="ours libzmq"  STORM_JAVA_OPTS="-Xmx256m"
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/benchmarks/target/zmq-perf.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -o -pl benchmarks -am package -DskipTests)
fi
echo "$(nproc) cores; $(java -version 2>&1 | head -1); load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
STORM_JAR="$jar" exec /usr/bin/python3 "$root/benchmarks/reconnect_storm.py"
