#!/usr/bin/env bash
# Measures this project's engine ("native") against JeroMQ 0.7.0 ("jeromq"), JeroMQ 0.6.0 ("jeromq06") and
# libzmq 4.3 in one run, with libzmq's perf
# tools: the same local_thr/remote_thr and local_lat/remote_lat commands on every implementation (zmq-perf.jar
# for native and JeroMQ, benchmarks/src/main/c/zmqperf.c built against libzmq3-dev for libzmq), every process
# fresh, every implementation at its default HWM (1000). Rows:
#   tcp loopback, PERF_SIZES (throughput and latency)
#   ipc, PERF_IPC_SIZES (throughput and latency)
#   CURVE over tcp, PERF_CURVE_SIZES (throughput; libzmq's tools have no CURVE latency)
#   inproc, PERF_INPROC_SIZES (inproc_thr and inproc_lat, both sockets in one process)
# These are the "cold start" rows: counts of about half a second to a few seconds per run, so a JVM spends a
# large part of the run warming up (interpreter, C1, then C2 compiling the per-message path), as an
# application that starts and sends does. The "steady state" rows repeat the throughput runs with counts
# about ten times larger (about 5 s of libzmq's time per run, the same count for every implementation), so
# warm-up is a small part of the run:
#   tcp, PERF_STEADY_SIZES; ipc, PERF_STEADY_IPC_SIZES; inproc, PERF_STEADY_INPROC_SIZES;
#   CURVE over tcp, PERF_STEADY_CURVE_SIZES (throughput only)
# PERF_MODE chooses: "cold steady" (default: both), "cold" or "steady".
# Each row runs PERF_ROUNDS rounds, the order of the implementations reversed every other round. Prints
# markdown tables of medians (cold-start throughput, one-way latency, steady-state throughput) with the
# first implementation's ratio to each other one.
#
# Usage: benchmarks/compare.sh            (from anywhere; builds benchmarks/target/zmq-perf.jar and
#                                          benchmarks/target/zmqperf if missing)
# Environment overrides:
#   PERF_IMPLS="native jeromq jeromq06 libzmq"   PERF_ROUNDS=3   PERF_HOST=127.0.0.1
#                                       jeromq06 runs the jar's JeroMQ adapter with JeroMQ 0.6.0 (copied by the build
#                                       to benchmarks/target/jeromq-0.6.0) in front of the jar on the classpath
#   PERF_SIZES="16 256 4096 65536"      tcp rows
#   PERF_IPC_SIZES="16"                 ipc rows ("" skips them)
#   PERF_CURVE_SIZES="64"               CURVE rows ("" skips them)
#   PERF_CURVE_IMPLS="native libzmq"    who runs the CURVE rows. JeroMQ is left out by default: JeroMQ to JeroMQ
#                                       under CURVE breaks once the receiver's HWM pushes back (local_thr gets a
#                                       raw MESSAGE command, "message of incorrect size received", and the sender
#                                       hangs: zeromq/jeromq#1009); ours paired with JeroMQ works (PerfCommandsTest)
#   PERF_INPROC_SIZES="$PERF_SIZES"     inproc rows; PERF_INPROC=0 skips them
#   PERF_THR_COUNT_<size>, PERF_LAT_COUNT_<size>, PERF_CURVE_COUNT_<size>   message / roundtrip counts
#   PERF_MODE="cold steady"             which rows: the cold-start ones, the steady-state ones, or both
#   PERF_STEADY_SIZES="16 256 4096 65536"   steady-state tcp rows ("" skips them)
#   PERF_STEADY_IPC_SIZES="16"          steady-state ipc rows ("" skips them)
#   PERF_STEADY_INPROC_SIZES="16"       steady-state inproc rows ("" skips them)
#   PERF_STEADY_CURVE_SIZES="64"        steady-state CURVE rows ("" skips them), by PERF_CURVE_IMPLS
#   PERF_STEADY_CURVE_COUNT_<size>      steady-state CURVE message counts (default 2M: a tenth of the plain
#                                       steady count, as the cold CURVE count is a fifth of the plain one)
#   PERF_STEADY_COUNT_<size>            steady-state message counts (default 20M for 16 B, 10M for 256 B,
#                                       1M for 4 KiB, 100k for 64 KiB)
#   PERF_JAVA_OPTS                   JVM flags, identical for every Java process of both Java implementations
#   PERF_JAR=path                    the perf jar (default benchmarks/target/zmq-perf.jar), e.g. another build's
#   PERF_LIBZMQ=path                 libzmq's perf binary (default benchmarks/target/zmqperf, built if missing)
#   PERF_RUN_TIMEOUT=180             seconds before a single run is killed
#   PERF_DRAIN_TIMEOUT=30            seconds the local side may take to finish after the remote side ended
#   PERF_LOG=path                    where the raw output of every run goes (default benchmarks/target/compare.log)
#   ZMQ_PERF_SERVER_PUBLIC/SECRET    CURVE server key pair (Z85); default libzmq's perf pair, as the jar's
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=${PERF_JAR:-$root/benchmarks/target/zmq-perf.jar}
zmqperf=${PERF_LIBZMQ:-$root/benchmarks/target/zmqperf}

