#!/usr/bin/env bash
# Where a cold CURVE window goes: compare.sh's cold CURVE row (local_thr and remote_thr over tcp loopback, both
# sides under CURVE, 64 B x200k) for libzmq and for this build under several JIT settings, interleaved (the order
# of the variants rotated every round), then each variant's median. Only "default" is what compare.sh measures;
# the others switch parts of HotSpot's tiered compilation off (diagnostic flags, never used by compare.sh) to
# show how much of the window the JIT's own work takes on this machine:
#   libzmq            libzmq's perf tools (benchmarks/target/zmqperf, as compare.sh)
#   default           compare.sh's JVM flags (PERF_JAVA_OPTS)
#   c1                -XX:TieredStopAtLevel=1: every method compiled by C1 without profiling, nothing by C2
#   c1-profiled       -XX:TieredStopAtLevel=3: C1 with full profiling (the tier code runs in until C2 has
#                     compiled it), nothing by C2
#   c2-crypto-only    C2 compiles dev.zmq.internal.crypto alone (a compiler directive excludes every other
#                     method from C2, which then stays at C1 without profiling)
#   c2-not-zmq        C2 compiles the crypto package and the JDK, not the rest of dev.zmq (pipes, sockets,
#                     engine, codec, the perf tools)
#
# Usage: benchmarks/curve-jit.sh [ROUNDS]        (default 5)
# Environment: PERF_JAR (default benchmarks/target/zmq-perf.jar), PERF_LIBZMQ (default benchmarks/target/
#   zmqperf), PERF_JAVA_OPTS (default compare.sh's "-Xms512m -Xmx512m -XX:+UseParallelGC"),
#   PERF_CURVE_SIZE (64), PERF_CURVE_COUNT (200000), PERF_CURVE_VARIANTS (all of the above, space-separated)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/benchmarks/ab-common.sh"
rounds=${1:-5}
jar=${PERF_JAR:-$root/benchmarks/target/zmq-perf.jar}
zmqperf=${PERF_LIBZMQ:-$root/benchmarks/target/zmqperf}
size=${PERF_CURVE_SIZE:-64}
count=${PERF_CURVE_COUNT:-200000}
read -r -a java_opts <<< "${PERF_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
read -r -a variants <<< "${PERF_CURVE_VARIANTS:-libzmq default c1 c1-profiled c2-crypto-only c2-not-zmq}"
[[ -f $jar ]] || { echo "no perf jar at $jar: ./mvnw -B -pl benchmarks -am package -DskipTests" >&2; exit 1; }
if [[ " ${variants[*]} " == *" libzmq "* && ! -x $zmqperf ]]; then
    echo "no libzmq perf binary at $zmqperf: run benchmarks/compare.sh once (it builds it), set PERF_LIBZMQ, or leave libzmq out of PERF_CURVE_VARIANTS" >&2
    exit 1
fi
# libzmq's perf pair, as compare.sh's
export ZMQ_PERF_SERVER_PUBLIC=${ZMQ_PERF_SERVER_PUBLIC:-'DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH'}
export ZMQ_PERF_SERVER_SECRET=${ZMQ_PERF_SERVER_SECRET:-'{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8'}
work=$(mktemp -d "${TMPDIR:-/tmp}/zmq-curve-jit.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Directives match in order, the first match wins.
cat > "$work/c2-crypto-only.json" <<'EOF'
[ { match: "dev/zmq/internal/crypto/*.*", c2: { Exclude: false } }, { match: "*.*", c2: { Exclude: true } } ]
EOF
cat > "$work/c2-not-zmq.json" <<'EOF'
[ { match: "dev/zmq/internal/crypto/*.*", c2: { Exclude: false } }, { match: "dev/zmq/*.*", c2: { Exclude: true } } ]
EOF

# variant_command <variant> <local_thr|remote_thr> <endpoint>: into cmd=(...)
variant_command() {
    local directives=(-XX:+UnlockDiagnosticVMOptions)
    case $1 in
        libzmq) cmd=("$zmqperf" "$2" "$3" "$size" "$count" 1); return ;;
        default) directives=() ;;
        c1) directives=(-XX:TieredStopAtLevel=1) ;;
        c1-profiled) directives=(-XX:TieredStopAtLevel=3) ;;
        c2-crypto-only | c2-not-zmq) directives+=("-XX:CompilerDirectivesFile=$work/$1.json") ;;
        *) echo "unknown variant $1" >&2; exit 1 ;;
    esac
    cmd=(java "${java_opts[@]}" "${directives[@]}" -jar "$jar" --impl native "$2" "$3" "$size" "$count" 1)
}

fields=(thr)
for round in $(seq "$rounds"); do
    for (( i = 0; i < ${#variants[@]}; i++ )); do
        variant=${variants[$(( (i + round) % ${#variants[@]} ))]}
        port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        endpoint="tcp://127.0.0.1:$port"
        variant_command "$variant" local_thr "$endpoint"
        timeout 120 "${cmd[@]}" > "$work/recv" 2>&1 &
        pid=$!
        until [[ -n $(ss -Htln "sport = :$port") ]]; do kill -0 "$pid" || break; sleep 0.02; done
        variant_command "$variant" remote_thr "$endpoint"
        timeout 120 "${cmd[@]}" > "$work/send" 2>&1 || true
        wait "$pid" || true
        thr=$(sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p' "$work/recv")
        record "$variant" "$thr"
        printf '%-16s %5s B x%-8s %9s msg/s | load %s\n' "$variant" "$size" "$count" "${thr:-NA}" "$(cut -d' ' -f1-3 /proc/loadavg)"
    done
done
libzmq_median=$(median <<< "${results[libzmq,thr]:-}")
for variant in "${variants[@]}"; do
    med=$(median <<< "${results[$variant,thr]}")
    ratio=NA
    [[ $med != NA && $libzmq_median != NA ]] && ratio=$(awk -v a="$med" -v b="$libzmq_median" 'BEGIN { printf "%.2f", a / b }')
    printf 'MEDIAN %-16s %5s B x%-8s %9s msg/s  %s x libzmq\n' "$variant" "$size" "$count" "$med" "$ratio"
done
