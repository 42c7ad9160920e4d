#!/usr/bin/env bash
# Interleaved A/B of builds on inproc: inproc_thr of each jar (both sockets in one JVM, the PULL on the main thread,
# the PUSH on a worker), the order of the jars rotated every round, and per run the throughput and the CPU of the
# receiving thread, the sending thread and C2 (from /proc at exit, dev.zmq.perf.ThreadCpu; the worker has ended by
# then, so the sender's CPU is the "exited" share). JVM flags as compare.sh's.
#
# On a 2-CPU machine the two threads run either on different cores (an idle machine: every message's cache lines
# move between the cores) or time-sliced on one (when other work takes a CPU: about half the CPU per message, and a
# different bottleneck). Runs flip between the two with the load; PERF_AB_PIN=1 pins the receiver to CPU 0 and the
# sender to CPU 1 (taskset per thread, within the first tens of ms) so every run measures the cross-core case.
#
# Usage: benchmarks/inproc-ab.sh SIZE COUNT ROUNDS JAR...   e.g. PERF_AB_PIN=1 benchmarks/inproc-ab.sh 16 20000000 5 old.jar new.jar
# Environment: PERF_JAVA_OPTS (default "-Xms512m -Xmx512m -XX:+UseParallelGC"); PERF_AB_PIN=1;
#   PERF_AB_IMPL=jeromq runs the jars' JeroMQ adapter instead (JeroMQ 0.7.0)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/benchmarks/ab-common.sh"
ab_args 2,14 "$@"
impl=${PERF_AB_IMPL:-native}
work=$(mktemp -d "${TMPDIR:-/tmp}/zmq-inproc-ab.XXXXXX")
trap 'rm -rf "$work"' EXIT

fields=(thr total recv send c2)
field() { sed -n "s/.*[ ]$2=\([0-9]*\).*/\1/p" <<< " $1" | head -1; }

# pin <pid>: the receiver (the main thread, named "java" by the launcher) to CPU 0, the sender's worker to CPU 1
pin() {
    local pinned=0 t name
    for _ in $(seq 400); do
        for t in /proc/"$1"/task/*; do
            name=$(cat "$t/comm" 2>/dev/null || true)
            case $name in
                java) taskset -pc 0 "${t##*/}" > /dev/null 2>&1 && pinned=$(( pinned | 1 )) ;;
                "inproc_thr work"*) taskset -pc 1 "${t##*/}" > /dev/null 2>&1 && pinned=$(( pinned | 2 )) ;;
            esac
        done
        (( pinned == 3 )) && return 0
        kill -0 "$1" 2> /dev/null || return 0
        sleep 0.005
    done
    echo "inproc-ab: could not pin both threads" >&2
}

for round in $(seq "$rounds"); do
    for (( i = 0; i < ${#jars[@]}; i++ )); do
        jar=${jars[$(( (i + round) % ${#jars[@]} ))]}
        java "${java_opts[@]}" -cp "$jar:$helper" dev.zmq.perf.ThreadCpu --impl "$impl" inproc_thr "$size" "$count" > "$work/out" 2>&1 &
        pid=$!
        [[ ${PERF_AB_PIN:-0} == 1 ]] && pin "$pid"
        wait "$pid"
        cpu=$(grep '^CPUMS' "$work/out" || true)
        values=("$(sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p' "$work/out")"
            "$(field "$cpu" total)" "$(field "$cpu" app)" "$(field "$cpu" exited)" "$(field "$cpu" c2)")
        record "$jar" "${values[@]}"
        printf '%-24s %5s B x%-9s %9s msg/s | ms: total %5s recv %5s send %5s c2 %4s | load %s\n' \
            "$(basename "$jar" .jar)" "$size" "$count" "${values[@]}" "$(cut -d' ' -f1-3 /proc/loadavg)"
    done
done
print_medians 'MEDIAN %-17s %5s B x%-9s %9s msg/s | ms: total %5s recv %5s send %5s c2 %4s\n' "$size" "$count"