sizes=${PERF_SIZES:-"16 256 4096 65536"}
ipc_sizes=${PERF_IPC_SIZES-16}
curve_sizes=${PERF_CURVE_SIZES-64}
inproc_sizes=${PERF_INPROC_SIZES:-$sizes}
rounds=${PERF_ROUNDS:-3}
mode=" ${PERF_MODE:-cold steady} "
steady_sizes=${PERF_STEADY_SIZES-16 256 4096 65536}
steady_ipc_sizes=${PERF_STEADY_IPC_SIZES-16}
steady_inproc_sizes=${PERF_STEADY_INPROC_SIZES-16}
steady_curve_sizes=${PERF_STEADY_CURVE_SIZES-64}
impls=(${PERF_IMPLS:-native jeromq jeromq06 libzmq})
curve_impls=" ${PERF_CURVE_IMPLS:-native libzmq} "
host=${PERF_HOST:-127.0.0.1}
run_timeout=${PERF_RUN_TIMEOUT:-180}
drain_timeout=${PERF_DRAIN_TIMEOUT:-30}
# A fixed heap, so neither side pays for heap growth mid-run, and the throughput collector.
read -r -a java_opts <<< "${PERF_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
# libzmq's perf tools' fixed server pair (perf/local_thr.cpp), which the jar also uses when these are unset.
export ZMQ_PERF_SERVER_PUBLIC=${ZMQ_PERF_SERVER_PUBLIC:-'DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH'}
export ZMQ_PERF_SERVER_SECRET=${ZMQ_PERF_SERVER_SECRET:-'{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8'}

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
# Steady state: about ten times the cold-start counts, roughly 5 s of libzmq's time per run on this machine.
default_steady_count() {
    case $1 in
        16) echo 20000000 ;; 256) echo 10000000 ;; 4096) echo 1000000 ;; 65536) echo 100000 ;;
        *) echo $(( $1 <= 64 ? 20000000 : ($1 <= 1024 ? 2560000000 / $1 : 4000000000 / $1 + 1000) )) ;;
    esac
}
thr_count() { local v="PERF_THR_COUNT_$1"; echo "${!v:-$(default_thr_count "$1")}"; }
steady_count() { local v="PERF_STEADY_COUNT_$1"; echo "${!v:-$(default_steady_count "$1")}"; }
# human <count>: 20000000 -> 20M, 100000 -> 100k (row names)
human() {
    if (( $1 % 1000000 == 0 )); then echo "$(( $1 / 1000000 ))M"
    elif (( $1 % 1000 == 0 )); then echo "$(( $1 / 1000 ))k"
    else echo "$1"; fi
}
lat_count() { local v="PERF_LAT_COUNT_$1"; echo "${!v:-$(default_lat_count "$1")}"; }
# CURVE costs a box per message on each side (about 0.37 us of CPU in Java, see CurveBoxBenchmark): a fifth of
# the plain count.
curve_count() { local v="PERF_CURVE_COUNT_$1"; echo "${!v:-$(( $(default_thr_count "$1") / 5 ))}"; }
steady_curve_count() { local v="PERF_STEADY_CURVE_COUNT_$1"; echo "${!v:-$(( $(default_steady_count "$1") / 10 ))}"; }

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
has_impl() { [[ " ${impls[*]} " == *" $1 "* ]]; }
drop_impl() { local kept=() impl; for impl in "${impls[@]}"; do [[ $impl == "$1" ]] || kept+=("$impl"); done; impls=("${kept[@]}"); }
if has_impl libzmq && [[ ! -x $zmqperf ]]; then
    echo "building $zmqperf (libzmq's perf tools, against libzmq3-dev)" >&2
    mkdir -p "$(dirname "$zmqperf")"
    if ! gcc -O2 -o "$zmqperf" "$root/benchmarks/src/main/c/zmqperf.c" -lzmq -lpthread; then
        echo "cannot build $zmqperf (install gcc and libzmq3-dev): running without libzmq" >&2
        drop_impl libzmq
    fi
