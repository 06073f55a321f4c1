#!/usr/bin/env bash
# Federation distribution latency (issue 16, docs/benchmarks.md): deploy/nauta up --federation 3
# --runtime simulated in a temporary NAUTA_HOME, N Deployments (default 100) created at the gateway
# under a PropagationPolicy that duplicates them to all three members, and the time from each
# create to the object seen in every member: p50/p90/p99; then failover rounds (a member tainted
# NoExecute: time to its replicas available in the others, and to its copy deleted).
# Usage: deploy/bench/federation.sh [count] [failover rounds] [settle seconds after up, default 0]. Packages the jars first (the members and the gateway
# run from them).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
(cd "$ROOT" && mvn -B -q -DskipTests package)
BENCH_HEAP=${BENCH_HEAP:-1g} BENCH_JAVA_OPTS="-Dnauta.root=$ROOT ${BENCH_JAVA_OPTS:-}" exec "$ROOT/deploy/bench/run-java.sh" fault-injection \
  io.nauta.faults.FederationDistributionBenchmark "$@"
