#!/usr/bin/env bash
# Runs one of the samples, every role it needs, so you can watch ZeroMQ messages flow:
#
#   samples/run.sh hello-world          a server, and a client that sends "Hello" ten times
#   samples/run.sh weather              a server publishing updates, a client averaging one zipcode's
#   samples/run.sh divide-and-conquer   a sink, WORKERS workers (default 2) and the ventilator
#   samples/run.sh broker               a broker, a worker and a client
#
# Builds the sample's jar first (mvn, from the repository root) when it is missing or older than the
# sources. Servers and workers run in the background and are stopped (SIGTERM) when the script ends,
# also on Ctrl-C; the exit status is the client's (the sink's for divide-and-conquer).
#
# Environment:
#   WORKERS=N   divide-and-conquer: how many workers (default 2)
#   ARGS="..."  extra arguments for every role, e.g. ARGS="--hello-world.work=0s"
#   BIND=ep     servers bind ep instead of the Guide's ports, e.g. BIND='tcp://127.0.0.1:*' (free
#               ports); the clients connect to the endpoints the servers print
set -euo pipefail
set -f  # no globbing: BIND's '*' is a wildcard port, not a file name

usage() {
  echo "usage: $0 hello-world|weather|divide-and-conquer|broker" >&2
  exit 2
}

[[ $# -eq 1 ]] || usage
sample=$1
case $sample in
  hello-world|weather|divide-and-conquer|broker) ;;
  *) usage ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=$root/samples/$sample/target/$sample.jar
workers=${WORKERS:-2}
read -ra extra <<< "${ARGS:-}"
bind=${BIND:-}
[[ $workers =~ ^[1-9][0-9]*$ ]] || { echo "WORKERS must be a number of at least 1, got '$workers'" >&2; exit 2; }

# The jar is stale when any source of the library or of this sample (or a pom) is newer.
if [[ ! -f $jar ]] || [[ -n $(find "$root/pom.xml" "$root/samples/pom.xml" \
      "$root/zmq-core" "$root/zmq-spring" "$root/zmq-spring-boot-autoconfigure" "$root/zmq-spring-boot-starter" "$root/samples/$sample" \
      \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit) ]]; then
  echo "Building $sample (./mvnw -B -q -pl samples/$sample -am package -DskipTests)..."
  (cd "$root" && ./mvnw -B -q -pl "samples/$sample" -am package -DskipTests)
fi

logs=$(mktemp -d)
pids=()

stop_background() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    # a clean Spring shutdown takes a moment; past 20 s, force it
    for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$logs"
}
trap stop_background EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# role NAME PROFILE ARGS...: starts a role in the background, its output on the terminal and in $logs/NAME.
role() {
  local name=$1 profile=$2
  shift 2
  java -jar "$jar" --spring.profiles.active="$profile" "$@" ${extra[@]+"${extra[@]}"} > >(trap "" INT; exec tee "$logs/$name") 2>&1 &
  pids+=($!)
}

# ready NAME REGEX: waits for the last started role to print a line matching REGEX; prints the match's group 1.
ready() {
  local name=$1 regex=$2 pid=${pids[-1]} deadline=$((SECONDS + 60))
  until grep -qE "$regex" "$logs/$name" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: the $name exited before it was ready" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "run.sh: the $name was not ready within 60 s" >&2; exit 1; }
    sleep 0.1
  done
  sed -nE "s#.*$regex.*#\\1#p" "$logs/$name" | head -n 1
}

# bind_arg SOCKET: overrides SOCKET's bind when BIND is set.
bind_arg() { [[ -z $bind ]] || echo "--zmq.sockets.$1.bind=$bind"; }
# connect_arg SOCKET ENDPOINT: connects SOCKET to ENDPOINT (the one a server printed) when BIND is set.
connect_arg() { [[ -z $bind ]] || echo "--zmq.sockets.$1.connect=$2"; }

# run_client ARGS...: the client in the foreground; its exit status is the script's.
run_client() {
  local status=0
  java -jar "$jar" --spring.profiles.active=client "$@" ${extra[@]+"${extra[@]}"} || status=$?
  exit "$status"
}

case $sample in
  hello-world)
    role server server $(bind_arg responder)
    endpoint=$(ready server 'hello world server bound to (tcp://[^ ,]+)')
    run_client $(connect_arg requester "$endpoint")
    ;;
  weather)
    role server server $(bind_arg updates)
    endpoint=$(ready server 'weather server bound to (tcp://[^ ,]+)')
    run_client $(connect_arg updates "$endpoint")
    ;;
  broker)
    role server server $(bind_arg frontend) $(bind_arg backend) ${bind:+--server.port=0}
    frontend=$(ready server 'broker frontend bound to (tcp://[^ ,]+)')
    backend=$(ready server 'backend bound to (tcp://[^ ,]+)')
    role worker worker $(connect_arg backend "$backend")
    run_client $(connect_arg frontend "$frontend")
    ;;
  divide-and-conquer)
    role sink sink $(bind_arg results)
    sink=$(ready sink 'sink bound to (tcp://[^ ,]+)')
    # the ventilator waits for all the workers instead of for Enter, then sends its batch
    role ventilator ventilator $(bind_arg tasks) $(connect_arg sink "$sink") \
      --ventilator.wait-for-enter=false --ventilator.min-workers="$workers"
    ventilator=$(ready ventilator 'ventilator bound to (tcp://[^ ,]+)')
    for i in $(seq "$workers"); do
      role "worker-$i" worker $(connect_arg tasks "$ventilator") $(connect_arg results "$sink")
    done
    status=0
    wait "${pids[1]}" || status=$?  # the ventilator
    ((status == 0)) || { echo "run.sh: the ventilator failed with exit status $status" >&2; exit "$status"; }
    wait "${pids[0]}" || status=$?  # the sink, done once it has every result
    exit "$status"
    ;;
esac