fi

# JeroMQ 0.6.0 shares its packages with the 0.7.0 inside the jar: its jars go first on the classpath, so that
# every org.zeromq and zmq class comes from them. Checked once here, so a column never silently measures 0.7.0.
# Beside the jar (a copied build brings its own), else this checkout's build.
jeromq06_dir=$(dirname "$jar")/jeromq-0.6.0
[[ -f $jeromq06_dir/jeromq-0.6.0.jar ]] || jeromq06_dir=$root/benchmarks/target/jeromq-0.6.0
jeromq06_cp="$jeromq06_dir/jeromq-0.6.0.jar:$jeromq06_dir/jnacl-1.0.0.jar"
if has_impl jeromq06; then
    if [[ ! -f $jeromq06_dir/jeromq-0.6.0.jar ]]; then
        echo "no $jeromq06_dir/jeromq-0.6.0.jar (built with the perf jar: mvn -pl benchmarks -am package): running without jeromq06" >&2
        drop_impl jeromq06
    else
        probe=$(java -verbose:class -cp "$jeromq06_cp:$jar" dev.zmq.perf.Main --impl jeromq inproc_thr 16 1000 2>&1 || true)
        # (lambdas name the class that defined them as their source, not a jar)
        loaded=$(grep -E '\] (org\.zeromq|zmq)\.[^ ]+ source:' <<< "$probe" | grep -v '\$\$Lambda' || true)
        if ! grep -q 'mean throughput' <<< "$probe" || [[ -z $loaded ]] || grep -qv 'jeromq-0.6.0.jar' <<< "$loaded"; then
            echo "jeromq06: a probe run failed or loaded JeroMQ classes from $jar rather than 0.6.0: running without jeromq06" >&2
            drop_impl jeromq06
        fi
    fi
fi

