#!/usr/bin/env bash
# Start-up time of the server distribution: from launching `java -jar hgrpc-server.jar serve`
# until it prints "listening at", for a repository; the median of N starts (default 10).
#
#   bash bench/startup.sh [REPO]            default: the reference fixture of the vectors
#                                           (HGRPC_VECTORS, default /work/shared/vectors), unpacked
#                                           under bench/target
#   STARTUP_RUNS=10                         how many starts
#   STARTUP_JAR=server/target/hgrpc-server.jar
#   STARTUP_JAVA_OPTS='...'                 JVM options of every start (e.g. '-Xshare:off' to compare)
#   STARTUP_JSON=FILE                       also write the figures as JSON there
#   STARTUP_CDS=auto|off                    auto (the default): use the AppCDS archive beside the
#                                           jar (hgrpc-server.jsa), making it first when missing or
#                                           older than the jar; off: none
#
# Prints one line per start and then "median S s (min S, max S) over N starts; load average L".
# The archive is the one docker/Dockerfile builds into the image (see docs/benchmarks.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
jar=${STARTUP_JAR:-$root/server/target/hgrpc-server.jar}
runs=${STARTUP_RUNS:-10}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
repo=${1:-}
if [ -z "$repo" ]; then
  repo=$here/target/repos/fixture/server
  if [ ! -d "$repo/.hg" ]; then
    mkdir -p "$here/target/repos/fixture"
    tar -xzf "${HGRPC_VECTORS:-/work/shared/vectors}/repo-fixture.tar.gz" -C "$here/target/repos/fixture"
  fi
fi
[ -f "$jar" ] || { echo "startup: no $jar: build it with mvn -pl server -am package -DskipTests" >&2; exit 1; }

opts=(${STARTUP_JAVA_OPTS:-})
if [ "${STARTUP_CDS:-auto}" != off ]; then
  # The AppCDS archive: the classes one start of serve loads (its class list), parsed, verified
  # and laid out once, mapped by every later start. Made as docker/Dockerfile makes it: a
  # static dump (-Xshare:dump) of a class list recorded by one start of this jar.
  jsa=${jar%.jar}.jsa
  if [ ! -f "$jsa" ] || [ "$jar" -nt "$jsa" ]; then
    echo "startup: recording the class list and making the AppCDS archive $jsa" >&2
    list=${jar%.jar}.classlist
    "$java" -XX:DumpLoadedClassList="$list" -jar "$jar" serve -R "$repo" -a 127.0.0.1 -p 0 -A /dev/null \
      > "$list.out" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do grep -q '^listening' "$list.out" && break; sleep 0.1; done
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -f "$list.out"
    "$java" -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$jsa" -cp "$jar" \
      > /dev/null 2>&1 || { echo "startup: the AppCDS dump failed" >&2; exit 1; }
  fi
  opts+=("-XX:SharedArchiveFile=$jsa")
fi

times=()
for i in $(seq 1 "$runs"); do
  fifo=$(mktemp -u); mkfifo "$fifo"
  t0=$(date +%s%N)
  "$java" "${opts[@]}" -jar "$jar" serve -R "$repo" -a 127.0.0.1 -p 0 -A /dev/null > "$fifo" 2>/dev/null &
  pid=$!
  line=""
  while IFS= read -r l; do
    case $l in listening*) line=$l; break;; esac
  done < "$fifo"
  t1=$(date +%s%N)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$fifo"
  [ -n "$line" ] || { echo "startup: run $i did not print 'listening'" >&2; exit 1; }
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms")
  echo "start $i: $ms ms"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
if [ $((n % 2)) -eq 1 ]; then med=${sorted[$((n / 2))]}; else med=$(( (sorted[n / 2 - 1] + sorted[n / 2]) / 2 )); fi
load=$(cut -d' ' -f1-3 /proc/loadavg)
sec() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
printf 'median %s s (min %s, max %s) over %d starts%s; load average %s\n' "$(sec "$med")" "$(sec "${sorted[0]}")" \
  "$(sec "${sorted[n - 1]}")" "$n" "$([ "${STARTUP_CDS:-auto}" != off ] && echo ' with AppCDS')" "$load"
if [ -n "${STARTUP_JSON:-}" ]; then
  printf '{"medianSeconds": %s, "minSeconds": %s, "maxSeconds": %s, "runs": %d, "cds": %s, "loadAverage": "%s"}\n' \
    "$(sec "$med")" "$(sec "${sorted[0]}")" "$(sec "${sorted[n - 1]}")" "$n" \
    "$([ "${STARTUP_CDS:-auto}" != off ] && echo true || echo false)" "$load" > "$STARTUP_JSON"
fi
