#!/usr/bin/env bash
# Long coverage-guided fuzzing runs of zmq-core's Jazzer targets (src/test/java/dev/zmq/fuzz).
#
#   scripts/fuzz.sh                         # every target, 60 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh v3 stream   # chosen targets (method names or Class#method)
#
# `mvn verify` runs the same targets in regression mode (seeds and kept findings only). Here each
# target fuzzes in its own JVM (JAZZER_FUZZ=1, one target per JVM as Jazzer requires) and the script
# prints, per target, the executions, libFuzzer's coverage (cov = covered edges, ft = features) and
# the corpus size. A finding fails the target: Jazzer saves the input as
# zmq-core/src/test/resources/dev/zmq/fuzz/<Class>Inputs/<method>/crash-<sha1>, where it stays as a
# regression input once committed (fix the bug, keep the file). The generated corpus grows in
# zmq-core/.cifuzz-corpus/ (ignored by git) and is reused by later runs.
# Logs: zmq-core/target/fuzz/<Class>.<method>.log
set -uo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${FUZZ_SECONDS:-60}
ALL=(
  FrameDecoderFuzzTest#v3 FrameDecoderFuzzTest#v2 FrameDecoderFuzzTest#v1
  WireFuzzTest#greeting WireFuzzTest#command WireFuzzTest#metadata
  PlainHandshakeFuzzTest#server PlainHandshakeFuzzTest#client PlainHandshakeFuzzTest#zapReply
  CurveHandshakeFuzzTest#manInTheMiddle
  Z85FuzzTest#decode Z85FuzzTest#roundTrip
  ZmtpStreamFuzzTest#stream
)
targets=()
if [ $# -eq 0 ]; then
  targets=("${ALL[@]}")
else
  for want in "$@"; do
    for t in "${ALL[@]}"; do
      if [ "$t" = "$want" ] || [ "${t#*#}" = "$want" ] || [ "${t%#*}" = "$want" ]; then targets+=("$t"); fi
    done
  done
fi
[ ${#targets[@]} -gt 0 ] || { echo "no such target: $*; targets: ${ALL[*]}"; exit 2; }

mvn -B -o -q -Dstyle.color=never -pl zmq-core test-compile || { echo "test-compile failed"; exit 2; }
mkdir -p zmq-core/target/fuzz
printf '%-40s %10s %8s %8s %6s %7s  %s\n' target executions exec/s cov ft corpus result
failed=0
for t in "${targets[@]}"; do
  log="zmq-core/target/fuzz/${t/\#/.}.log"
  # The SSRF detector is off: the stream target connects to its own loopback servers, from several threads.
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${SECONDS_EACH}s" \
  JAZZER_DISABLED_HOOKS=com.code_intelligence.jazzer.sanitizers.ServerSideRequestForgery \
    mvn -B -o -q -Dstyle.color=never -pl zmq-core surefire:test@fuzz-regression -Dtest="$t" -Djazzer.hooks=true \
        -DargLine="-Xmx768m" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
  rc=$?
  # libFuzzer's last status line (DONE, or the last pulse/NEW line if it stopped on a finding).
  stat=$(grep -E '^#[0-9]+' "$log" | tail -1)
  runs=$(grep -oE '^Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+')
  [ -n "$runs" ] || runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$stat")
  eps=$(grep -oE 'exec/s: [0-9]+' <<<"$stat" | grep -oE '[0-9]+')
  cov=$(grep -oE 'cov: [0-9]+' <<<"$stat" | grep -oE '[0-9]+')
  ft=$(grep -oE 'ft: [0-9]+' <<<"$stat" | grep -oE '[0-9]+')
  corp=$(grep -oE 'corp: [0-9]+' <<<"$stat" | grep -oE '[0-9]+')
  # A finding is an input the fuzzing run ([1]) failed on: libFuzzer writes it out ("Test unit written to").
  # Jazzer then replays the seeds ([2]...) with its hooks still in place, which allocate on the test thread:
  # a replay that fails only the heap bound there is reported, not counted as a finding.
  if [ $rc -eq 0 ]; then result=ok
  elif grep -q 'Test unit written to' "$log" || grep -qE '\[1\] -- Time elapsed.*<<< (ERROR|FAILURE)' "$log"; then
    result="FINDING (see $log)"; failed=1
  elif grep -qE '^Done [0-9]+ runs' "$log" && ! grep -E '<<< (ERROR|FAILURE)' "$log" | grep -v 'in dev.zmq' | grep -qvE '\[[2-9][0-9]*\]'; then
    result="ok (a seed replay after fuzzing failed: $(grep -m1 -oE 'allocated [0-9]+ bytes[^;]*' "$log"), see $log)"
  else
    result="FAILED (see $log)"; failed=1
  fi
  printf '%-40s %10s %8s %8s %6s %7s  %s\n' "$t" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
new=$(git status --porcelain -- 'zmq-core/src/test/resources/dev/zmq/fuzz' | grep crash- || true)
if [ -n "$new" ]; then
  echo "new findings (commit them with the fix as regression inputs):"
  echo "$new"
fi
exit $failed
