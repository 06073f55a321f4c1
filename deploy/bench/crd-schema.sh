#!/usr/bin/env bash
# What a custom resource's structural schema costs one write (issue 15): prune, applyDefaults and
# validate of a ConfigMap-sized object, without and with CEL rules, in one JVM, medians of rounds.
# deploy/bench/crd-schema.sh [operations [rounds]] (defaults 20000 5).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-api \
  io.nauta.api.bench.SchemaValidationBenchmark "$@"
