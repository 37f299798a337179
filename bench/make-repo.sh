#!/usr/bin/env bash
# Makes the generated benchmark repository with Mercurial (`hg`), once, and caches it:
# 100,000 changesets, 50 heads (a trunk and 49 forks of it, on 5 named branches) and 5,000
# bookmarks. `hg debugbuilddag` writes the changesets (no files: the commands measured read
# only the changelog, phases and bookmarks); the bookmarks file is written directly (one
# `hg bookmark` per name would take an hour).
#
#   bash bench/make-repo.sh [DIR]     default bench/target/repos/big; prints DIR
#   bash bench/make-repo.sh --clone N [DIR]
#                                     a repository for clone benchmarks instead (default DIR
#                                     bench/target/repos/clone-N): N changesets in a format
#                                     Mercurial 4.8 reads (no share-safe, zlib revlogs); each
#                                     changeset adds a file (nfN), rewrites one (of) and changes
#                                     a line of one that keeps its history as deltas (mf): N + 2
#                                     files, a manifest of N + 2 entries at the tip. 600: ~10 s,
#                                     10,000: ~2 min.
# Rebuilt only when DIR/.hg/bench-complete is missing (the marker is written last, so an
# interrupted build is redone). The 100,000-changeset one takes about two
# minutes on two busy cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --clone ]; then
  n=${2:?usage: make-repo.sh --clone N [DIR]}
  dir=${3:-$here/target/repos/clone-$n}
  if [ -f "$dir/.hg/bench-complete" ]; then
    echo "$dir"
    exit 0
  fi
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  # Debian's hg makes share-safe, zstd-less repositories only when told: 4.8 reads neither
  # share-safe nor revlog-compression other than zlib.
  hg init --config format.use-share-safe=false --config format.revlog-compression=zlib "$dir"
  (cd "$dir" && HGPLAIN=1 hg debugbuilddag --config extensions.blackbox=! -m -o -n "+$n")
  test "$(cd "$dir" && HGPLAIN=1 hg log -r tip -T '{rev}')" -eq $((n - 1))
  touch "$dir/.hg/bench-complete"
  echo "$dir"
  exit 0
fi
dir=${1:-$here/target/repos/big}
if [ -f "$dir/.hg/bench-complete" ]; then
  echo "$dir"
  exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
hg init "$dir"
# The DAG: a trunk of 51,000 changesets with a label every 1,000, then 49 forks of 1,000
# changesets, fork i starting at label i: 51,000 + 49 * 1,000 = 100,000 changesets, 50 heads.
{
  for i in $(seq 1 49); do
    if [ $((i % 10)) -eq 0 ]; then echo "@b$((i / 10))"; fi
    echo "+1000 :l$i"
  done
  echo "@default +2000"
  for i in $(seq 1 49); do
    echo "<l$i +1000"
  done
} > "$dir/.hg/bench-dag"
(cd "$dir" && HGPLAIN=1 hg debugbuilddag --config extensions.blackbox=! < .hg/bench-dag)
# 5,000 bookmarks on changesets spread over the history, in Mercurial's bookmarks format.
(cd "$dir" && HGPLAIN=1 hg log -r 'all()' -T '{node}\n' \
  | awk 'NR % 20 == 0 && n < 5000 { printf "%s bookmark-%05d\n", $1, n; n++ }' > .hg/bookmarks)
test "$(wc -l < "$dir/.hg/bookmarks")" -eq 5000
test "$(cd "$dir" && HGPLAIN=1 hg log -r 'heads(all())' -T x | wc -c)" -eq 50
touch "$dir/.hg/bench-complete"
echo "$dir"
