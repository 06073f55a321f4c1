#!/usr/bin/env bash
# API writes (docs/benchmarks.md, issue 13): pod creates/s at 64 in flight and p50/p99 at 100
# concurrent clients through HTTPS with RBAC, beside redis-benchmark running the same write script
# on the same Redis. Usage: deploy/bench/api-writes.sh [pods-per-round [rounds]] (default 5000 5).
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-api \
  io.nauta.api.bench.ApiWritesBenchmark "$@"
