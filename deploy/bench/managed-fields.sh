#!/usr/bin/env bash
# What managedFields cost a write: pod creates/s and pod updates/s (64 in flight) against two secure
# API servers in one JVM, one with nauta.managed-fields.enabled=false and one with tracking on, side
# by side, median of rounds. deploy/bench/managed-fields.sh [pods [concurrency [rounds]]]
# (defaults 2000 64 5).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-api \
  io.nauta.api.bench.ManagedFieldsCostBenchmark "$@"
