#!/usr/bin/env bash
# Live interop check: a Mercurial 4.8 client clones and pulls from our server, with each
# content encoder, and the result equals a clone made from the 4.8 reference server of the
# same repository. Needs the reference laid out by ../shared/tools/refhg48-setup.sh (see
# interop/README.md); CI has no copy of Mercurial's history and runs the recorded vectors.
#
#   bash interop/clone-pull.sh REPO [ENCODER...]
#
# REPO: a Mercurial repository in a format 4.8 reads (no share-safe; zlib or zstd revlogs).
# ENCODER: identity, zlib, zstd-8mb (default: all three; zstd-8mb needs Debian's
# python3-zstandard, used through /usr/bin/python3). The repository is copied first: the
# pull step commits to the copy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=${1:?usage: clone-pull.sh REPO [ENCODER...]}
shift
encoders=("$@")
[ ${#encoders[@]} -gt 0 ] || encoders=(identity zlib zstd-8mb)
# shellcheck source=servers.sh
. "$here/servers.sh"
refhg48=$REFHG48_CMD
# HGRPC_OURS=reference puts the reference on both sides: a check of this script itself.
ours_kind=${HGRPC_OURS:-jar}
if [ "$ours_kind" = reference ]; then interop_require; else interop_require jar; fi

work=$(mktemp -d /tmp/hgrpc-interop.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cp -a "$repo" "$work/served"
rm -f "$work/served/.hg/hgrc"

ours_port=$(free_port)
if [ "$ours_kind" = reference ]; then
  serve_ref48 "$work/served" "$ours_port" >"$work/ours.log" 2>&1 &
else
  serve_ours "$work/served" "$ours_port" >"$work/ours.log" 2>&1 &
fi
pids+=($!)
ref_port=$(free_port)
serve_ref48 "$work/served" "$ref_port" >"$work/ref.log" 2>&1 &
pids+=($!)
ours="http://127.0.0.1:$ours_port/"
ref="http://127.0.0.1:$ref_port/"
wait_listening "$ours" "$work/ours.log"
wait_listening "$ref" "$work/ref.log"

# What two clones must agree on: every changeset with its manifest, files, parents, extras,
# phase and bookmarks, the tags, and the files of the working copy.
describe() {
  "$refhg48" -R "$1" log --debug -T '{rev}:{node} {phase} p={p1node},{p2node} m={manifest} b={branch} bm={bookmarks} tags={tags}\n{files}\n{extras}\n{desc}\n'
  "$refhg48" -R "$1" tags
  "$refhg48" -R "$1" bookmarks
  "$refhg48" -R "$1" manifest --debug --all | sort
}

failed=0
check() { # NAME CLONE-OF-OURS CLONE-OF-REF
  local verify
  if ! verify=$("$refhg48" -R "$2" verify 2>&1); then
    echo "FAIL $1: verify of the clone from our server:"; echo "$verify"; failed=1; return
  fi
  if ! diff <(describe "$3") <(describe "$2") >"$work/diff" 2>&1; then
    echo "FAIL $1: clone from our server differs from the reference's:"; head -40 "$work/diff"; failed=1; return
  fi
  echo "ok   $1: $(echo "$verify" | tail -n 1); same log/phases/bookmarks/tags/manifests as the reference's"
}

for enc in "${encoders[@]}"; do
  clone48 "$enc" "$ours" "$work/ours-$enc"
  clone48 "$enc" "$ref" "$work/ref-$enc"
  check "clone $enc" "$work/ours-$enc" "$work/ref-$enc"
done

# A new commit in the served repository, then a pull into each clone.
(cd "$work/served" && echo "interop $(date +%s%N)" >>interop.txt && "$refhg48" add -q interop.txt 2>/dev/null || true
 "$refhg48" -R "$work/served" commit -q -A -m "interop pull check" -d "0 0")
for enc in "${encoders[@]}"; do
  pull48 "$enc" "$ours" "$work/ours-$enc"
  pull48 "$enc" "$ref" "$work/ref-$enc"
  check "pull $enc" "$work/ours-$enc" "$work/ref-$enc"
done

if [ "$failed" -ne 0 ]; then echo "interop: FAILED"; exit 1; fi
echo "interop: all checks passed (${encoders[*]})"
