#!/usr/bin/env bash
# DaemonSet at scale (docs/benchmarks.md): kubectl create of a DaemonSet over N simulated nodes to
# every pod available, then a rolling update (maxUnavailable 10%) to all updated and available.
# Usage: deploy/bench/daemonset.sh [nodes] (default: 500).
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-controllers \
  io.nauta.controllers.bench.DaemonSetBenchmark "$@"