# start <out-file> <impl> <command> <args...>: starts a perf process in the background; its pid is in $started.
start() {
    local out=$1 impl=$2
    shift 2
    if [[ $impl == libzmq ]]; then
        env "${libzmq_env[@]}" timeout "$run_timeout" "$zmqperf" "$@" > "$out" 2>&1 &
    elif [[ $impl == jeromq06 ]]; then
        timeout "$run_timeout" java "${java_opts[@]}" -cp "$jeromq06_cp:$jar" dev.zmq.perf.Main --impl jeromq "$@" > "$out" 2>&1 &
    else
        timeout "$run_timeout" java "${java_opts[@]}" -jar "$jar" --impl "$impl" "$@" > "$out" 2>&1 &
    fi
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

libzmq_env=() # extra environment of the next libzmq process (see run_pair)

# ipc_bound <path> <pid of timeout>: whether the local side listens: its socket file exists, or (JeroMQ, whose
# ipc:// is tcp loopback on a port it picks) the process under timeout listens on tcp.
ipc_bound() {
    [[ -S $1 ]] && return 0
    local child
    child=$(pgrep -P "$2" | head -1)
    [[ -n $child ]] && ss -Htlnp 2>/dev/null | grep -q "pid=$child,"
}

ipc_serial=0
# new_endpoint <transport> <pid>: sets $endpoint to a fresh endpoint and $ready to a command, run once the
# local side (pid) is started, true once it is bound.
new_endpoint() {
    if [[ $1 == ipc ]]; then
        ipc_serial=$((ipc_serial + 1))
        endpoint="ipc://$work/ipc-$ipc_serial"
        ready="ipc_bound $work/ipc-$ipc_serial"
    else
        local port
        port=$(free_port)
        endpoint="tcp://$host:$port"
        ready="listening $port"
    fi
}

# run_pair <impl> <transport> <local-command> <remote-command> <size> <count> <out-file> [<extra-arg>...]
# Starts the local side on a fresh endpoint, waits until it is bound, runs the remote side, waits for both.
# The results are on the local side for throughput and on the remote side for latency: both outputs
# go to <out-file>. Returns non-zero if either side failed. Extra arguments (CURVE's 1) go to both sides.
run_pair() {
    local impl=$1 transport=$2 local_cmd=$3 remote_cmd=$4 size=$5 count=$6 out=$7
    shift 7
    local attempt local_pid remote_pid deadline status=0
    for attempt in 1 2 3 4 5; do
        new_endpoint "$transport"
        # libzmq 4.3 over ipc loses the last messages when the sender closes while the receiver's RCVHWM holds
        # its input stopped (zeromq/libzmq#4660): local_thr then never sees its count. Its receiver alone gets an
        # unbounded RCVHWM there, so it never stops reading (if anything, a help to libzmq).
        libzmq_env=()
        [[ $transport == ipc && $local_cmd == local_thr ]] && libzmq_env=(ZMQ_PERF_HWM=0)
        start "$out.local" "$impl" "$local_cmd" "$endpoint" "$size" "$count" "$@"
        libzmq_env=()
        local_pid=$started
        [[ $transport == ipc ]] && ready+=" $local_pid"
        deadline=$(( SECONDS + 30 ))
        while ! $ready && kill -0 "$local_pid" 2>/dev/null && (( SECONDS < deadline )); do
            sleep 0.05
        done
        if $ready; then
            break
        fi
        # Lost a race for the port, or the local side failed: try again on another endpoint.
        kill "$local_pid" 2>/dev/null || true
        finish "$local_pid" || true
        if (( attempt == 5 )); then
            cat "$out.local" > "$out"
            return 1
        fi
    done
    start "$out.remote" "$impl" "$remote_cmd" "$endpoint" "$size" "$count" "$@"
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
        echo "--- $impl $local_cmd $endpoint $size $count $*"
        cat "$out.local"
        echo "--- $impl $remote_cmd $endpoint $size $count $*"
        cat "$out.remote"
    } > "$out"
    return "$status"
}

# median of the numbers on stdin ("NA" ignored), with as many decimals as the inputs; NA if there are none
median() {
    { grep -E '^[0-9.]+$' || true; } | sort -g | awk '{ v[NR] = $1; if (index($1, ".")) dec = 3 } END {
        if (NR == 0) { print "NA"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.*f\n", dec, m
    }'
}

ratio() { # ratio <a> <b>: a/b with 2 decimals, NA if either is missing
    awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b == 0) print "NA"; else printf "%.2f\n", a / b }'
}

