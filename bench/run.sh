#!/usr/bin/env bash
# Runs every benchmark of the issue in a few minutes and prints one table, each figure beside
# its baseline measured in the same run (the machines are shared and noisy: only ratios count).
#
#   bash bench/run.sh                       everything (about 11 minutes on 2 busy cores)
#   BENCH_JMH='Frame' bash bench/run.sh     only the JMH benchmarks matching a regex (and e2e)
#   BENCH_COMPARE_JAR=other/benchmarks.jar  also run another build's server and client (a fix,
#                                           say) in every end-to-end round: before/after in one run
#   BENCH_SKIP_JMH=1 / BENCH_SKIP_E2E=1     leave a part out
#   BENCH_JMH_OPTS='-f 1 -wi 5 -i 10'      JMH run options in place of the short defaults below
#   BENCH_E2E_ARGS='--rounds 9'             see org.hgrpc.bench.e2e.EndToEnd for the options (e.g.
#                                           --skip-encoded: no 1 GiB runs per content encoder, or
#                                           --encoded-bytes N; bench/stream-memory.sh runs only them)
#   BENCH_OUT=DIR                           where results go (default bench/target/results)
#   BENCH_SKIP_REPOS=1                      no real-repository load (it needs hg; the generated
#                                           repository is made once by make-repo.sh, ~7 min)
#   BENCH_SKIP_SEED=1 / BENCH_SKIP_STARTUP=1  no seed reference figures / no start-up medians
#
# Writes DIR/jmh.json (JMH), DIR/e2e.json (load, streaming, encoded streaming, JFR summaries), DIR/results.json
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
  echo "bench: building bench/target/benchmarks.jar and the server jar (mvn -pl bench,server -am package, tests skipped)" >&2
  (cd "$root" && mvn -B -q -DskipTests -pl bench,server -am package)
fi

mkdir -p "$out"
rm -f "$out/jmh.json" "$out/e2e.json" "$out/seed.json" "$out/startup.json"
start=$(date +%s)

repos=""
if [ -z "${BENCH_SKIP_REPOS:-}" ] && [ -z "${BENCH_SKIP_E2E:-}" ]; then
  fixture=$here/target/repos/fixture
  # The reference fixture of the vectors (HGRPC_VECTORS: where they are).
  if [ ! -d "$fixture/server/.hg" ]; then
    mkdir -p "$fixture"
    tar -xzf "${HGRPC_VECTORS:-/work/shared/vectors}/repo-fixture.tar.gz" -C "$fixture"
  fi
  repos="fixture=$fixture/server,big=$(bash "$here/make-repo.sh")"
fi

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
      --profile-dir "$out/profiles" ${BENCH_COMPARE_JAR:+--compare-jar "$BENCH_COMPARE_JAR"} \
      ${repos:+--repos "$repos"} ${BENCH_E2E_ARGS:-}
fi

if [ -z "${BENCH_SKIP_SEED:-}" ] && [ -z "${BENCH_SKIP_JMH:-}" ]; then
  # The seed's figures for SeedShapesBench's shapes, in this run (pure Python, as the reference).
  seedbench=${SEEDBENCH:-/work/shared/tools/seedbench.py}
  if [ -f "$seedbench" ]; then
    echo "bench: seed reference figures ($seedbench)" >&2
    HGMODULEPOLICY=py python3 "$seedbench" 2 > "$out/seed.json" || rm -f "$out/seed.json"
  fi
fi

if [ -z "${BENCH_SKIP_STARTUP:-}" ]; then
  echo "bench: start-up, 10 starts without and 10 with AppCDS" >&2
  STARTUP_CDS=off STARTUP_JSON=$out/startup-nocds.json bash "$here/startup.sh" >&2
  STARTUP_JSON=$out/startup-cds.json bash "$here/startup.sh" >&2
  without=$(sed 's/.*"medianSeconds": \([0-9.]*\).*/\1/' "$out/startup-nocds.json")
  sed "s/^{/{\"medianSecondsWithoutCds\": $without, /" "$out/startup-cds.json" > "$out/startup.json"
fi

echo "bench: done in $(( $(date +%s) - start )) s; results in $out" >&2
echo
"$java" -cp "$jar" org.hgrpc.bench.Report "$out/jmh.json" "$out/e2e.json" "$out/results.json" "$out/seed.json" \
  "$out/startup.json" | tee "$out/table.md"
