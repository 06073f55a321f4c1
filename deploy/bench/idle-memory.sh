#!/usr/bin/env bash
# Memory of an idle, all-defaults Nauta (docs/benchmarks.md, issue 13): 'deploy/nauta up' in a
# fresh NAUTA_HOME, IDLE seconds of rest, then the resident set (RSS) of every component sampled
# SAMPLES times 10 s apart; prints the median per component and of the total. Usage:
#   deploy/bench/idle-memory.sh [idle-seconds [samples]]      (defaults 120 6)
# With BENCH_BASE=<another checkout> (e.g. a worktree of the commit before a change) and
# BENCH_ROUNDS=n (default 2), runs this checkout and that one alternately, n rounds each, and
# prints both side by side. Uses the default ports (6443, 10257, 10259, 10250): nothing else may
# hold them. BENCH_HOME (default /tmp/nauta-bench-idle-memory) is the NAUTA_HOME of every round.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IDLE=${1:-120}
SAMPLES=${2:-6}
ROUNDS=${BENCH_ROUNDS:-2}
HOME_DIR=${BENCH_HOME:-/tmp/nauta-bench-idle-memory}
NEW=$(cd "$HERE/../.." && pwd)
OUT=$(mktemp -d)
export NAUTA_READY_TIMEOUT=${NAUTA_READY_TIMEOUT:-600}
COMPONENTS=(apiserver scheduler controllers agent)

# rss_mib <component>: the resident set of the component's JVM (the supervisor's child), in MiB.
rss_mib() {
  local sup java
  sup=$(<"$HOME_DIR/run/$1.pid")
  java=$(pgrep -P "$sup" java | head -1)
  ps -o rss= -p "$java" | awk '{printf "%.1f", $1 / 1024}'
}

# measure <checkout> <name>: one round of one checkout; appends "name component MiB" lines.
measure() {
  local dir=$1 name=$2 total c v
  export NAUTA_HOME=$HOME_DIR
  "$dir/deploy/nauta" down >/dev/null 2>&1 || true
  rm -rf "$HOME_DIR"
  "$dir/deploy/nauta" up >"$OUT/up-$name.log" 2>&1 || { tail -20 "$OUT/up-$name.log" >&2; exit 1; }
  sleep "$IDLE"
  for _ in $(seq 1 "$SAMPLES"); do
    total=0
    for c in "${COMPONENTS[@]}"; do
      v=$(rss_mib "$c")
      echo "$name $c $v" >>"$OUT/samples"
      total=$(awk -v a="$total" -v b="$v" 'BEGIN { print a + b }')
    done
    echo "$name total $total" >>"$OUT/samples"
    sleep 10
  done
  "$dir/deploy/nauta" down >/dev/null 2>&1
}

for round in $(seq 1 "$ROUNDS"); do
  if [[ -z ${BENCH_BASE:-} ]]; then
    order=("$NEW")
  elif ((round % 2)); then
    order=("$NEW" "$(cd "$BENCH_BASE" && pwd)")
  else
    order=("$(cd "$BENCH_BASE" && pwd)" "$NEW")
  fi
  for dir in "${order[@]}"; do
    name=$([[ $dir == "$NEW" ]] && echo new || echo base)
    echo "round $round: $name ($dir), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    measure "$dir" "$name"
  done
done
python3 - "$OUT/samples" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, comp, mib = line.split()
    rows.setdefault(comp, {}).setdefault(name, []).append(float(mib))
names = [n for n in ("base", "new") if any(n in v for v in rows.values())]
print("| RSS, MiB (median of the samples) | " + " | ".join(names) + (" | new/base |" if len(names) == 2 else " |"))
print("|---|" + "---|" * (len(names) + (1 if len(names) == 2 else 0)))
for comp, by in rows.items():
    med = [statistics.median(by[n]) for n in names]
    ratio = " | %.2f" % (med[1] / med[0]) if len(med) == 2 else ""
    print("| %s | %s%s |" % (comp, " | ".join("%.0f" % m for m in med), ratio))
PY
rm -rf "$OUT"
