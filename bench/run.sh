#!/usr/bin/env bash
# Runs every benchmark of the issue in a few minutes and prints one table, each figure beside
# its baseline measured in the same run (the machines are shared and noisy: only ratios count).
#
#   bash bench/run.sh                       everything (about 5 minutes on 2 busy cores)
#   BENCH_JMH='Frame' bash bench/run.sh     only the JMH benchmarks matching a regex (and e2e)
#   BENCH_COMPARE_JAR=other/benchmarks.jar  also run another build's server and client (a fix,
#                                           say) in every end-to-end round: before/after in one run
#   BENCH_SKIP_JMH=1 / BENCH_SKIP_E2E=1     leave a part out
#   BENCH_JMH_OPTS='-f 1 -wi 5 -i 10'      JMH run options in place of the short defaults below
#   BENCH_E2E_ARGS='--rounds 9'             see org.hgrpc.bench.e2e.EndToEnd for the options
#   BENCH_OUT=DIR                           where results go (default bench/target/results)
#
# Writes DIR/jmh.json (JMH), DIR/e2e.json (load, streaming, JFR summaries), DIR/results.json
# (the table's rows with their baselines and the machine), DIR/table.md, DIR/profiles/*.jfr.
# Builds bench/target/benchmarks.jar first when it is missing or older than any source.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
jar=$here/target/benchmarks.jar
out=${BENCH_OUT:-$here/target/results}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

stale=no
if [ ! -f "$jar" ]; then
  stale=yes
elif [ -n "$(find "$root/pom.xml" "$root/core" "$root/http-server" "$root/http-client" "$here" \
    \( -path '*/target' -prune \) -o \( -type f \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print \) \
    | head -1)" ]; then
  stale=yes
fi
if [ "$stale" = yes ]; then
  echo "bench: building bench/target/benchmarks.jar (mvn -pl bench -am package, tests skipped)" >&2
  (cd "$root" && mvn -B -q -DskipTests -pl bench -am package)
fi

mkdir -p "$out"
rm -f "$out/jmh.json" "$out/e2e.json"
start=$(date +%s)

if [ -z "${BENCH_SKIP_JMH:-}" ]; then
  echo "bench: JMH (log: $out/jmh.log)" >&2
  # Short settings: one fork, 2 x 0.5 s warm-up, 5 x 0.6 s measurement (the report takes the best
  # iteration: more, shorter ones give a better chance of an undisturbed one on a busy machine);
  # the gc profiler gives the allocation per operation (gc.alloc.rate.norm) for the
  # no-allocation-per-frame check.
  # shellcheck disable=SC2086
  "$java" -jar "$jar" ${BENCH_JMH:-} ${BENCH_JMH_OPTS:--f 1 -wi 2 -w 500ms -i 5 -r 600ms} -prof gc \
      -rf json -rff "$out/jmh.json" > "$out/jmh.log" 2>&1 \
    || { tail -40 "$out/jmh.log" >&2; echo "bench: JMH failed" >&2; exit 1; }
  echo "bench: JMH done in $(( $(date +%s) - start )) s" >&2
fi

if [ -z "${BENCH_SKIP_E2E:-}" ]; then
  echo "bench: end to end and streaming" >&2
  # shellcheck disable=SC2086
  "$java" -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$jar" org.hgrpc.bench.e2e.EndToEnd --out "$out/e2e.json" \
      --profile-dir "$out/profiles" ${BENCH_COMPARE_JAR:+--compare-jar "$BENCH_COMPARE_JAR"} ${BENCH_E2E_ARGS:-}
fi

echo "bench: done in $(( $(date +%s) - start )) s; results in $out" >&2
echo
"$java" -cp "$jar" org.hgrpc.bench.Report "$out/jmh.json" "$out/e2e.json" "$out/results.json" | tee "$out/table.md"
