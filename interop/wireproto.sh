#!/usr/bin/env bash
# Live interop check of single commands: the reference clients' `debugwireproto --peer http2`
# against our server and against the reference server of the same repository must print the
# same answers. Runs the 4.8 client (API exp-http-v2-0003) with each content encoder, and the
# seed's client (API exp-http-v2-0001, framing 0005) once.
#
#   bash interop/wireproto.sh REPO
#
# Needs ../shared/tools/refhg48-setup.sh and refhg-setup.sh run first (interop/README.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
repo=${1:?usage: wireproto.sh REPO}
tools=${REFHG_TOOLS:-$top/../shared/tools}
jar=${HGRPC_SERVER_JAR:-$top/server/target/hgrpc-server.jar}
[ -f "$jar" ] || { echo "no server jar at $jar: run mvn -B -q -DskipTests package first" >&2; exit 2; }
export PATH=/usr/bin:$PATH REFHG48_ZSTD=1 HGRCPATH=/dev/null HGUSER=interop

work=$(mktemp -d /tmp/hgrpc-wireproto.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cp -a "$repo" "$work/served"
rm -f "$work/served/.hg/hgrc"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listening() {
  for _ in $(seq 100); do curl -s -o /dev/null "$1?cmd=capabilities" && return 0; sleep 0.1; done
  echo "server at $1 did not start:" >&2; cat "$2" >&2; exit 1
}
ours_port=$(free_port)
java -jar "$jar" serve -R "$work/served" -a 127.0.0.1 -p "$ours_port" >"$work/ours.log" 2>&1 &
pids+=($!)
ref_port=$(free_port)
"$tools/refhg48" -R "$work/served" serve -a 127.0.0.1 -p "$ref_port" \
  --config experimental.web.apiserver=true --config experimental.web.api.http-v2=true >"$work/ref.log" 2>&1 &
pids+=($!)
seed_port=$(free_port)
"$tools/refhg" -R "$work/served" serve -a 127.0.0.1 -p "$seed_port" \
  --config experimental.web.apiserver=true --config experimental.web.api.http-v2=true >"$work/seed.log" 2>&1 &
pids+=($!)
wait_listening "http://127.0.0.1:$ours_port/" "$work/ours.log"
wait_listening "http://127.0.0.1:$ref_port/" "$work/ref.log"
wait_listening "http://127.0.0.1:$seed_port/" "$work/seed.log"

# Scripts for debugwireproto: one `command NAME` block per command, arguments as Python literals.
"$tools/refhg48" -R "$work/served" log -T '{node}\n' >"$work/nodes"
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
nodes = [bytes.fromhex(l.strip()) for l in open(work + '/nodes') if l.strip()]
heads, first = nodes[:2], nodes[-1]
def block(name, **args):
    out = ['command %s' % name]
    for k, v in args.items():
        out.append('    %s %s' % (k, ('eval:' + repr(v)) if not isinstance(v, str) else v))
    return '\n'.join(out) + '\n'
common = [
    block('heads'), block('heads', publiconly='eval:True'), block('branchmap'),
    block('listkeys', namespace='namespaces'), block('listkeys', namespace='bookmarks'),
    block('listkeys', namespace='phases'), block('lookup', key='tip'), block('lookup', key='0'),
    block('known', nodes=nodes[:3] + [b'\x01' * 20]),
]
data = [
    block('changesetdata', revisions=[{b'type': b'changesetdagrange', b'roots': [], b'heads': heads}],
          fields={b'parents', b'phase', b'bookmarks', b'revision'}),
    block('changesetdata', revisions=[{b'type': b'changesetexplicit', b'nodes': [first]}],
          fields={b'parents'}),
]
open(work + '/v1.script', 'w').write(''.join(common))
open(work + '/v2.script', 'w').write(''.join(common + data))
PY

failed=0
compare() { # NAME CLIENT SCRIPT OURS-URL REF-URL [CONFIG...]
  local name=$1 client=$2 script=$3 ours=$4 ref=$5; shift 5
  "$client" debugwireproto "$@" --peer http2 "$ours" <"$script" >"$work/a" 2>&1 || true
  "$client" debugwireproto "$@" --peer http2 "$ref" <"$script" >"$work/b" 2>&1 || true
  if diff "$work/b" "$work/a" >"$work/diff"; then
    echo "ok   $name: $(grep -c '^response' "$work/a") responses, identical to the reference's"
  else
    echo "FAIL $name:"; head -40 "$work/diff"; failed=1
  fi
}
for enc in identity zlib zstd-8mb; do
  compare "hg 4.8 client, $enc" "$tools/refhg48" "$work/v2.script" \
    "http://127.0.0.1:$ours_port/" "http://127.0.0.1:$ref_port/" \
    --config "experimental.httppeer.v2-encoder-order=$enc"
done
compare "seed client (framing 0005)" "$tools/refhg" "$work/v1.script" \
  "http://127.0.0.1:$ours_port/" "http://127.0.0.1:$seed_port/"

if [ "$failed" -ne 0 ]; then echo "wireproto: FAILED"; exit 1; fi
echo "wireproto: all checks passed"
