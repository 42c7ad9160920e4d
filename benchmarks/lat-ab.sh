#!/usr/bin/env bash
# Interleaved A/B of builds on the latency rows: local_lat (REP, binds) and remote_lat (REQ) of each jar over tcp
# loopback, the order of the jars rotated every round, and per run the one-way latency and, per side, the CPU of
# each kind of thread (from /proc at exit, dev.zmq.perf.ThreadCpu: the application thread, the I/O thread, C2,
# C1). JVM flags as compare.sh's.
#
# On this 2-CPU machine a latency run's four threads (the application and I/O thread of each side) hand every
# message over with a wake-up; whether the scheduler keeps them on one CPU or spreads them over both changes the
# latency by tens of microseconds per message, run to run, for libzmq as for us, and other work on the machine adds
# its own waits. The CPU a side spends per roundtrip moves far less: compare that first (ms per run; divide by the
# roundtrips for us per roundtrip), and the latency over several rounds.
#
# Usage: benchmarks/lat-ab.sh SIZE ROUNDTRIPS ROUNDS JAR...   e.g. benchmarks/lat-ab.sh 65536 4000 5 old.jar new.jar
#   A JAR named "libzmq" runs libzmq's perf tool instead (PERF_LIBZMQ_TOOL, default /tmp/zmqperf, built from
#   benchmarks/src/main/c/zmqperf.c): its latency and each process's total CPU (GNU time), no breakdown (NA).
# Environment: PERF_JAVA_OPTS (default "-Xms512m -Xmx512m -XX:+UseParallelGC"); PERF_LIBZMQ_TOOL;
#   PERF_LAT_TIMEOUT (seconds per process, default 120)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/benchmarks/ab-common.sh"
ab_args 13,17 "$@"
tool=${PERF_LIBZMQ_TOOL:-/tmp/zmqperf}
limit=${PERF_LAT_TIMEOUT:-120}
work=$(mktemp -d "${TMPDIR:-/tmp}/zmq-lat-ab.XXXXXX")
trap 'rm -rf "$work"' EXIT

fields=(lat req_total req_app req_io req_c2 rep_total rep_app rep_io rep_c2)
# cpu <file> <kind>: that kind's ms from the CPUMS line (io: live I/O threads plus exited threads), NA without it
cpu() {
    local line
    line=$(grep '^CPUMS' "$1" || true)
    [[ -n $line ]] || { echo NA; return; }
    case $2 in
        io) awk '{for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "io" || kv[1] == "exited") { s += kv[2]; n++ } } print n ? s : "NA"}' <<< "$line" ;;
        *) sed -n "s/.* $2=\([0-9]*\).*/\1/p; s/^CPUMS $2=\([0-9]*\).*/\1/p" <<< "$line" | head -1 | grep . || echo NA ;;
    esac
}

for round in $(seq "$rounds"); do
    for (( i = 0; i < ${#jars[@]}; i++ )); do
        jar=${jars[$(( (i + round) % ${#jars[@]} ))]}
        port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        endpoint="tcp://127.0.0.1:$port"
        if [[ $jar == libzmq ]]; then
            # Its whole process's CPU only (user + system, from GNU time), as the CPUMS line's total.
            rep=(timeout "$limit" /usr/bin/time -o "$work/rep.time" -f '%U %S' "$tool" local_lat "$endpoint" "$size" "$count")
            req=(timeout "$limit" /usr/bin/time -o "$work/req.time" -f '%U %S' "$tool" remote_lat "$endpoint" "$size" "$count")
        else
            rep=(timeout "$limit" java "${java_opts[@]}" -cp "$jar:$helper" dev.zmq.perf.ThreadCpu --impl native local_lat "$endpoint" "$size" "$count")
            req=(timeout "$limit" java "${java_opts[@]}" -cp "$jar:$helper" dev.zmq.perf.ThreadCpu --impl native remote_lat "$endpoint" "$size" "$count")
        fi
        "${rep[@]}" > "$work/rep" 2>&1 &
        pid=$!
        until [[ -n $(ss -Htln "sport = :$port") ]]; do kill -0 "$pid" 2> /dev/null || break; sleep 0.02; done
        "${req[@]}" > "$work/req" 2>&1 || true
        wait "$pid" || true
        for side in req rep; do
            if [[ -s $work/$side.time ]]; then
                awk '{ printf "CPUMS total=%d\n", ($1 + $2) * 1000 }' "$work/$side.time" >> "$work/$side"
                rm -f "$work/$side.time"
            fi
        done
        values=("$(sed -n 's/^average latency: \([0-9.]*\) \[us\]$/\1/p' "$work/req")"
            "$(cpu "$work/req" total)" "$(cpu "$work/req" app)" "$(cpu "$work/req" io)" "$(cpu "$work/req" c2)"
            "$(cpu "$work/rep" total)" "$(cpu "$work/rep" app)" "$(cpu "$work/rep" io)" "$(cpu "$work/rep" c2)")
        record "$jar" "${values[@]}"
        printf '%-24s %5s B x%-7s %9s us | req ms: total %5s app %5s io %5s c2 %4s | rep ms: total %5s app %5s io %5s c2 %4s | load %s\n' \
            "$(basename "$jar" .jar)" "$size" "$count" "${values[@]}" "$(cut -d' ' -f1-3 /proc/loadavg)"
    done
done
print_medians 'MEDIAN %-17s %5s B x%-7s %9s us | req ms: total %5s app %5s io %5s c2 %4s | rep ms: total %5s app %5s io %5s c2 %4s\n' "$size" "$count"
