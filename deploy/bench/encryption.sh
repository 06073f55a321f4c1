#!/usr/bin/env bash
# What encryption at rest costs a write: Secret creates/s (64 in flight) against two secure API
# servers in one JVM on one Redis, one writing plaintext (identity first) and one sealing with
# AES-GCM (as deploy/nauta up does), side by side, median of rounds.
# deploy/bench/encryption.sh [secrets [concurrency [rounds]]] (defaults 3000 64 5).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-api \
  io.nauta.api.bench.EncryptionCostBenchmark "$@"
