#!/usr/bin/env bash
# Measures this project's engine ("native") against JeroMQ with libzmq's perf tools over tcp loopback:
# for each message size, ROUNDS rounds, each running both implementations (in alternating order) through
# local_thr/remote_thr and local_lat/remote_lat, each side a fresh JVM with the same flags. Prints a
# markdown table of medians and the native/JeroMQ ratio.
#
# Usage: benchmarks/compare.sh            (from anywhere; builds benchmarks/target/zmq-perf.jar if missing)
# Environment overrides:
#   PERF_SIZES="16 256 4096 65536"   PERF_ROUNDS=3   PERF_IMPLS="native jeromq"   PERF_HOST=127.0.0.1
#   PERF_THR_COUNT_<size>, PERF_LAT_COUNT_<size>   message / roundtrip counts for one size
#   PERF_JAVA_OPTS                   JVM flags, identical for every process of both implementations
#   PERF_RUN_TIMEOUT=180             seconds before a single run is killed
#   PERF_DRAIN_TIMEOUT=30            seconds the local side may take to finish after the remote side ended
#   PERF_LOG=path                    where the raw output of every run is appended (default: a temp file)
#   PERF_INPROC=1                    also run inproc_thr/inproc_lat (both sockets in one process) and print
#                                    a second table; 0 skips it
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/benchmarks/target/zmq-perf.jar"

sizes=${PERF_SIZES:-"16 256 4096 65536"}
rounds=${PERF_ROUNDS:-3}
impls=(${PERF_IMPLS:-native jeromq})
host=${PERF_HOST:-127.0.0.1}
run_timeout=${PERF_RUN_TIMEOUT:-180}
drain_timeout=${PERF_DRAIN_TIMEOUT:-30}
# A fixed heap, so neither side pays for heap growth mid-run, and the throughput collector.
read -r -a java_opts <<< "${PERF_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"

