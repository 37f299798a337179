#!/usr/bin/env bash
# Fuzzes every Jazzer target of the project, one after the other, for SECONDS_PER_TARGET each
# (default 600), and reports per target the inputs executed and the findings.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET_FILTER]
#   FUZZ_RUNS=10000000 scripts/fuzz.sh 3600     # stop each target at 10 M inputs (or the time)
#
# TARGET_FILTER (a grep pattern on "module:Class#method") runs a subset. Not for CI: a run is
# meant to take hours. Each target runs in its own Maven test run with JAZZER_FUZZ=1, selecting
# exactly one @FuzzTest method (Jazzer fuzzes one per run). Offline (-o): every dependency must
# already be in the local repository (build the project once first).
#
# Where things go, per target:
#   <module>/.cifuzz-corpus/<Class>/<method>/                 the generated corpus (git-ignored),
#                                                             reused by the next run
#   <module>/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>
#                                                             a finding (git-ignored name): fix it,
#                                                             then rename it bug-<what> to keep it
#                                                             as a regression seed
#   target/fuzz-logs/<Class>-<method>.log                     the Maven and libFuzzer output
set -u
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-600}
FILTER=${2:-.}
MAVEN=${MAVEN:-mvn}
HEAP=${FUZZ_HEAP:--Xmx1536m}
# libFuzzer's -runs: a target stops after this many inputs (or SECONDS_PER_TARGET, first reached).
RUNS_FLAG=()
if [ -n "${FUZZ_RUNS:-}" ]; then
  RUNS_FLAG=("-Djazzer.internal.arg.2=-runs=$FUZZ_RUNS")
fi

TARGETS=(
  "core:org.hgrpc.core.fuzz.FrameReaderFuzzTest#readerAndDecoderAgree"
  "core:org.hgrpc.core.fuzz.CborDecoderFuzzTest#decodersAgreeAndValuesRoundTrip"
  "core:org.hgrpc.core.fuzz.HumanSyntaxFuzzTest#humanFramesRoundTrip"
  "core:org.hgrpc.core.fuzz.HumanSyntaxFuzzTest#pythonLiteralParses"
  "core:org.hgrpc.core.fuzz.ServerReactorFuzzTest#reactorTurnsAnyInputIntoActions"
  "core:org.hgrpc.core.fuzz.ClientReactorFuzzTest#reactorTurnsAnyResponseIntoActions"
  "core:org.hgrpc.core.fuzz.ServerReactor0006FuzzTest#reactorTurnsAnySettingsAndFramesIntoActions"
  "core:org.hgrpc.core.fuzz.ContentDecoderFuzzTest#decodersFailOnlyAsDocumentedAndStayWithinBudget"
  "http-server:org.hgrpc.server.fuzz.ServerExchangeFuzzTest#anyRequestBodyEndsInFramesOrARefusal"
  "repository:org.hgrpc.repository.fuzz.DataCommandsFuzzTest#anyArgumentsGiveObjectsOrACommandError"
)

LOGS=target/fuzz-logs
mkdir -p "$LOGS"
summary=()
total_findings=0
failed_runs=0
for entry in "${TARGETS[@]}"; do
  echo "$entry" | grep -q -- "$FILTER" || continue
  module=${entry%%:*}
  test=${entry#*:}
  class=${test%%#*}
  method=${test#*#}
  simple=${class##*.}
  inputs="$module/src/test/resources/$(dirname "${class//.//}")/${simple}Inputs/$method"
  log="$LOGS/$simple-$method.log"
  before=$(ls "$inputs" 2>/dev/null | grep -c '^crash-')
  echo "== $module $simple#$method for ${SECONDS_PER_TARGET}s (log: $log)"
  # -max_total_time comes after the annotation's own flags and wins over its 5-minute default.
  JAZZER_FUZZ=1 "$MAVEN" -B -o -q -pl "$module" -am test \
    -Dtest="$simple#$method" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$SECONDS_PER_TARGET" "${RUNS_FLAG[@]}" \
    -DargLine="$HEAP" >"$log" 2>&1
  status=$?
  report="$module/target/surefire-reports/$class-output.txt"
  [ -f "$report" ] && cat "$report" >>"$log"
  # libFuzzer's last words: "Done 1234567 runs in 600 second(s)", else its last status line.
  runs=$(grep -aoE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+')
  if [ -z "$runs" ]; then
    runs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  fi
  after=$(ls "$inputs" 2>/dev/null | grep -c '^crash-')
  found=$((after - before))
  total_findings=$((total_findings + found))
  # A run can also fail without a finding: a JVM killed by the kernel (out of memory), a build error.
  if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then
    failed_runs=$((failed_runs + 1))
    grep -a -m1 -E 'Process Exit Code|BUILD FAILURE|COMPILATION ERROR' "$log" | sed 's/^/  /'
  fi
  line=$(printf '%-12s %-62s runs=%-12s findings=%-3s maven=%s' "$module" "$simple#$method" "${runs:-?}" "$found" "$status")
  echo "$line"
  summary+=("$line")
done

echo
echo "== summary (${SECONDS_PER_TARGET}s per target; findings are new crash-* files in each target's Inputs directory)"
printf '%s\n' "${summary[@]}"
echo "findings: $total_findings; runs that failed without a finding: $failed_runs (see their logs)"
[ "$total_findings" -eq 0 ] && [ "$failed_runs" -eq 0 ]
