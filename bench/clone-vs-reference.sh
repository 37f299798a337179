#!/usr/bin/env bash
# Server CPU per clone: the Mercurial 4.8 client (../shared/tools/refhg48) clones generated
# repositories from our server (server/target/hgrpc-server.jar serve) and from the 4.8
# reference server (refhg48 serve) of the same copy, with each content encoder, in the same
# run, and the CPU time each server process spent on each clone is compared.
#
#   bash bench/clone-vs-reference.sh
#
#   CLONE_REPOS='600 10000'            changesets of the generated repositories (bench/make-repo.sh
#                                      --clone N makes and caches them under bench/target/repos)
#   CLONE_ENCODERS='identity zlib zstd-8mb'
#   CLONE_ROUNDS=3                     warm clones per repository, encoder and server
#   CLONE_ROUNDS_10000=2               the same for one repository size (here 10,000)
#   CLONE_WARMUP=0                     more clones (first encoder) after the cold one, before the
#                                      measured rounds; CLONE_WARMUP_10000=... for one size
#   HGRPC_JAVA_OPTS='-Xmx256m'         JVM options of our server (default: none, as `java -jar`)
#   BENCH_OUT=DIR                      where clone.json goes (default bench/target/results)
#
# Per repository: both servers start on a copy of it; the first clone from each (the first
# encoder) is the "cold" one, after which every clone is "warm" (our JVM has run the code once
# and JIT-compiled some of it; the reference has imported its modules); CLONE_WARMUP more
# clones are recorded but left out of the figures. Then for each encoder,
# rounds of one clone from ours and one from the reference, back to back, so that load from
# elsewhere on a shared machine falls on both sides of a round's ratio alike.
#
# Measured per clone: the server's CPU time (utime + stime, and those of waited-for children,
# from /proc/PID/stat just before and just after the clone; the whole process, so our JIT
# compiler and collector threads count; their share is reported beside it) and the clone's wall time (the client is the same
# pure-Python 4.8 on both sides and dominates it). At the end of each repository: each server's
# peak resident set (VmHWM). Correctness guard, in the first round of each encoder: both clones
# pass `verify` and have the same changesets (`log -T '{node}\n'`), as many as generated.
#
# Prints a table and writes DIR/clone.json. Needs refhg48 laid out (interop/README.md) and
# the server jar (mvn -B -q -DskipTests -pl server -am package).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
# shellcheck source=../interop/servers.sh
. "$root/interop/servers.sh"
interop_require jar

read -r -a sizes <<<"${CLONE_REPOS:-600 10000}"
read -r -a encoders <<<"${CLONE_ENCODERS:-identity zlib zstd-8mb}"
out=${BENCH_OUT:-$here/target/results}
mkdir -p "$out"
ticks=$(getconf CLK_TCK)

