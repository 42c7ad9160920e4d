#!/usr/bin/env bash
# Interleaved A/B of builds, ours to ours: local_thr and remote_thr of each jar over tcp loopback, the order of
# the jars rotated every round, and per side the throughput and the CPU of each kind of thread (from /proc at
# exit, dev.zmq.perf.ThreadCpu: the application thread, the I/O thread, C2, C1). CPU per message moves far less
# than throughput when other work shares the machine, so compare those first. JVM flags as compare.sh's.
#
# Usage: benchmarks/ab.sh SIZE COUNT ROUNDS JAR...     e.g. benchmarks/ab.sh 16 2000000 5 old.jar new.jar
# Environment: PERF_JAVA_OPTS (default "-Xms512m -Xmx512m -XX:+UseParallelGC");
#   PERF_AB_CURVE=1: both sides under CURVE (the perf tools' <enable_curve>, compare.sh's CURVE rows);
#   PERF_AB_IPC=1: over ipc instead of tcp loopback
# Per side it also prints the KiB the application and I/O threads allocated (ThreadCpu's ALLOCKB line): in a
# cold run each new page of eden costs a first-touch fault. ThreadCpu is always this build's (benchmarks/target/
# zmq-perf.jar, ahead of the jar on the class path), so older jars are measured the same way.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/benchmarks/ab-common.sh"
ab_args 2,8 "$@"
extra=()
[[ ${PERF_AB_CURVE:-0} == 1 ]] && extra=(1)
work=$(mktemp -d "${TMPDIR:-/tmp}/zmq-ab.XXXXXX")
trap 'rm -rf "$work"' EXIT
# only ThreadCpu from this build, so that each jar runs its own Main
mkdir "$work/cpu" && (cd "$work/cpu" && unzip -q "$helper" 'dev/zmq/perf/ThreadCpu*')

fields=(thr s_total s_app s_io s_c2 r_total r_app r_io r_c2 s_kapp s_kio r_kapp r_kio)
# cpu <file> <kind>: that kind's ms from the CPUMS line (io: live I/O threads plus exited threads)
cpu() {
    local line
    line=$(grep '^CPUMS' "$1" || true)
    case $2 in
        io) awk '{for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "io" || kv[1] == "exited") s += kv[2] } print s + 0}' <<< "$line" ;;
        *) sed -n "s/.* $2=\([0-9]*\).*/\1/p; s/^CPUMS $2=\([0-9]*\).*/\1/p" <<< "$line" | head -1 ;;
    esac
}
# kib <file> <kind>: the KiB that kind of thread allocated (ALLOCKB line)
kib() { grep '^ALLOCKB' "$1" | sed -n "s/.* $2=\([0-9]*\).*/\1/p" | head -1; }

for round in $(seq "$rounds"); do
    for (( i = 0; i < ${#jars[@]}; i++ )); do
        jar=${jars[$(( (i + round) % ${#jars[@]} ))]}
        if [[ ${PERF_AB_IPC:-0} == 1 ]]; then
            endpoint="ipc://$work/ipc-$round-$i"
        else
            port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
            endpoint="tcp://127.0.0.1:$port"
        fi
        timeout 120 java "${java_opts[@]}" -cp "$work/cpu:$jar" dev.zmq.perf.ThreadCpu --impl native local_thr "$endpoint" "$size" "$count" "${extra[@]}" > "$work/recv" 2>&1 &
        pid=$!
        if [[ ${PERF_AB_IPC:-0} == 1 ]]; then
            until [[ -S $work/ipc-$round-$i ]]; do kill -0 "$pid" || break; sleep 0.02; done
        else
            until [[ -n $(ss -Htln "sport = :$port") ]]; do kill -0 "$pid" || break; sleep 0.02; done
        fi
        timeout 120 java "${java_opts[@]}" -cp "$work/cpu:$jar" dev.zmq.perf.ThreadCpu --impl native remote_thr "$endpoint" "$size" "$count" "${extra[@]}" > "$work/send" 2>&1 || true
        wait "$pid" || true
        values=("$(sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p' "$work/recv")"
            "$(cpu "$work/send" total)" "$(cpu "$work/send" app)" "$(cpu "$work/send" io)" "$(cpu "$work/send" c2)"
            "$(cpu "$work/recv" total)" "$(cpu "$work/recv" app)" "$(cpu "$work/recv" io)" "$(cpu "$work/recv" c2)"
            "$(kib "$work/send" app)" "$(kib "$work/send" io)" "$(kib "$work/recv" app)" "$(kib "$work/recv" io)")
        record "$jar" "${values[@]}"
        printf '%-24s %5s B x%-9s %9s msg/s | send ms: total %5s app %5s io %5s c2 %4s | recv ms: total %5s app %5s io %5s c2 %4s | KiB send app %s io %s recv app %s io %s | load %s\n' \
            "$(basename "$jar" .jar)" "$size" "$count" "${values[@]}" "$(cut -d' ' -f1-3 /proc/loadavg)"
    done
done
print_medians 'MEDIAN %-17s %5s B x%-9s %9s msg/s | send ms: total %5s app %5s io %5s c2 %4s | recv ms: total %5s app %5s io %5s c2 %4s | KiB send app %s io %s recv app %s io %s\n' "$size" "$count"
