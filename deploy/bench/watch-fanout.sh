#!/usr/bin/env bash
# Watch fan-out and big lists (docs/benchmarks.md, issue 13): N watchers over HTTPS on pods while
# pods are written at a fixed rate, then a 30,000-pod list. Usage:
#   deploy/bench/watch-fanout.sh [watchers,... [events [rate [listPods [lists]]]]]
# (defaults 10,100,1000 2000 1000 30000 30). With BENCH_BASE=<another checkout> (e.g. a worktree of
# the commit before a change, with this benchmark class copied in) and BENCH_ROUNDS=n (default 3),
# runs this checkout and that one alternately, n rounds each, one JVM per round, and prints the
# median of every figure for both side by side (BENCH_OUT=<dir> keeps each round's raw figures).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=io.nauta.api.bench.WatchFanoutBenchmark
if [[ -z "${BENCH_BASE:-}" ]]; then
  exec "$HERE/run-java.sh" platform-api "$MAIN" "$@"
fi
ROUNDS=${BENCH_ROUNDS:-3}
OUT=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$OUT"
BASE=$(cd "$BENCH_BASE" && pwd)
NEW=$(cd "$HERE/../.." && pwd)
for round in $(seq 1 "$ROUNDS"); do
  # Each checkout goes first in turn.
  if (( round % 2 )); then order=("$NEW" "$BASE"); else order=("$BASE" "$NEW"); fi
  for dir in "${order[@]}"; do
    name=$([[ $dir == "$NEW" ]] && echo new || echo base)
    echo "round $round: $name ($dir)" >&2
    "$dir/deploy/bench/run-java.sh" platform-api "$MAIN" "$@" | tee -a "$OUT/$name" >&2
  done
done
python3 - "$OUT/base" "$OUT/new" <<'PY'
import statistics, sys
def read(path):
    figures = {}
    for line in open(path):
        if line.startswith("RESULT "):
            _, key, value = line.split()
            figures.setdefault(key, []).append(float(value))
    return figures
base, new = read(sys.argv[1]), read(sys.argv[2])
print("| figure | before (median of %d) | after | after/before |" % len(next(iter(base.values()))))
print("|---|---|---|---|")
for key in new:
    b = statistics.median(base.get(key, [float("nan")]))
    a = statistics.median(new[key])
    print("| %s | %.3f | %.3f | %s |" % (key, b, a, "%.2f" % (a / b) if b else "-"))
PY
[[ -n "${BENCH_OUT:-}" ]] || rm -rf "$OUT"
