#!/usr/bin/env bash
# The full-size slow-client and memory scenarios of the server's admission control, against the
# embedded server (server/target/hgrpc-server.jar, its bundled demo repository) in a 256 MiB heap
# with the default limits:
#
#   * 300 connections trickling a 100-byte body at 1 byte/s, 64 uploading at 1.2 KiB/s (just
#     over the default minimum rate), 200 idle keep-alive connections; meanwhile one normal
#     client runs `heads` in a loop: it must see only 200s and keep at least half its unloaded rate;
#   * then three requests with 63 MiB of command data each, at once, to `heads` (which takes none).
#
# The load connects from 127.0.0.2 and the normal client from 127.0.0.1 (see --load-from in
# AdmissionLoad.java): two peers, so the server's per-address connection limit
# (hgrpc.max-connections-per-ip, 256 by default) refuses the load's connections beyond it and the
# run shows it ("refused by the server" among the fates). SERVER_OPTS='--config
# hgrpc.max-connections-per-ip=0' lets the whole load in, as before that limit.
#
#   bash scripts/admission-load.sh                 about a minute (20 s unloaded, 20 s loaded)
#   LOAD_ARGS='--seconds 300' bash scripts/admission-load.sh   longer runs; options in AdmissionLoad.java
#   SERVER_OPTS='--config hgrpc.min-body-rate=2k'  extra options for `serve`
#
# Bounded: the server is stopped when the load ends (or the script is interrupted). Builds the
# jar first when it is missing. Exit status: AdmissionLoad's (0 when the normal client was served).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/server/target/hgrpc-server.jar
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -o -pl server -am package -DskipTests)
fi
log=$(mktemp)
# shellcheck disable=SC2086
"$java" -Xmx256m -XX:+ExitOnOutOfMemoryError -jar "$jar" serve --demo -a 127.0.0.1 -p 0 ${SERVER_OPTS:-} \
  -A /dev/null -E "$log.err" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log" "$log.err"' EXIT
for _ in $(seq 100); do
  url=$(sed -n 's/^listening at \([^ ]*\).*/\1/p' "$log")
  [ -n "$url" ] && break
  kill -0 $server 2>/dev/null || { cat "$log" "$log.err"; exit 1; }
  sleep 0.2
done
[ -n "$url" ] || { echo "the server did not start"; cat "$log"; exit 1; }
echo "server at $url (pid $server, -Xmx256m, default limits)"
status=0
# shellcheck disable=SC2086
"$java" "$root/scripts/AdmissionLoad.java" "${url%/}" ${LOAD_ARGS:-} || status=$?
if kill -0 $server 2>/dev/null; then
  echo "server still running after the load"
else
  echo "the server died:"; cat "$log" "$log.err"; status=1
fi
if grep -q OutOfMemoryError "$log" "$log.err"; then
  echo "the server ran out of memory"; status=1
fi
exit $status
