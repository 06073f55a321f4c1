#!/usr/bin/env bash
# Start-up and memory of an idle, all-defaults Nauta (docs/benchmarks.md, issues 13 and 23):
# 'deploy/nauta up' in a fresh NAUTA_HOME, timed (the whole 'up', and each component from its launch
# to its /readyz answering 200, as 'up' records them in run/startup), IDLE seconds of rest, then the
# resident set (RSS) of every component 'up' started sampled SAMPLES times 10 s apart, and of the
# embedded redis-server apart (not in the total); prints the median per component and of the
# total. Usage:
#   deploy/bench/idle-memory.sh [idle-seconds [samples]]      (defaults 120 6)
# With BENCH_BASE=<another checkout> (e.g. a worktree of the commit before a change, or a copy of
# an older deploy/ beside symbolic links to this checkout's modules) and BENCH_ROUNDS=n (default
# 2), runs this checkout and that one alternately, n rounds each, each going first in turn, and
# prints both side by side. The jars must be built (mvn -B -DskipTests package): 'up' runs them as
# they are (NAUTA_NO_BUILD=1). Uses the default ports (6443, 10257, 10259, 10250, 10053, 9153,
# 8080, 8443, 10254): nothing else may hold them. BENCH_HOME (default /tmp/nauta-bench-idle-memory)
# is the NAUTA_HOME of every round. BENCH_BASE_ENV (e.g. NAUTA_CDS=off) is set for the base's
# rounds only, so BENCH_BASE=. compares one checkout with and without a setting; BENCH_WARMUP=1
# first runs one unmeasured up/down of this checkout (for what a first run after a build leaves
# behind for later ones, e.g. the class-data archives tried in docs/benchmarks.md).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IDLE=${1:-120}
SAMPLES=${2:-6}
ROUNDS=${BENCH_ROUNDS:-2}
HOME_DIR=${BENCH_HOME:-/tmp/nauta-bench-idle-memory}
NEW=$(cd "$HERE/../.." && pwd)
OUT=$(mktemp -d)
export NAUTA_READY_TIMEOUT=${NAUTA_READY_TIMEOUT:-600} NAUTA_NO_BUILD=1

# The components of this round's 'up': those with a pid file (the ingress controller is left out
# with NAUTA_INGRESS=off).
components() {
  local c
  for c in apiserver scheduler controllers dns ingress agent; do
    [[ ! -f $HOME_DIR/run/$c.pid ]] || echo "$c"
  done
}

# rss_mib <pid>: a process's resident set in MiB.
rss_mib() { ps -o rss= -p "$1" | awk '{printf "%.1f", $1 / 1024}'; }

# java_pid <component>: the component's JVM (the supervisor's child).
java_pid() { pgrep -P "$(<"$HOME_DIR/run/$1.pid")" java | head -1; }

# redis_pid: the API server's embedded redis-server (its child).
redis_pid() { pgrep -P "$(java_pid apiserver)" redis-server | head -1 || true; }

# measure <checkout> <name>: one round of one checkout; appends "name what value" lines to
# samples (MiB) and startup (seconds).
measure() {
  local dir=$1 name=$2 total c v t0 redis
  local -a setting=()
  [[ $name != base || -z ${BENCH_BASE_ENV:-} ]] || read -ra setting <<<"$BENCH_BASE_ENV"
  export NAUTA_HOME=$HOME_DIR
  "$dir/deploy/nauta" down >/dev/null 2>&1 || true
  rm -rf "$HOME_DIR"
  t0=$(date +%s%3N)
  env "${setting[@]}" "$dir/deploy/nauta" up >"$OUT/up-$name.log" 2>&1 || { tail -20 "$OUT/up-$name.log" >&2; exit 1; }
  echo "$name up $(awk -v ms=$(($(date +%s%3N) - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')" >>"$OUT/startup"
  # Each component from its launch to ready, as 'up' recorded it (an older 'up' records nothing:
  # then its "nauta: <name> ready" lines against the launch are not comparable, and are left out).
  [[ ! -f $HOME_DIR/run/startup ]] || grep -v '^up ' "$HOME_DIR/run/startup" | sed "s/^/$name /" >>"$OUT/startup"
  sleep "$IDLE"
  redis=$(redis_pid)
  for _ in $(seq 1 "$SAMPLES"); do
    total=0
    for c in $(components); do
      v=$(rss_mib "$(java_pid "$c")")
      echo "$name $c $v" >>"$OUT/samples"
      total=$(awk -v a="$total" -v b="$v" 'BEGIN { print a + b }')
    done
    echo "$name total $total" >>"$OUT/samples"
    [[ -z $redis ]] || echo "$name redis-server(apart) $(rss_mib "$redis")" >>"$OUT/samples"
    sleep 10
  done
  "$dir/deploy/nauta" down >/dev/null 2>&1
}

if [[ ${BENCH_WARMUP:-0} == 1 ]]; then
  echo "warm-up: $NEW, $(date -u +%TZ)" >&2
  NAUTA_HOME=$HOME_DIR "$NEW/deploy/nauta" down >/dev/null 2>&1 || true
  rm -rf "$HOME_DIR"
  NAUTA_HOME=$HOME_DIR "$NEW/deploy/nauta" up >"$OUT/up-warmup.log" 2>&1 || { tail -20 "$OUT/up-warmup.log" >&2; exit 1; }
  NAUTA_HOME=$HOME_DIR "$NEW/deploy/nauta" down >/dev/null 2>&1
fi
for round in $(seq 1 "$ROUNDS"); do
  if [[ -z ${BENCH_BASE:-} ]]; then
    order=("new=$NEW")
  elif ((round % 2)); then
    order=("new=$NEW" "base=$(cd "$BENCH_BASE" && pwd)")
  else
    order=("base=$(cd "$BENCH_BASE" && pwd)" "new=$NEW")
  fi
  for entry in "${order[@]}"; do
    name=${entry%%=*} dir=${entry#*=}
    echo "round $round: $name ($dir), $(date -u +%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    measure "$dir" "$name"
  done
done
python3 - "$OUT/samples" "$OUT/startup" <<'PY'
import statistics, sys

def table(path, title, fmt):
    rows = {}
    for line in open(path):
        name, what, value = line.split()
        rows.setdefault(what, {}).setdefault(name, []).append(float(value))
    names = [n for n in ("base", "new") if any(n in v for v in rows.values())]
    pair = len(names) == 2
    print("| %s | %s |%s" % (title, " | ".join(names), " new/base |" if pair else ""))
    print("|---|" + "---|" * (len(names) + pair))
    for what, by in rows.items():
        med = [statistics.median(by[n]) if n in by else None for n in names]
        cells = " | ".join("-" if m is None else fmt % m for m in med)
        ratio = " %.2f |" % (med[1] / med[0]) if pair and None not in med and med[0] else (" - |" if pair else "")
        print("| %s | %s |%s" % (what, cells, ratio))
    print()

table(sys.argv[1], "RSS, MiB (median of the samples)", "%.0f")
table(sys.argv[2], "start-up to ready, s (median of the rounds)", "%.1f")
PY
rm -rf "$OUT"
