#!/usr/bin/env bash
# Deployment at scale (docs/benchmarks.md): kubectl apply of an N-replica deployment on simulated
# nodes to every replica available, then a full rolling update.
# Usage: deploy/bench/deployment.sh [replicas [nodes]] (default: 1000 100).
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-controllers \
  io.nauta.controllers.bench.DeploymentBenchmark "$@"
