#!/usr/bin/env bash
# epgm (PGM over UDP multicast) throughput and loss recovery, ours against libzmq 4.3.4 (OpenPGM), in
# all four pairings, inside a network namespace this script creates and removes (needs root and
# iproute2; iptables for the loss runs). The peers are the epgm tests' own: our EpgmPeer in a JVM
# and epgm_peer.py on Debian's pyzmq. Each run: one subscriber, one publisher sending COUNT
# messages ["data", i, SIZE bytes] (plus an "other" topic every tenth, filtered by the subscriber)
# as fast as RATE allows; the subscriber reports how many arrived, whether in order and whole, and
# msg/s between the first and the last one it received.
#
# Usage: benchmarks/epgm.sh   (from anywhere; compiles zmq-core's test classes if needed)
# Environment: EPGM_RATES="10000 100000" (kbit/s)  EPGM_SIZE=100  EPGM_SECONDS=3 (of traffic at RATE)
#              EPGM_LOSSES="1 5" (percent, at the first rate)  EPGM_PAIRS="ours:ours ours:libzmq libzmq:ours libzmq:libzmq"
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rates=${EPGM_RATES:-"10000 100000"}
size=${EPGM_SIZE:-100}
seconds=${EPGM_SECONDS:-3}
losses=${EPGM_LOSSES:-"1 5"}
pairs=${EPGM_PAIRS:-"ours:ours ours:libzmq libzmq:ours libzmq:libzmq"}
[ "$(id -u)" = 0 ] || { echo "epgm.sh needs root (it creates a network namespace)"; exit 2; }
command -v ip >/dev/null || { echo "needs iproute2: apt-get install -y iproute2"; exit 2; }

# EpgmPeer drives its commands through zmq-testkit's LineProcess: that module's classes too.
classes="$root/zmq-core/target/classes:$root/zmq-core/target/test-classes:$root/zmq-testkit/target/classes"
if [ ! -f "$root/zmq-core/target/test-classes/dev/zmq/transport/epgm/EpgmPeer.class" ] \
    || [ ! -d "$root/zmq-testkit/target/classes/dev/zmq/testkit" ]; then
  (cd "$root" && ./mvnw -B -q -pl zmq-core -am test-compile)
fi
script="$root/zmq-core/target/test-classes/epgm/epgm_peer.py"
ns="zmqepgmbench$$"
tmp=$(mktemp -d)
cleanup() { jobs -p | xargs -r kill 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link set lo multicast on
ip netns exec "$ns" ip route add 224.0.0.0/4 dev lo
endpoint='epgm://127.0.0.1;239.192.7.7:5555'

peer() { # impl args...
  local impl=$1; shift
  if [ "$impl" = ours ]; then
    ip netns exec "$ns" java -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$classes" dev.zmq.transport.epgm.EpgmPeer "$@"
  else
    ip netns exec "$ns" /usr/bin/python3 "$script" "$@"
  fi
}

wait_for() { # file pattern seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

run() { # pub sub rate loss -> prints "count rate" of the subscriber, or "timeout"
  local pub=$1 sub=$2 rate=$3 loss=$4
  # messages for about $seconds of traffic at the rate (payload + framing + packet headers)
  local count=$((rate * 1000 / 8 * seconds / (size + 40)))
  ip netns exec "$ns" iptables -F INPUT 2>/dev/null || true
  if [ "$loss" != 0 ]; then
    ip netns exec "$ns" iptables -A INPUT -p udp -m statistic --mode random --probability "0.0$loss" -j DROP
  fi
  rm -f "$tmp"/*.out "$tmp/cmd"; mkfifo "$tmp/cmd"
  peer "$sub" sub "$endpoint" 1 "$rate" $((seconds * 10 + 30)) > "$tmp/sub.out" 2>&1 &
  local subpid=$!
  wait_for "$tmp/sub.out" READY 30 || { echo "sub did not start"; return; }
  peer "$pub" pub "$endpoint" "$count" "$size" "$rate" < "$tmp/cmd" > "$tmp/pub.out" 2>&1 &
  local pubpid=$!
  exec 3>"$tmp/cmd"
  wait_for "$tmp/pub.out" READY 30 && wait_for "$tmp/sub.out" JOINED 30 || { echo "no join"; exec 3>&-; return; }
  echo go >&3
  wait_for "$tmp/sub.out" 'RESULT\|TIMEOUT' $((seconds * 10 + 40)) || true
  echo stop >&3; exec 3>&-
  wait "$pubpid" 2>/dev/null || true; wait "$subpid" 2>/dev/null || true
  local line; line=$(grep 'RESULT\|TIMEOUT' "$tmp/sub.out" | head -1)
  # our side's PGM counters (SocketStatistics.multicast()), printed by EpgmPeer as it ends
  local mc="" m
  m=$(grep -o 'MULTICAST MulticastStatistics\[.*\]' "$tmp/pub.out" | head -1)
  [ -n "$m" ] && mc="pub: NAKs $(sed -n 's/.*naksReceived=\([0-9]*\).*/\1/p' <<< "$m"), RDATA $(sed -n 's/.*repairsSent=\([0-9]*\).*/\1/p' <<< "$m")"
  m=$(grep -o 'MULTICAST 0 MulticastStatistics\[.*\]' "$tmp/sub.out" | head -1)
  [ -n "$m" ] && mc="${mc:+$mc; }sub: NAKs $(sed -n 's/.*naksSent=\([0-9]*\).*/\1/p' <<< "$m"), lost $(sed -n 's/.*packetsLost=\([0-9]*\).*/\1/p' <<< "$m")"
  echo "$count ${line:-none} |${mc:- }"
}

echo "epgm: $size-byte messages, one subscriber, $(nproc) cores, libzmq $(/usr/bin/python3 -c 'import zmq; print(zmq.zmq_version())')"
echo
echo "| PUB -> SUB | RATE (kbit/s) | loss | sent | received | in order | msg/s at the subscriber | our side's repair counters |"
echo "|---|---|---|---|---|---|---|---|"
first_rate=${rates%% *}
for rate in $rates; do
  for pair in $pairs; do
    out=$(run "${pair%%:*}" "${pair##*:}" "$rate" 0)
    read -r count rest <<< "$out"
    got=$(sed -n 's/.*count=\([0-9]*\).*/\1/p' <<< "$rest"); ord=$(sed -n 's/.*ordered=\([a-z]*\).*/\1/p' <<< "$rest")
    r=$(sed -n 's/.*rate=\([0-9]*\).*/\1/p' <<< "$rest")
    echo "| ${pair%%:*} -> ${pair##*:} | $rate | 0% | $count | ${got:-${rest%%|*}} | ${ord:-} | ${r:-} | ${rest#*|} |"
  done
done
for loss in $losses; do
  for pair in $pairs; do
    out=$(run "${pair%%:*}" "${pair##*:}" "$first_rate" "$loss")
    read -r count rest <<< "$out"
    got=$(sed -n 's/.*count=\([0-9]*\).*/\1/p' <<< "$rest"); ord=$(sed -n 's/.*ordered=\([a-z]*\).*/\1/p' <<< "$rest")
    r=$(sed -n 's/.*rate=\([0-9]*\).*/\1/p' <<< "$rest")
    echo "| ${pair%%:*} -> ${pair##*:} | $first_rate | $loss% | $count | ${got:-${rest%%|*}} | ${ord:-} | ${r:-} | ${rest#*|} |"
  done
done
