#!/usr/bin/env bash
# 1 GiB through each content encoder with 64 MiB heaps at both ends: our server (BenchServer,
# -Xmx64m, one JVM per encoder) streams a text-like payload over API exp-http-v2-0003 to our
# Java client (HgrpcClient, the response read as an InputStream and dropped as read, -Xmx64m,
# a JVM per run) offering only that encoder; the client checks the byte count and the CRC-32
# of what it decoded. Prints MB/s, wire bytes, heap peaks and peak resident sets per encoder.
# The same runs are part of bench/run.sh's end-to-end step; this runs only them.
#
#   bash bench/stream-memory.sh
#
#   STREAM_BYTES=1073741824     payload per run (default 1 GiB)
#   STREAM_ROUNDS=3             runs per encoder, the encoders taking turns
#   STREAM_ENCODERS=identity,zlib,zstd-8mb
#   BENCH_OUT=DIR               where stream-memory.json goes (default bench/target/results)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
jar=$here/target/benchmarks.jar
out=${BENCH_OUT:-$here/target/results}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
if [ ! -f "$jar" ]; then
  echo "stream-memory: building bench/target/benchmarks.jar (mvn -pl bench -am package, tests skipped)" >&2
  (cd "$root" && mvn -B -q -DskipTests -pl bench -am package)
fi
mkdir -p "$out"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
"$java" -Xmx256m -cp "$jar" org.hgrpc.bench.e2e.EndToEnd --skip-load --skip-stream \
  --encoded-bytes "${STREAM_BYTES:-1073741824}" --encoded-rounds "${STREAM_ROUNDS:-3}" \
  --encoders "${STREAM_ENCODERS:-identity,zlib,zstd-8mb}" --out "$out/stream-memory.json"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$out/stream-memory.json" "$load_start" "$load_end" <<'PY'
import json, sys
path, load_start, load_end = sys.argv[1:4]
d = json.load(open(path))
e = d['encodedStream']
mib = lambda b: b / 2**20
print('| encoder | MB/s (median of %d) | vs identity | wire / payload | client heap peak / RSS peak MiB | server heap peak / RSS peak MiB |' % e['rounds'])
print('|---|---|---|---|---|---|')
for name, s in e.items():
    if not isinstance(s, dict):
        continue
    print('| %s | %.0f (%s) | %s | %.3f | %.1f / %.0f | %.1f / %.0f |' % (
        name, s['mbPerSecond'], ', '.join('%.0f' % x for x in s['roundsMbPerSecond']),
        '%.2f' % s['ratioToIdentity'] if 'ratioToIdentity' in s else '',
        s['wireBytes'] / e['bytes'], mib(s['clientPeakHeapBytes']), mib(s['clientPeakRssBytes']),
        mib(s['serverPeakHeapBytes']), mib(s['serverPeakRssBytes'])))
print()
print('%d bytes per run, CRC-32 %s checked in every run; heaps -Xmx64m both ends; load average: start %s, end %s; %s'
      % (e['bytes'], next(s['crc32'] for s in e.values() if isinstance(s, dict)), load_start, load_end, path))
PY
