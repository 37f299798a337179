#!/usr/bin/env bash
# Two hgrpc servers on one repository behind HAProxy: concurrent bookmark pushkeys and reads
# through the load balancer, then checks that every push the servers acknowledged is in the
# repository (hg bookmarks), that hg verify passes, and that no lock or temporary file is left.
#
#   scripts/replicas-test.sh [PUSHES] [PARALLEL] [BURST]
#
# PUSHES bookmark pushkeys with the hgrpc client (default 40), PARALLEL at a time (default 8),
# with a stream of reads (listkeys, heads, the handshake) alongside; then a burst of BURST
# pushkeys (default 200) sent with curl 16 at a time, whose requests are frames made by
# "hgrpc frames encode", so that the two servers really write at the same moment. Builds nothing: it uses server/target/hgrpc-server.jar
# and http-client/target/hgrpc.jar (mvn -pl server,http-client -am package), or SERVER_JAR and
# CLIENT_JAR. Needs hg, haproxy, curl and python3. Everything listens on 127.0.0.1 and lives in
# a temporary directory, removed at the end. Exits 0 when nothing was lost, 1 otherwise, 2 when
# it cannot run.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PUSHES=${1:-40}
PARALLEL=${2:-8}
BURST=${3:-200}
SERVER_JAR=${SERVER_JAR:-$ROOT/server/target/hgrpc-server.jar}
CLIENT_JAR=${CLIENT_JAR:-$ROOT/http-client/target/hgrpc.jar}
JAVA_FAST=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

for tool in hg haproxy curl python3 java; do
  command -v "$tool" >/dev/null || { echo "replicas-test: $tool is not installed" >&2; exit 2; }
done
for jar in "$SERVER_JAR" "$CLIENT_JAR"; do
  [ -f "$jar" ] || { echo "replicas-test: $jar is missing: mvn -B -pl server,http-client -am package -DskipTests" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/hgrpc-replicas.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
export HGRCPATH= HGPLAIN=1

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---- the shared repository
REPO=$WORK/repo
hg init "$REPO"
echo a >"$REPO/a"
hg -R "$REPO" commit -q -A -m a -u 'test <test@example.com>'
NODE=$(hg -R "$REPO" log -r 0 -T '{node}')

# ---- two replicas on the same repository
# Runs in this shell (not in $(...)), so that its PID reaches PIDS and the cleanup; sets PORT.
start_server() { # name
  local name=$1
  PORT=
  "${JAVA_FAST[@]}" -jar "$SERVER_JAR" serve -R "$REPO" -a 127.0.0.1 -p 0 \
    -A "$WORK/$name.access.log" -E "$WORK/$name.error.log" \
    --config web.push_ssl=false --config 'web.allow-push=*' --config ui.timeout=60 \
    >"$WORK/$name.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    PORT=$(sed -n 's|^listening at http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/$name.out" | head -1)
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  echo "replicas-test: $name did not start: $(cat "$WORK/$name.out")" >&2
  return 1
}
start_server replica1 || exit 2
PORT1=$PORT
start_server replica2 || exit 2
PORT2=$PORT

# ---- HAProxy in front: round robin, health check on the capabilities handshake
LB_PORT=$(free_port)
cat >"$WORK/haproxy.cfg" <<CFG
global
  maxconn 256
defaults
  mode http
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout http-request 30s
frontend hgrpc
  bind 127.0.0.1:$LB_PORT
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk
  http-check send meth GET uri /?cmd=capabilities
  http-check expect status 200
  server replica1 127.0.0.1:$PORT1 check inter 1s fall 2 rise 1
  server replica2 127.0.0.1:$PORT2 check inter 1s fall 2 rise 1
CFG
haproxy -c -q -f "$WORK/haproxy.cfg" || exit 2
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
LB=http://127.0.0.1:$LB_PORT/
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "$LB?cmd=capabilities" && break
  sleep 0.1
done
echo "replicas: 127.0.0.1:$PORT1 and 127.0.0.1:$PORT2, HAProxy at $LB, repository $REPO"

# ---- concurrent pushkeys, with reads alongside
# One pushkey per client process: "hgrpc call" does the handshake through the balancer too.
cat >"$WORK/push.sh" <<PUSH
#!/usr/bin/env bash
if out=\$(${JAVA_FAST[*]} -jar "$CLIENT_JAR" call --compact "$LB" pushkey \\
    namespace=bookmarks key="bm-\$1" old= new="$NODE" 2>>"$WORK/push.err"); then
  [ "\$out" = "true" ] && echo "bm-\$1" >>"$WORK/acked"
else
  echo "bm-\$1 exit \$?: \$out" >>"$WORK/refused"
fi
PUSH

reads() {
  local n=0 failed=0
  while [ ! -f "$WORK/pushes-done" ]; do
    case $((n % 3)) in
      0) "${JAVA_FAST[@]}" -jar "$CLIENT_JAR" call --compact "$LB" listkeys namespace=bookmarks >/dev/null 2>>"$WORK/read.err" || failed=$((failed + 1)) ;;
      1) "${JAVA_FAST[@]}" -jar "$CLIENT_JAR" call --compact "$LB" heads >/dev/null 2>>"$WORK/read.err" || failed=$((failed + 1)) ;;
      2) curl -sf -o /dev/null "$LB?cmd=capabilities" || failed=$((failed + 1)) ;;
    esac
    n=$((n + 1))
  done
  echo "$n $failed" >"$WORK/reads"
}
reads &
READER=$!