work=$(mktemp -d /tmp/hgrpc-clonebench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# CPU ticks of a process and its waited-for children: utime stime cutime cstime are fields
# 14-17 of /proc/PID/stat, 12-15 once "PID (comm) " is cut off (comm may hold spaces).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 + $14 + $15 }'; }
# utime + stime of two groups of PID's live threads, printed "JIT GC": our JVM's C1/C2
# compiler threads, and its collector threads with the VM thread (which runs the
# stop-the-world phases). A thread that ends between two readings takes its time out of its
# group (it stays in the process total): the split can only understate a group, so "without
# JIT" can only overstate our CPU.
thread_ticks() { # PID
  local t comm jit=0 gc=0 v
  for t in /proc/"$1"/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    v=$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{ print $12 + $13 }') || continue
    case $comm in
      C1\ CompilerThre* | C2\ CompilerThre*) jit=$((jit + v)) ;;
      GC\ Thread* | G1\ * | VM\ Thread) gc=$((gc + v)) ;;
    esac
  done
  echo "$jit $gc"
}
peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
now_ns() { date +%s%N; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

rows=$work/rows.tsv # repo encoder round side cpu_seconds wall_seconds jit_seconds gc_seconds
: >"$rows"
repos_tsv=$work/repos.tsv # repo changesets our_rss_kib ref_rss_kib guard
: >"$repos_tsv"
load_start=$(loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# One clone from SIDE's server into DEST, recorded as a row.
measure() { # REPO ENCODER ROUND SIDE PID URL DEST
  local before after t0 t1 threads_before threads_after
  threads_before=$(thread_ticks "$5")
  before=$(cpu_ticks "$5")
  t0=$(now_ns)
  clone48 "$2" "$6" "$7"
  t1=$(now_ns)
  after=$(cpu_ticks "$5")
  threads_after=$(thread_ticks "$5")
  local cpu wall jit gc
  cpu=$(awk -v a="$after" -v b="$before" -v t="$ticks" 'BEGIN { printf "%.2f", (a - b) / t }')
  wall=$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.2f", (a - b) / 1e9 }')
  read -r jit gc < <(echo "$threads_before $threads_after" \
    | awk -v t="$ticks" '{ printf "%.2f %.2f\n", ($3 - $1) / t, ($4 - $2) / t }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$cpu" "$wall" "$jit" "$gc" >>"$rows"
  printf 'clone-bench: %-11s %-8s %-6s %-9s server CPU %6s s (JIT %5s, GC %5s), clone %6s s\n' \
    "$1" "$2" "$3" "$4" "$cpu" "$jit" "$gc" "$wall" >&2
}

# Both clones verify and hold the same N changesets.
guard() { # NAME CLONE-OURS CLONE-REF N
  local v
  for c in "$2" "$3"; do
    if ! v=$("$REFHG48_CMD" -R "$c" verify 2>&1); then
      echo "clone-bench: FAIL $1: verify of $c:" >&2; echo "$v" >&2; return 1
    fi
  done
  "$REFHG48_CMD" -R "$2" log -T '{node}\n' >"$work/nodes-ours"
  "$REFHG48_CMD" -R "$3" log -T '{node}\n' >"$work/nodes-ref"
  if ! cmp -s "$work/nodes-ours" "$work/nodes-ref"; then
    echo "clone-bench: FAIL $1: the clones' changesets differ" >&2; return 1
  fi
  if [ "$(wc -l <"$work/nodes-ours")" -ne "$4" ]; then
    echo "clone-bench: FAIL $1: $(wc -l <"$work/nodes-ours") changesets, expected $4" >&2; return 1
  fi
  echo "clone-bench: ok $1: both clones verify ($(echo "$v" | tail -n 1)), same $4 changesets" >&2
}

for n in "${sizes[@]}"; do
  name=clone-$n
  src=$(bash "$here/make-repo.sh" --clone "$n")
  roundsvar=CLONE_ROUNDS_$n
  rounds=${!roundsvar:-${CLONE_ROUNDS:-3}}
  warmupvar=CLONE_WARMUP_$n
  warmup=${!warmupvar:-${CLONE_WARMUP:-0}}
  rm -rf "$work/served"
  cp -a "$src" "$work/served"
  rm -f "$work/served/.hg/hgrc"
  ours_port=$(free_port)
  serve_ours "$work/served" "$ours_port" >"$work/ours.log" 2>&1 &
  ours_pid=$!
  pids+=("$ours_pid")
  ref_port=$(free_port)
  serve_ref48 "$work/served" "$ref_port" >"$work/ref.log" 2>&1 &
  ref_pid=$!
  pids+=("$ref_pid")
  ours="http://127.0.0.1:$ours_port/"
  ref="http://127.0.0.1:$ref_port/"
  wait_listening "$ours" "$work/ours.log"
  wait_listening "$ref" "$work/ref.log"
  echo "clone-bench: $name ($n changesets, $rounds rounds): ours pid $ours_pid at $ours, reference pid $ref_pid at $ref" >&2

  # The first clone from each: cold.
  measure "$name" "${encoders[0]}" cold ours "$ours_pid" "$ours" "$work/c-ours"
  measure "$name" "${encoders[0]}" cold reference "$ref_pid" "$ref" "$work/c-ref"
  rm -rf "$work/c-ours" "$work/c-ref"
  for w in $(seq 1 "$warmup"); do
    measure "$name" "${encoders[0]}" "warm$w" ours "$ours_pid" "$ours" "$work/c-ours"
    measure "$name" "${encoders[0]}" "warm$w" reference "$ref_pid" "$ref" "$work/c-ref"
    rm -rf "$work/c-ours" "$work/c-ref"
  done
  for enc in "${encoders[@]}"; do
    for r in $(seq 1 "$rounds"); do
      measure "$name" "$enc" "$r" ours "$ours_pid" "$ours" "$work/c-ours"
      measure "$name" "$enc" "$r" reference "$ref_pid" "$ref" "$work/c-ref"
      if [ "$r" -eq 1 ]; then
        guard "$name $enc" "$work/c-ours" "$work/c-ref" "$n"
      fi
      rm -rf "$work/c-ours" "$work/c-ref"
    done
  done
  printf '%s\t%s\t%s\t%s\n' "$name" "$n" "$(peak_rss_kib "$ours_pid")" "$(peak_rss_kib "$ref_pid")" >>"$repos_tsv"
  kill "$ours_pid" "$ref_pid"
  wait "$ours_pid" "$ref_pid" 2>/dev/null || true
  pids=()
done

python3 - "$rows" "$repos_tsv" "$out/clone.json" "$started" "$load_start" "$(loadavg)" "$HGRPC_JAVA_OPTS" <<'EOF'
import json, statistics, sys, os
rows_path, repos_path, out_path, started, load_start, load_end, java_opts = sys.argv[1:8]
rows = [l.rstrip('\n').split('\t') for l in open(rows_path) if l.strip()]
repos = {}
for name, n, ours_rss, ref_rss in (l.rstrip('\n').split('\t') for l in open(repos_path) if l.strip()):
    repos[name] = {'changesets': int(n), 'oursPeakRssBytes': int(ours_rss) * 1024,
                   'referencePeakRssBytes': int(ref_rss) * 1024, 'encoders': {}}

def rounds_of(name, enc, keep):
    """Per round, in order: {side: (cpu, wall, jit, gc)}."""
    by = {}
    for repo, e, rnd, side, cpu, wall, jit, gc in rows:
        if repo == name and e == enc and keep(rnd):
            by.setdefault(rnd, {})[side] = tuple(float(x) for x in (cpu, wall, jit, gc))
    return list(by.values())

def median(xs):
    xs = list(xs)
    return statistics.median(xs) if xs else None

def summary(rounds):
    ratios = [r['ours'][0] / r['reference'][0] for r in rounds if r['reference'][0] > 0]
    ratios_nojit = [(r['ours'][0] - r['ours'][2]) / r['reference'][0] for r in rounds if r['reference'][0] > 0]
    return {
        'oursCpuSeconds': median(r['ours'][0] for r in rounds),
        'oursJitSeconds': median(r['ours'][2] for r in rounds),
        'oursGcSeconds': median(r['ours'][3] for r in rounds),
        'referenceCpuSeconds': median(r['reference'][0] for r in rounds),
        # ours / reference: the median of the rounds' own ratios
        'cpuRatio': median(ratios),
        'cpuRatioWithoutJit': median(ratios_nojit),
        'oursCloneSeconds': median(r['ours'][1] for r in rounds),
        'referenceCloneSeconds': median(r['reference'][1] for r in rounds),
        'rounds': [{'oursCpuSeconds': r['ours'][0], 'oursJitSeconds': r['ours'][2], 'oursGcSeconds': r['ours'][3],
                    'referenceCpuSeconds': r['reference'][0], 'oursCloneSeconds': r['ours'][1],
                    'referenceCloneSeconds': r['reference'][1]} for r in rounds],
    }

def ratio(x):
    if x is None:
        return 'n/a'
    return '%.2f (1/%.1f)' % (x, 1 / x) if x < 1 else '%.2f' % x

table = ['| repository | encoder | clones | our server CPU s (JIT, GC) | reference server CPU s '
         '| ours / reference | the same without our JIT | clone wall s (ours / reference) |',
         '|---|---|---|---|---|---|---|---|']
for name, repo in repos.items():
    encs = []
    for r in rows:
        if r[0] == name and r[2].isdigit() and r[1] not in encs:
            encs.append(r[1])
    first = next(r[1] for r in rows if r[0] == name and r[2] == 'cold')
    repo['cold'] = dict(summary(rounds_of(name, first, lambda k: k == 'cold')), encoder=first)
    lines = [('cold (first clone)', first, repo['cold'])]
    warmups = rounds_of(name, first, lambda k: k.startswith('warm'))
    if warmups:
        repo['warmUp'] = dict(summary(warmups), encoder=first)
        lines.append(('%d warm-up, median' % len(warmups), first, repo['warmUp']))
    for e in encs:
        s = summary(rounds_of(name, e, lambda k: k.isdigit()))
        repo['encoders'][e] = s
        lines.append(('warm, median of %d' % len(s['rounds']), e, s))
    for kind, e, s in lines:
        table.append('| %s | %s | %s | %.2f (%.2f, %.2f) | %.2f | %s | %s | %.1f / %.1f |' % (
            name, e, kind, s['oursCpuSeconds'], s['oursJitSeconds'], s['oursGcSeconds'], s['referenceCpuSeconds'],
            ratio(s['cpuRatio']), ratio(s['cpuRatioWithoutJit']), s['oursCloneSeconds'], s['referenceCloneSeconds']))
    table.append('| %s | peak RSS (VmHWM) | | ours %.0f MiB | reference %.0f MiB | | | |' % (
        name, repo['oursPeakRssBytes'] / 2**20, repo['referencePeakRssBytes'] / 2**20))
result = {'started': started, 'loadAverageStart': load_start, 'loadAverageEnd': load_end,
          'cpus': os.cpu_count(), 'oursJavaOptions': java_opts,
          'client': 'refhg48 (Mercurial 4.8 development state, pure Python)',
          'reference': 'refhg48 serve (pure Python, HGMODULEPOLICY=py)', 'repositories': repos}
with open(out_path, 'w') as f:
    json.dump(result, f, indent=2)
print('\n'.join(table))
print()
print('load average: start %s, end %s; %s' % (load_start, load_end, out_path))
EOF
