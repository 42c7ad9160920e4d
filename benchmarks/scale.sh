#!/usr/bin/env bash
# Scale benchmark (not a test): 1k/5k/10k connections to one ROUTER and 1,000 subscribers on one PUB,
# ours (a JVM running dev.zmq.perf.ScaleServer) beside libzmq 4.3 (pyzmq), each server in a process of
# its own, measured from outside (RSS) and, for the JVM, from inside (direct memory, heap after GC).
# Prints markdown tables; see benchmarks/scale.py for what each column means.
#
# Usage: benchmarks/scale.sh          (builds benchmarks/target/zmq-perf.jar if missing)
# Environment: SCALE_COUNTS="1000 5000 10000"  SCALE_IMPLS="ours libzmq"  SCALE_SUBS=1000
#              SCALE_PUB_COUNT=1000  SCALE_PUB_SIZE=64  SCALE_JAVA_OPTS="-Xms256m -Xmx1g"
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/benchmarks/target/zmq-perf.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -o -pl benchmarks -am package -DskipTests)
fi
# 10,000 connections: both ends are in processes of this machine, each needs a descriptor per connection
# (libzmq more: a mailbox per socket); the clients all live in the driver.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "ulimit -n $(ulimit -n); $(nproc) cores; $(/usr/bin/python3 -c 'import zmq; print("libzmq", zmq.zmq_version())'); $(java -version 2>&1 | head -1)"
SCALE_JAR="$jar" exec /usr/bin/python3 "$root/benchmarks/scale.py"