START=$(date +%s)
: >"$WORK/acked"
seq 1 "$PUSHES" | xargs -P "$PARALLEL" -n 1 bash "$WORK/push.sh"
touch "$WORK/pushes-done"
wait "$READER"
ELAPSED=$(( $(date +%s) - START ))

# ---- the burst: request bodies made by the client's frame encoder, sent by curl
for i in $(seq 1 "$BURST"); do
  echo "1 1 stream-begin command-request new cbor:{b'name': b'pushkey', b'args': {b'namespace': b'bookmarks', b'key': b'burst-$i', b'old': b'', b'new': b'$NODE'}}"
done >"$WORK/burst.txt"
"${JAVA_FAST[@]}" -jar "$CLIENT_JAR" frames encode -o "$WORK/burst.bin" "$WORK/burst.txt" || exit 2
mkdir -p "$WORK/burst"
# One frame per request: split the encoder's output at the frame boundaries (24-bit length + 8-byte header).
python3 - "$WORK/burst.bin" "$WORK/burst" <<'PY'
import sys
data, out, i, n = open(sys.argv[1], 'rb').read(), sys.argv[2], 0, 0
while i < len(data):
    size = 8 + int.from_bytes(data[i:i + 3], 'little')
    n += 1
    open('%s/%d.req' % (out, n), 'wb').write(data[i:i + size])
    i += size
PY
cat >"$WORK/burst.sh" <<BURSTSH
#!/usr/bin/env bash
# POST one request; acknowledged when the response's last value is CBOR True (0xf5).
curl -sf -o "$WORK/burst/\$1.resp" -H 'Content-Type: application/mercurial-exp-framing-0005' \\
  -H 'Accept: application/mercurial-exp-framing-0005' --data-binary @"$WORK/burst/\$1.req" \\
  "${LB}api/exp-http-v2-0001/rw/pushkey" || { echo "burst-\$1 curl exit \$?" >>"$WORK/refused"; exit 0; }
python3 - "$WORK/burst/\$1.resp" <<'PY' && echo "burst-\$1" >>"$WORK/acked" || echo "burst-\$1 not true" >>"$WORK/refused"
import sys
data, i, payloads = open(sys.argv[1], 'rb').read(), 0, []
while i + 8 <= len(data):
    size = int.from_bytes(data[i:i + 3], 'little')
    payloads.append(data[i + 8:i + 8 + size])
    i += 8 + size
sys.exit(0 if [p for p in payloads if p][-1:] == [b'\xf5'] else 1)
PY
BURSTSH
BURST_START=$(date +%s)
seq 1 "$BURST" | xargs -P 16 -n 1 bash "$WORK/burst.sh"
BURST_ELAPSED=$(( $(date +%s) - BURST_START ))

# ---- checks
status=0
acked=$(sort -u "$WORK/acked" | wc -l)
listed=$(hg -R "$REPO" bookmarks -T '{bookmark}\n' | sort -u)
lost=$(sort -u "$WORK/acked" | comm -23 - <(echo "$listed"))
read -r READS READ_FAILURES <"$WORK/reads"
refused=$( [ -f "$WORK/refused" ] && wc -l <"$WORK/refused" || echo 0)
via_lb=$(curl -sf "$LB?cmd=capabilities" >/dev/null && echo ok || echo FAILED)
hits1=$(grep -c 'POST\|GET' "$WORK/replica1.access.log" 2>/dev/null || echo 0)
hits2=$(grep -c 'POST\|GET' "$WORK/replica2.access.log" 2>/dev/null || echo 0)

echo "pushes: $PUSHES with hgrpc call ($PARALLEL at a time) in ${ELAPSED}s; in all $((PUSHES + BURST)) sent, $acked acknowledged, $refused refused or failed"
echo "reads:  $READS alongside, $READ_FAILURES failed"
echo "burst:  $BURST pushkeys with curl (16 at a time) in ${BURST_ELAPSED}s"
echo "requests per replica (access logs): replica1 $hits1, replica2 $hits2"
if [ -n "$lost" ]; then
  echo "LOST: acknowledged but not in hg bookmarks: $(echo $lost)"; status=1
fi
if [ "$acked" -ne $((PUSHES + BURST)) ]; then
  echo "NOT ACKNOWLEDGED: $((PUSHES + BURST - acked)) pushes (see $WORK/refused, kept below)"; cat "$WORK/refused" "$WORK/push.err" 2>/dev/null | head -20; status=1
fi
[ "$READ_FAILURES" -eq 0 ] || { echo "READ FAILURES: $READ_FAILURES"; head -20 "$WORK/read.err"; status=1; }
[ "$hits1" -gt 0 ] && [ "$hits2" -gt 0 ] || { echo "ONE REPLICA GOT NOTHING: the balancer did not spread the load"; status=1; }
if ! hg -R "$REPO" verify -q; then echo "HG VERIFY FAILED"; status=1; fi
leftovers=$(ls -A "$REPO/.hg" "$REPO/.hg/store" | grep -E '^(wlock|lock|.*~)$')
[ -z "$leftovers" ] || { echo "LEFT BEHIND: $leftovers"; status=1; }
echo "handshake through HAProxy after the run: $via_lb"
[ "$status" -eq 0 ] && echo "OK: every acknowledged bookmark is in the repository, hg verify passes" || echo "FAILED"
exit $status
