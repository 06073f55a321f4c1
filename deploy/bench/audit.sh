#!/usr/bin/env bash
# What the audit log costs a write: pod creates/s (64 in flight) against two secure API servers in
# one JVM, one without auditing and one with deploy/audit-policy.yaml, side by side, median of
# rounds. deploy/bench/audit.sh [pods [concurrency [rounds]]] (defaults 3000 64 5).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-api \
  io.nauta.api.bench.AuditCostBenchmark "$@"
