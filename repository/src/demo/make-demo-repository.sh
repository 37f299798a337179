#!/usr/bin/env bash
# Rebuilds src/main/resources/org/hgrpc/repository/server/demo-repository.tar.gz, the small
# example repository that 'serve --demo' serves. Not run by the build: the tarball is checked
# in. Needs Mercurial; the result does not depend on the time or the machine.
set -euo pipefail
out="$(cd "$(dirname "$0")/../main/resources/org/hgrpc/repository/server" && pwd)/demo-repository.tar.gz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HGRCPATH= HGPLAIN=1 TZ=UTC
# The formats of Mercurial 4.7, so that clients of the protocol's era can read it too.
hg() { command hg --config ui.username='Demo <demo@example.com>' --config format.use-share-safe=false \
  --config format.revlog-compression=zlib --config format.sparse-revlog=false "$@"; }
hg init "$work/demo"
cd "$work/demo"
printf 'hgrpc demo\n' > README
hg add README
hg commit -m 'initial import' -d '1700000000 0'
printf 'print("hello")\n' > hello.py
hg add hello.py
hg commit -m 'add hello' -d '1700000100 0'
hg tag -d '1700000200 0' v1.0
hg branch stable
printf 'fix\n' >> README
hg commit -m 'stable fix' -d '1700000300 0'
hg update default
printf 'print("hello, world")\n' > hello.py
hg commit -m 'greet the world' -d '1700000400 0'
hg bookmark -r . main
hg phase --public -r 'all()'
printf 'wip\n' > NOTES
hg add NOTES
hg commit -m 'work in progress (draft)' -d '1700000500 0'
hg update null
rm -rf .hg/cache .hg/wcache .hg/undo* .hg/store/undo* .hg/last-message.txt .hg/branch
cd "$work"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - demo | gzip -n -9 > "$out"
echo "wrote $out"