# Counts chosen for roughly 1-3 s per run on a loaded 2-core machine.
default_thr_count() {
    case $1 in
        16) echo 2000000 ;; 256) echo 1000000 ;; 4096) echo 200000 ;; 65536) echo 20000 ;;
        *) echo $(( $1 <= 1024 ? 1000000 : 1000000000 / ($1 * 50) + 1000 )) ;;
    esac
}
default_lat_count() {
    case $1 in
        16|256) echo 20000 ;; 4096) echo 10000 ;; 65536) echo 4000 ;;
        *) echo 10000 ;;
    esac
}
thr_count() { local v="PERF_THR_COUNT_$1"; echo "${!v:-$(default_thr_count "$1")}"; }
lat_count() { local v="PERF_LAT_COUNT_$1"; echo "${!v:-$(default_lat_count "$1")}"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/zmq-perf.XXXXXX")
log=${PERF_LOG:-$root/benchmarks/target/compare.log}
running=() # pids of the perf processes started and not yet waited for

cleanup() {
    local pid
    for pid in "${running[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${running[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -f $jar ]]; then
    echo "building $jar" >&2
    (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests)
fi

# start <out-file> <impl> <command> <args...>: starts a perf process in the background; its pid is in $started.
start() {
    local out=$1 impl=$2
    shift 2
    timeout "$run_timeout" java "${java_opts[@]}" -jar "$jar" --impl "$impl" "$@" > "$out" 2>&1 &
    started=$!
    running+=("$started")
}

# finish <pid>: waits for a process started by start and returns its exit status.
finish() {
    local status=0 pid
    wait "$1" || status=$?
    local still=()
    for pid in "${running[@]}"; do
        [[ $pid == "$1" ]] || still+=("$pid")
    done
    running=("${still[@]}")
    return "$status"
}

listening() { [[ -n $(ss -Htln "sport = :$1" 2>/dev/null) ]]; }

free_port() {
    local port
    for _ in $(seq 100); do
        port=$(( 20000 + RANDOM % 40000 ))
        if ! listening "$port"; then
            echo "$port"
            return
        fi
    done
    echo "no free port found" >&2
    return 1
}

# run_pair <impl> <local-command> <remote-command> <size> <count> <out-file>
# Starts the local side on a free port, waits until it listens, runs the remote side, waits for both.
# The results are on the local side for throughput and on the remote side for latency: both outputs
# go to <out-file>. Returns non-zero if either side failed.
run_pair() {
    local impl=$1 local_cmd=$2 remote_cmd=$3 size=$4 count=$5 out=$6
    local attempt port local_pid remote_pid deadline status=0
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        start "$out.local" "$impl" "$local_cmd" "tcp://$host:$port" "$size" "$count"
        local_pid=$started
        deadline=$(( SECONDS + 30 ))
        while ! listening "$port" && kill -0 "$local_pid" 2>/dev/null && (( SECONDS < deadline )); do
            sleep 0.05
        done
        if listening "$port"; then
            break
        fi
        # Lost a race for the port, or the local side failed: try again on another port.
        kill "$local_pid" 2>/dev/null || true
        finish "$local_pid" || true
        if (( attempt == 5 )); then
            cat "$out.local" > "$out"
            return 1
        fi
    done
    start "$out.remote" "$impl" "$remote_cmd" "tcp://$host:$port" "$size" "$count"
    remote_pid=$started
    finish "$remote_pid" || status=$?
    # Once the remote side is done, the local side has at most the messages in flight left to take.
    deadline=$(( SECONDS + drain_timeout ))
    while kill -0 "$local_pid" 2>/dev/null && (( status == 0 && SECONDS < deadline )); do
        sleep 0.05
    done
    if kill -0 "$local_pid" 2>/dev/null; then
        (( status == 0 )) && echo "$local_cmd still running ${drain_timeout}s after $remote_cmd ended (messages lost?): killed" >> "$out.local"
        kill "$local_pid" 2>/dev/null || true
        status=1
    fi
    finish "$local_pid" || status=$?
    {
        echo "--- $impl $local_cmd tcp://$host:$port $size $count"
        cat "$out.local"
        echo "--- $impl $remote_cmd tcp://$host:$port $size $count"
        cat "$out.remote"
    } > "$out"
    return "$status"
}

# median of the numbers on stdin ("NA" ignored), with as many decimals as the inputs; NA if there are none
median() {
    grep -E '^[0-9.]+$' | sort -g | awk '{ v[NR] = $1; if (index($1, ".")) dec = 3 } END {
        if (NR == 0) { print "NA"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.*f\n", dec, m
    }'
}

ratio() { # ratio <a> <b>: a/b with 2 decimals, NA if either is missing
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.2f\n", a / b }'
}

failures=0
declare -A thr lat
: > "$log"

echo "# zmq-perf: native vs JeroMQ over tcp loopback ($host)" >&2
echo "# $(java -version 2>&1 | head -1); JVM flags: ${java_opts[*]}; rounds: $rounds; $(nproc) CPUs; raw log: $log" >&2

for size in $sizes; do
    tc=$(thr_count "$size")
    lc=$(lat_count "$size")
    for round in $(seq "$rounds"); do
        # Alternate which implementation goes first, so neither always runs on a warmer machine.
        order=("${impls[@]}")
        if (( round % 2 == 0 )); then
            order=()
            for (( i = ${#impls[@]} - 1; i >= 0; i-- )); do order+=("${impls[i]}"); done
        fi
        for impl in "${order[@]}"; do
            out="$work/$impl-$size-$round"
            t0=$SECONDS
            if run_pair "$impl" local_thr remote_thr "$size" "$tc" "$out.thr"; then
                value=$(sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p' "$out.thr")
                mbps=$(sed -n 's/^mean throughput: \([0-9.]*\) \[Mb\/s\]$/\1/p' "$out.thr")
            else
                value=NA mbps=NA
                failures=$((failures + 1))
                echo "FAILED: $impl thr $size B round $round:" >&2
                sed 's/^/    /' "$out.thr" >&2
            fi
            thr[$impl,$size]+="${value:-NA} "
            cat "$out.thr" >> "$log"
            t1=$SECONDS

            if run_pair "$impl" local_lat remote_lat "$size" "$lc" "$out.lat"; then
                us=$(sed -n 's/^average latency: \([0-9.]*\) \[us\]$/\1/p' "$out.lat")
            else
                us=NA
                failures=$((failures + 1))
                echo "FAILED: $impl lat $size B round $round:" >&2
                sed 's/^/    /' "$out.lat" >&2
            fi
            lat[$impl,$size]+="${us:-NA} "
            cat "$out.lat" >> "$log"
            # Wall times show a run that stalled (e.g. a connection whose handshake hung until HANDSHAKE_IVL).
            printf '%-7s %6s B round %d: %10s msg/s %10s Mb/s (%3ds) %9s us (%3ds)\n' \
                "$impl" "$size" "$round" "${value:-NA}" "${mbps:-NA}" $((t1 - t0)) "${us:-NA}" $((SECONDS - t1)) >&2
        done
    done
done

# run_inproc <impl> <command> <size> <count> <out-file>: one process, both sockets in it.
run_inproc() {
    start "$5" "$1" "$2" "$3" "$4"
    finish "$started"
}

declare -A ithr ilat
if [[ ${PERF_INPROC:-1} != 0 ]]; then
    for size in $sizes; do
        tc=$(thr_count "$size")
        lc=$(lat_count "$size")
        for round in $(seq "$rounds"); do
            for impl in "${impls[@]}"; do
                out="$work/$impl-$size-$round-inproc"
                if run_inproc "$impl" inproc_thr "$size" "$tc" "$out.thr"; then
                    value=$(sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p' "$out.thr")
                else
                    value=NA
                    failures=$((failures + 1))
                    echo "FAILED: $impl inproc_thr $size B round $round:" >&2
                    sed 's/^/    /' "$out.thr" >&2
                fi
                if run_inproc "$impl" inproc_lat "$size" "$lc" "$out.lat"; then
                    us=$(sed -n 's/^average latency: \([0-9.]*\) \[us\]$/\1/p' "$out.lat")
                else
                    us=NA
                    failures=$((failures + 1))
                    echo "FAILED: $impl inproc_lat $size B round $round:" >&2
                    sed 's/^/    /' "$out.lat" >&2
                fi
                ithr[$impl,$size]+="${value:-NA} "
                ilat[$impl,$size]+="${us:-NA} "
                cat "$out.thr" "$out.lat" >> "$log"
                printf '%-7s %6s B round %d: inproc %10s msg/s %9s us\n' "$impl" "$size" "$round" "${value:-NA}" "${us:-NA}" >&2
            done
        done
    done
fi

a=${impls[0]}
b=${impls[1]:-${impls[0]}}
echo
echo "Medians of $rounds rounds, tcp loopback; throughput in msg/s (higher is better), one-way latency in us (lower is better)."
echo "Both ratios are $a's advantage: > 1 means $a is faster."
echo
echo "| size (B) | $a thr (msg/s) | $b thr (msg/s) | thr ratio ($a/$b) | $a lat (us) | $b lat (us) | lat ratio ($b/$a) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for size in $sizes; do
    at=$(tr ' ' '\n' <<< "${thr[$a,$size]}" | median)
    bt=$(tr ' ' '\n' <<< "${thr[$b,$size]}" | median)
    al=$(tr ' ' '\n' <<< "${lat[$a,$size]}" | median)
    bl=$(tr ' ' '\n' <<< "${lat[$b,$size]}" | median)
    echo "| $size | $at | $bt | $(ratio "$at" "$bt") | $al | $bl | $(ratio "$bl" "$al") |"
done

if [[ ${PERF_INPROC:-1} != 0 ]]; then
    echo
    echo "inproc (both sockets in one process, libzmq's inproc_thr and inproc_lat):"
    echo
    echo "| size (B) | $a thr (msg/s) | $b thr (msg/s) | thr ratio ($a/$b) | $a lat (us) | $b lat (us) | lat ratio ($b/$a) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
    for size in $sizes; do
        at=$(tr ' ' '\n' <<< "${ithr[$a,$size]}" | median)
        bt=$(tr ' ' '\n' <<< "${ithr[$b,$size]}" | median)
        al=$(tr ' ' '\n' <<< "${ilat[$a,$size]}" | median)
        bl=$(tr ' ' '\n' <<< "${ilat[$b,$size]}" | median)
        echo "| $size | $at | $bt | $(ratio "$at" "$bt") | $al | $bl | $(ratio "$bl" "$al") |"
    done
fi

if (( failures > 0 )); then
    echo
    echo "$failures run(s) failed; see the messages above." >&2
    exit 1
fi