# ordered <round> <impl...>: the implementations, reversed on even rounds, so none always runs on a warmer machine
ordered() {
    local round=$1
    shift
    local list=("$@") i
    order=()
    if (( round % 2 == 0 )); then
        for (( i = ${#list[@]} - 1; i >= 0; i-- )); do order+=("${list[i]}"); done
    else
        order=("${list[@]}")
    fi
}

thr_value() { sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p' "$1"; }
mbps_value() { sed -n 's/^mean throughput: \([0-9.]*\) \[Mb\/s\]$/\1/p' "$1"; }
lat_value() { sed -n 's/^average latency: \([0-9.]*\) \[us\]$/\1/p' "$1"; }

failures=0
declare -A thr lat # key "<row>,<impl>": the values of every round, space-separated
rows_thr=() rows_lat=() rows_steady=()
: > "$log"

fail() { # fail <what> <out-file>
    failures=$((failures + 1))
    echo "FAILED: $1:" >&2
    sed 's/^/    /' "$2" >&2
}

# measure_thr <row> <impl> <transport> <size> <count> <out> [<extra>]: one throughput run into thr[row,impl]
measure_thr() {
    local row=$1 impl=$2 transport=$3 size=$4 count=$5 out=$6 value mbps t0=$SECONDS
    shift 6
    if run_pair "$impl" "$transport" local_thr remote_thr "$size" "$count" "$out" "$@"; then
        value=$(thr_value "$out") mbps=$(mbps_value "$out")
    else
        value=NA mbps=NA
        fail "$impl thr $row" "$out"
    fi
    thr[$row,$impl]+="${value:-NA} "
    cat "$out" >> "$log"
    printf '%-8s %-16s thr %10s msg/s %10s Mb/s (%3ds)\n' "$impl" "$row" "${value:-NA}" "${mbps:-NA}" $((SECONDS - t0)) >&2
}

# measure_lat <row> <impl> <transport> <size> <count> <out>: one latency run into lat[row,impl]
measure_lat() {
    local row=$1 impl=$2 transport=$3 size=$4 count=$5 out=$6 us t0=$SECONDS
    if run_pair "$impl" "$transport" local_lat remote_lat "$size" "$count" "$out"; then
        us=$(lat_value "$out")
    else
        us=NA
        fail "$impl lat $row" "$out"
    fi
    lat[$row,$impl]+="${us:-NA} "
    cat "$out" >> "$log"
    printf '%-8s %-16s lat %10s us (%3ds)\n' "$impl" "$row" "${us:-NA}" $((SECONDS - t0)) >&2
}

# measure_inproc <row> <impl> <size> <thr-count> <lat-count> <out>
measure_inproc() {
    local row=$1 impl=$2 size=$3 tc=$4 lc=$5 out=$6 value us
    start "$out.thr" "$impl" inproc_thr "$size" "$tc"
    if finish "$started"; then value=$(thr_value "$out.thr"); else value=NA; fail "$impl inproc_thr $size" "$out.thr"; fi
    start "$out.lat" "$impl" inproc_lat "$size" "$lc"
    if finish "$started"; then us=$(lat_value "$out.lat"); else us=NA; fail "$impl inproc_lat $size" "$out.lat"; fi
    thr[$row,$impl]+="${value:-NA} "
    lat[$row,$impl]+="${us:-NA} "
    { echo "--- $impl inproc_thr $size $tc"; cat "$out.thr"; echo "--- $impl inproc_lat $size $lc"; cat "$out.lat"; } >> "$log"
    printf '%-8s %-16s thr %10s msg/s, lat %9s us\n' "$impl" "$row" "${value:-NA}" "${us:-NA}" >&2
}

# measure_inproc_thr <row> <impl> <size> <count> <out>: inproc throughput only (the steady-state rows)
measure_inproc_thr() {
    local row=$1 impl=$2 size=$3 count=$4 out=$5 value t0=$SECONDS
    start "$out" "$impl" inproc_thr "$size" "$count"
    if finish "$started"; then value=$(thr_value "$out"); else value=NA; fail "$impl inproc_thr $size" "$out"; fi
    thr[$row,$impl]+="${value:-NA} "
    { echo "--- $impl inproc_thr $size $count"; cat "$out"; } >> "$log"
    printf '%-8s %-16s thr %10s msg/s (%3ds)\n' "$impl" "$row" "${value:-NA}" $((SECONDS - t0)) >&2
}

cold() { [[ $mode == *" cold "* ]]; }
steady() { [[ $mode == *" steady "* ]]; }
if ! cold; then sizes="" ipc_sizes="" curve_sizes="" inproc_sizes=""; fi
if ! steady; then steady_sizes="" steady_ipc_sizes="" steady_inproc_sizes="" steady_curve_sizes=""; fi
# curve_who: the implementations of this run that run the CURVE rows, into $who
curve_who() {
    local impl
    who=()
    for impl in "${impls[@]}"; do [[ $curve_impls == *" $impl "* ]] && who+=("$impl"); done
}

echo "# zmq-perf: ${impls[*]}, one run" >&2
echo "# $(java -version 2>&1 | head -1); JVM flags: ${java_opts[*]}; rounds: $rounds; $(nproc) CPUs; $(uptime | sed 's/.*\(load average\)/\1/'); raw log: $log" >&2

for size in $sizes; do
    row="tcp $size B"; rows_thr+=("$row"); rows_lat+=("$row")
    for round in $(seq "$rounds"); do
        ordered "$round" "${impls[@]}"
        for impl in "${order[@]}"; do
            measure_thr "$row" "$impl" tcp "$size" "$(thr_count "$size")" "$work/$impl-tcp-$size-$round.thr"
            measure_lat "$row" "$impl" tcp "$size" "$(lat_count "$size")" "$work/$impl-tcp-$size-$round.lat"
        done
    done
done

for size in $ipc_sizes; do
    row="ipc $size B"; rows_thr+=("$row"); rows_lat+=("$row")
    for round in $(seq "$rounds"); do
        ordered "$round" "${impls[@]}"
        for impl in "${order[@]}"; do
            measure_thr "$row" "$impl" ipc "$size" "$(thr_count "$size")" "$work/$impl-ipc-$size-$round.thr"
            measure_lat "$row" "$impl" ipc "$size" "$(lat_count "$size")" "$work/$impl-ipc-$size-$round.lat"
        done
    done
done

for size in $curve_sizes; do
    row="CURVE tcp $size B"; rows_thr+=("$row")
    curve_who
    for round in $(seq "$rounds"); do
        ordered "$round" "${who[@]}"
        for impl in "${order[@]}"; do
            measure_thr "$row" "$impl" tcp "$size" "$(curve_count "$size")" "$work/$impl-curve-$size-$round.thr" 1
        done
    done
done

if [[ ${PERF_INPROC:-1} != 0 ]] && cold; then
    for size in $inproc_sizes; do
        row="inproc $size B"; rows_thr+=("$row"); rows_lat+=("$row")
        for round in $(seq "$rounds"); do
            ordered "$round" "${impls[@]}"
            for impl in "${order[@]}"; do
                measure_inproc "$row" "$impl" "$size" "$(thr_count "$size")" "$(lat_count "$size")" "$work/$impl-inproc-$size-$round"
            done
        done
    done
fi

# Steady state: the same throughput runs with counts large enough that warm-up is a small part of each run.
for size in $steady_sizes; do
    count=$(steady_count "$size")
    row="tcp $size B x$(human "$count")"; rows_steady+=("$row")
    for round in $(seq "$rounds"); do
        ordered "$round" "${impls[@]}"
        for impl in "${order[@]}"; do
            measure_thr "$row" "$impl" tcp "$size" "$count" "$work/$impl-steady-tcp-$size-$round.thr"
        done
    done
done

for size in $steady_ipc_sizes; do
    count=$(steady_count "$size")
    row="ipc $size B x$(human "$count")"; rows_steady+=("$row")
    for round in $(seq "$rounds"); do
        ordered "$round" "${impls[@]}"
        for impl in "${order[@]}"; do
            measure_thr "$row" "$impl" ipc "$size" "$count" "$work/$impl-steady-ipc-$size-$round.thr"
        done
    done
done

for size in $steady_curve_sizes; do
    count=$(steady_curve_count "$size")
    row="CURVE tcp $size B x$(human "$count")"; rows_steady+=("$row")
    curve_who
    for round in $(seq "$rounds"); do
        ordered "$round" "${who[@]}"
        for impl in "${order[@]}"; do
            measure_thr "$row" "$impl" tcp "$size" "$count" "$work/$impl-steady-curve-$size-$round.thr" 1
        done
    done
done

if [[ ${PERF_INPROC:-1} != 0 ]]; then
    for size in $steady_inproc_sizes; do
        count=$(steady_count "$size")
        row="inproc $size B x$(human "$count")"; rows_steady+=("$row")
        for round in $(seq "$rounds"); do
            ordered "$round" "${impls[@]}"
            for impl in "${order[@]}"; do
                measure_inproc_thr "$row" "$impl" "$size" "$count" "$work/$impl-steady-inproc-$size-$round.thr"
            done
        done
    done
fi

a=${impls[0]}
others=("${impls[@]:1}")
med() { if [[ -z $1 ]]; then echo "-"; else tr ' ' '\n' <<< "$1" | median; fi; } # "-": not run

echo
echo "Medians of $rounds rounds (every implementation at its default HWM); $(uptime | sed 's/.*\(load average\)/\1/') at the end."
echo "Ratios are $a's advantage: > 1 means $a is faster. "-": not run; NA: every round failed (see above)."
echo
# thr_table <title> <row...>: the throughput medians of the rows, with the first implementation's ratios
thr_table() {
    local title=$1 row line mine header rule impl
    shift
    header="| $title |"
    rule="|---|"
    for impl in "${impls[@]}"; do header+=" $impl |"; rule+="---:|"; done
    for impl in "${others[@]}"; do header+=" $a/$impl |"; rule+="---:|"; done
    echo "$header"
    echo "$rule"
    for row in "$@"; do
        line="| $row |"
        mine=$(med "${thr[$row,$a]:-}")
        for impl in "${impls[@]}"; do line+=" $(med "${thr[$row,$impl]:-}") |"; done
        for impl in "${others[@]}"; do line+=" $(ratio "$mine" "$(med "${thr[$row,$impl]:-}")") |"; done
        echo "$line"
    done
}

if (( ${#rows_thr[@]} > 0 )); then
    thr_table "throughput, cold start (msg/s)" "${rows_thr[@]}"
fi

if (( ${#rows_lat[@]} > 0 )); then
    echo
    header="| one-way latency (us) |"
    rule="|---|"
    for impl in "${impls[@]}"; do header+=" $impl |"; rule+="---:|"; done
    for impl in "${others[@]}"; do header+=" $impl/$a |"; rule+="---:|"; done
    echo "$header"
    echo "$rule"
    for row in "${rows_lat[@]}"; do
        line="| $row |"
        mine=$(med "${lat[$row,$a]:-}")
        for impl in "${impls[@]}"; do line+=" $(med "${lat[$row,$impl]:-}") |"; done
        for impl in "${others[@]}"; do line+=" $(ratio "$(med "${lat[$row,$impl]:-}")" "$mine") |"; done
        echo "$line"
    done
fi

if (( ${#rows_steady[@]} > 0 )); then
    (( ${#rows_thr[@]} + ${#rows_lat[@]} > 0 )) && echo
    thr_table "throughput, steady state (msg/s)" "${rows_steady[@]}"
fi

if (( failures > 0 )); then
    echo
    echo "$failures run(s) failed; see the messages above." >&2
    exit 1
fi
